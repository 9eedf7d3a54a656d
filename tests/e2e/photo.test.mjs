// The photo demo in headless Chromium: the page opens on a photo explained by the bundled int8
// MobileNet v2 without a click; the teaching views read its run; the class search explains any
// class; "why A and not B?" shows the maps of two classes and their contrastive map; a dropped
// photo is explained; without a camera the page says so in one sentence and stays usable. Fast
// mode throughout (the model's passes cost ~28 ms each here).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { REPO, canvasDifference, canvasStats, finishedRuns, pageSession, screenshot, waitForRun } from './harness.mjs';

async function explained(page, action) {
  const before = await finishedRuns(page);
  await action();
  await waitForRun(page, before);
}

// The method of the last run (its panel) and what its map looks like.
async function mapLooksReal(page) {
  const method = await page.$eval('#settings', (f) => f.elements.method.value);
  const stats = await canvasStats(page, `map-${method}`);
  assert.ok(stats.colours > 100 && stats.std > 10, `the ${method} map has many colours and is not uniform (${JSON.stringify(stats)})`);
  assert.ok((await canvasDifference(page, 'image-canvas', `map-${method}`)) > 0.5, 'the overlay differs from the image');
  return method;
}

const pressed = (page) => page.locator('#predictions [aria-pressed="true"] .label').textContent();

async function pickClass(page, input, text, label) {
  await page.fill(input, '');
  await page.type(input, text);
  const option = page.locator(`${input} ~ [role="listbox"] li`, { hasText: label }).first();
  await option.waitFor();
  await option.dispatchEvent('mousedown');
}

describe('the photo demo', { timeout: 170_000 }, () => {
  const session = pageSession();

  test('opens on a photo explained by the bundled ImageNet network, without a click', async () => {
    const { page } = session;
    await waitForRun(page, 0);
    assert.equal(await page.inputValue('#bundled-model'), 'mobilenetv2-12-int8');
    assert.equal(await page.getAttribute('#samples [aria-pressed="true"] img', 'src'), 'samples/chelsea.png');
    assert.match(await pressed(page), /^(tabby|tiger cat|Egyptian cat)$/, 'a cat');
    const method = await mapLooksReal(page);
    const channels = Number(await page.inputValue('#channels'));
    assert.ok(channels > 0, 'the photo opens in fast mode');
    assert.equal(await page.inputValue('#channel-select'), 'screen', 'its channels chosen by screening');
    const times = await page.evaluate(() => {
      const at = (suffix) => performance.getEntriesByType('mark').find((m) => m.name.endsWith(suffix))?.startTime;
      return { start: at('-start'), first: at('-first-map'), final: at('-final') };
    });
    console.log(
      `default photo run: ${method}, ${channels} channels; first map ${(times.first - times.start).toFixed(0)} ms, ` +
        `final map ${(times.final - times.start).toFixed(0)} ms after the run started (${times.final.toFixed(0)} ms after the page opened)`,
    );
    // The int8 model runs in the form measured faster: its float form or itself; the details say which.
    const details = await page.$$eval('#run-details dt', (dts) => Object.fromEntries(dts.map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    const form = details['Model form']?.match(/^(float32|int8)/);
    assert.ok(form, `the run details name the form of the int8 model that ran: ${JSON.stringify(details)}`);
    console.log(`model form: ${details['Model form']}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(doc.model_form, form[1], 'the JSON names the same form');
    const screened = Math.max(8 * channels, 128); // 8·K, and a tenth of the layer's 1280 channels at least
    const fastMode = new RegExp(`^screening: ${screened} channels of highest variance screened of 1280, ${channels} scored in full, (\\d+) with predicted scores$`);
    const predicted = Number(details['Fast mode'].match(fastMode)?.[1]);
    assert.ok(predicted > 0, `the run details say how fast mode chose: ${details['Fast mode']}`);
    const result = doc.results?.[0] ?? doc;
    assert.deepEqual(result.options.fast_mode, { channels, criterion: 'screen', screened });
    assert.equal(result.channels_predicted, predicted);
    assert.ok(doc.model_form_ms_per_pass.int8 > 0 && doc.model_form_ms_per_pass.float32 > 0);
    await screenshot(page, 'web-photo-default');
  });

  test("the teaching views read the photo's run", async () => {
    const { page } = session;
    await page.click('#inside-method > summary');
    await page.waitForFunction(() => document.getElementById('inside-method').dataset.state === 'ready', null, { timeout: 60_000 });
    const label = await pressed(page);
    assert.match(await page.innerText('#teaching-channel-count'), /^1280 channels of 7×7 at the target layer: \d+ scored/);
    assert.match(await page.innerText('#teaching-baseline'), new RegExp(`Baseline b.*“${label}”.*: \\d+\\.\\d`));
    await page.click('#inside-method > summary');
  });

  test('the class search finds a class by part of its name and explains it, top 5 or not', async () => {
    const { page } = session;
    await explained(page, () => pickClass(page, '#class-search', 'goldfi', 'goldfish'));
    assert.equal(await pressed(page), 'goldfish', 'the class explained is shown below the top 5');
    assert.equal(await page.locator('#predictions li').count(), 6);
    await explained(page, () => pickClass(page, '#class-search', 'TIGER C', 'tiger cat'));
    assert.equal(await pressed(page), 'tiger cat');
    await mapLooksReal(page);
  });

  test('why A and not B: the maps of two classes side by side, and the contrastive map', async () => {
    const { page } = session;
    assert.match(await page.locator('#contrast-question').textContent(), /^Why “tiger cat” and not “[^”]+”\?$/, 'B starts as the runner-up');
    await pickClass(page, '#contrast-class', 'tabb', 'tabby');
    assert.equal(await page.locator('#contrast-question').textContent(), 'Why “tiger cat” and not “tabby”?');
    const runs = await finishedRuns(page);
    await page.click('#contrast-run');
    await page.waitForFunction(() => /^Done/.test(document.getElementById('contrast-status').textContent), null, { timeout: 60_000 });
    assert.equal(await finishedRuns(page), runs, 'side runs leave the main run (and its teaching views) alone');
    const captions = await page.$$eval('#contrast-panels figcaption', (c) => c.map((x) => x.textContent));
    assert.deepEqual(captions, ['A: tiger cat', 'B: tabby', 'A − B: tiger cat − tabby']);
    for (const i of [0, 1, 2]) assert.ok((await canvasStats(page, `contrast-map-${i}`)).std > 10, `contrast panel ${i} is a map`);
    assert.ok((await canvasDifference(page, 'contrast-map-0', 'contrast-map-2')) > 0.2, 'the contrastive map is not the map of A');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#contrast-json')]);
    const json = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(json.class_label, 'tiger cat');
    assert.deepEqual([json.class, json.contrast_class, json.contrast_label], [282, 281, 'tabby']);
    await page.locator('#contrast').scrollIntoViewIfNeeded();
    await screenshot(page, 'web-photo-contrast');
  });

  test('a dropped photo is explained by the ImageNet model', async () => {
    const { page } = session;
    const base64 = (await readFile(`${REPO}web/samples/coffee.png`)).toString('base64');
    const transfer = await page.evaluateHandle((b64) => {
      const data = new DataTransfer();
      data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'my-coffee.png', { type: 'image/png' }));
      return data;
    }, base64);
    await explained(page, () => page.dispatchEvent('main', 'drop', { dataTransfer: transfer }));
    assert.match(await pressed(page), /^(espresso|cup|coffee mug)$/);
    assert.match(await page.getAttribute('#image-canvas', 'aria-label'), /my-coffee\.png/);
    await mapLooksReal(page);
  });

  test('without a camera: one sentence, and the page stays usable', async () => {
    const { page, problems } = session;
    await page.click('#camera-toggle');
    await page.locator('#camera-message').waitFor({ state: 'visible' });
    const message = await page.locator('#camera-message').textContent();
    assert.match(message, /^[^.]*camera[^.]*\.$/i, message);
    assert.equal(await page.getAttribute('#camera', 'data-camera'), 'failed');
    assert.ok(await page.locator('#camera-snap').isDisabled());
    await explained(page, () => page.click('#samples button:nth-child(1)'));
    await mapLooksReal(page);
    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
  });
});
