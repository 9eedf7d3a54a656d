// The view travels in the address: a page opened from a link shows the same map (model, sample,
// layer, class, method, N, σ, seed, colour map, opacity), and changing Threads keeps it. The
// samples follow the model loaded, and the PNG download is a labelled figure.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { figureLayout } from '../../web/js/figure-export.js';
import { OUTPUT, finishedRuns, openPage, pageSession, screenshot, squeezenetModel, waitForRun } from './harness.mjs';

async function downloaded(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  return readFile(await download.path());
}

async function resultMap(page) {
  return JSON.parse(await downloaded(page, '#download-json'));
}

// Runs `action` and waits for the explanation it starts.
async function explained(page, action) {
  const before = await finishedRuns(page);
  await action();
  await waitForRun(page, before);
}

function sampleFiles(page) {
  return page.$$eval('#samples img', (images) => images.map((i) => i.getAttribute('src')));
}

function controls(page) {
  return page.evaluate(() => {
    const form = document.getElementById('settings').elements;
    const value = (id) => document.getElementById(id).value;
    return {
      model: value('bundled-model'),
      sample: document.querySelector('#samples [aria-pressed="true"] img')?.getAttribute('src'),
      layer: value('layer'),
      method: form.method.value,
      iscamSamples: value('iscam-samples'),
      sscamSamples: value('sscam-samples'),
      sigma: value('sigma'),
      seed: value('seed'),
      colormap: value('colormap'),
      opacity: value('opacity'),
      classPicked: document.querySelector('#predictions [aria-pressed="true"] .label')?.textContent,
    };
  });
}

function sameMap(a, b) {
  for (const key of ['method', 'layer', 'class', 'class_label', 'map_shape', 'forward_passes']) assert.deepEqual(b[key], a[key], key);
  let worst = 0;
  a.map.forEach((row, y) => row.forEach((v, x) => (worst = Math.max(worst, Math.abs(v - b.map[y][x])))));
  assert.ok(worst <= 1e-5, `largest map difference ${worst}`);
}

describe('the view in a link, samples per model, the figure', { timeout: 150_000 }, () => {
  const session = pageSession({ firstRun: true });
  let link;
  let map;

  test('a link opens the same view and the same map', async () => {
    const { page, browser } = session;
    await explained(page, () => page.selectOption('#bundled-model', 'shapes-cnn'));
    await explained(page, () => page.click('#samples button:nth-child(3)'));
    await page.fill('#iscam-samples', '6');
    await page.fill('#sscam-samples', '4');
    await page.fill('#sigma', '0.5');
    await page.fill('#seed', '3');
    const layer = await page.$eval('#layer', (s) => s.options[s.options.length - 2].value);
    await explained(page, () => page.selectOption('#layer', layer));
    await explained(page, () => page.check('input[name="method"][value="sscam"]'));
    await explained(page, () => page.click('#predictions li:nth-child(2) button'));
    await page.selectOption('#colormap', 'viridis');
    await page.$eval('#opacity', (o) => {
      o.value = '0.7';
      o.dispatchEvent(new Event('input'));
    });
    map = await resultMap(page);
    link = page.url();
    const shown = await controls(page);
    assert.deepEqual(
      { ...shown, classPicked: undefined },
      { model: 'shapes-cnn', sample: 'samples/shapes/images/0002-triangle.png', layer, method: 'sscam', iscamSamples: '6', sscamSamples: '4', sigma: '0.5', seed: '3', colormap: 'viridis', opacity: '0.7', classPicked: undefined },
    );
    assert.equal(await page.getAttribute('#predictions li:nth-child(2) button', 'aria-pressed'), 'true');
    assert.equal(new URL(link).searchParams.get('class'), String(map.class));

    const { page: second } = await openPage(browser, link);
    await waitForRun(second, 0);
    assert.deepEqual(await controls(second), shown);
    sameMap(map, await resultMap(second));
    await second.close();
  });

  test('changing Threads reloads the page with the same view', async () => {
    const { page } = await openPage(session.browser, link);
    await waitForRun(page, 0);
    const shown = await controls(page);
    await Promise.all([page.waitForURL(/threads=1/), page.selectOption('#threads', '1')]);
    await waitForRun(page, 0);
    assert.match(await page.locator('#runtime').textContent(), /1 thread\b/);
    assert.deepEqual(await controls(page), shown);
    sameMap(map, await resultMap(page));
    await page.close();
  });

  test('the PNG download is a figure: image, overlay, colour bar and caption', async () => {
    const { page } = session;
    const png = await downloaded(page, '#download-png');
    await writeFile(`${OUTPUT}/web-figure.png`, png);
    const size = await page.$eval('#map-sscam', (c) => ({ width: c.width, height: c.height }));
    const layout = figureLayout([size, size], 1);
    const figure = await page.evaluate(
      async ({ b64, layout: at }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }), { colorSpaceConversion: 'none' });
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const g = canvas.getContext('2d');
        g.drawImage(bitmap, 0, 0);
        const pixels = (c, x, y, w, h) => Array.from(c.getContext('2d').getImageData(x, y, w, h).data);
        const map = document.getElementById('map-sscam');
        const image = document.getElementById('image-canvas');
        const legend = document.getElementById('legend');
        const [panelImage, panelMap] = at.panels;
        const bar = pixels(canvas, at.bar.x, at.bar.y + 2, at.bar.width, 1);
        const caption = pixels(canvas, 0, at.captionY, bitmap.width, bitmap.height - at.captionY);
        let dark = 0;
        for (let i = 0; i < caption.length; i += 4) dark += caption[i] + caption[i + 1] + caption[i + 2] < 240;
        const legendPixels = pixels(legend, 0, 0, legend.width, 1);
        return {
          width: bitmap.width,
          height: bitmap.height,
          imageSame: JSON.stringify(pixels(canvas, panelImage.x, panelImage.y, panelImage.width, panelImage.height)) === JSON.stringify(pixels(image, 0, 0, image.width, image.height)),
          mapSame: JSON.stringify(pixels(canvas, panelMap.x, panelMap.y, panelMap.width, panelMap.height)) === JSON.stringify(pixels(map, 0, 0, map.width, map.height)),
          barEnds: [bar.slice(0, 3), bar.slice(-4, -1)],
          legendEnds: [legendPixels.slice(0, 3), legendPixels.slice(-4, -1)],
          darkCaptionPixels: dark,
        };
      },
      { b64: png.toString('base64'), layout },
    );
    assert.equal(figure.width, layout.width);
    assert.ok(figure.height >= layout.height, `room for the caption: ${figure.height} ≥ ${layout.height}`);
    assert.ok(figure.imageSame, 'the image panel holds the image as shown');
    assert.ok(figure.mapSame, "the overlay panel holds the page's overlay, pixel for pixel");
    assert.deepEqual(figure.barEnds, figure.legendEnds, 'the colour bar runs from the low to the high end of the colour map');
    assert.ok(figure.darkCaptionPixels > 300, `the caption is written (${figure.darkCaptionPixels} dark pixels)`);
  });

  test('each model shows its own samples; the photos only with a 1000-class model', async () => {
    const { page, problems } = session;
    const shapes = await sampleFiles(page);
    assert.equal(shapes.length, 12);
    assert.ok(shapes.every((f) => f.startsWith('samples/shapes/')));
    assert.equal((await page.$$eval('#samples button', (b) => b.map((x) => x.title))).filter((t) => t.endsWith('with marker')).length, 6);

    // The honest and the shortcut model share the scenes: the image stays.
    await explained(page, () => page.selectOption('#bundled-model', 'shapes-shortcut-cnn'));
    assert.deepEqual(await sampleFiles(page), shapes);
    assert.equal((await controls(page)).sample, 'samples/shapes/images/0002-triangle.png');

    await explained(page, () => page.selectOption('#bundled-model', 'fashion-cnn'));
    const fashion = await sampleFiles(page);
    assert.deepEqual(fashion.map((f) => f.replace(/samples\/fashion-\d+-/, '')), ['ankle-boot.png', 'pullover.png', 'trouser.png', 'shirt.png', 'sneaker.png', 'bag.png']);
    assert.equal((await controls(page)).sample, fashion[0], "the fashion model's first sample replaces a shapes scene");
    await screenshot(page, 'web-fashion-samples');

    await page.setInputFiles('#model-file', squeezenetModel());
    await page.waitForFunction(() => /squeezenet/.test(document.getElementById('model-name').textContent));
    assert.deepEqual(await sampleFiles(page), ['samples/chelsea.png', 'samples/astronaut.png', 'samples/camera.png', 'samples/coffee.png']);
    assert.match(await page.$eval('#bundled-model', (s) => s.selectedOptions[0].textContent), /squeezenet.*yours/);
    assert.ok(!new URL(page.url()).searchParams.has('model'), 'no bundled model in the address');
    if (await page.locator('#cancel').isEnabled()) await page.click('#cancel');
    assert.deepEqual(problems.consoleErrors, []);
  });
});
