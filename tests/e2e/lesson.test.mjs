// Lesson mode in headless Chromium (one page load): the honest and the shortcut shapes model side
// by side. With its class's marker, every scene's shortcut map sits in the top-left corner and the
// honest map on the shape; without it, the shortcut map moves to the shape. Checked twice: by the
// core's pointing game the page shows, and here from the map itself against the mask file. Then
// the bundled ViT beside the honest CNN on the same scenes, its map read from the last encoder
// block's patch tokens. The page's own model and runs carry on beside the lesson models.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { finishedRuns, OUTPUT, pageSession, waitForRun } from './harness.mjs';

const SCENES = ['0000-star', '0001-ring', '0002-triangle', '0003-cross', '0004-circle', '0005-square'];
// Of these six scenes without markers, the ViT's Score-CAM map peaks on the shape in this many:
// the CNN and the ViT do not always look at the same place.
const VIT_ON_SHAPE = 3;

async function showScene(page, index, marked) {
  await page.click(`#lesson-scenes button:nth-child(${index + 1})`);
  if ((await page.isChecked('#lesson-marker')) !== marked) await page.click('#lesson-marker');
  await page.waitForFunction(
    ([scene, on]) => {
      const view = document.getElementById('lesson-view');
      const text = document.getElementById('lesson-status')?.textContent ?? '';
      return view.dataset.state !== 'loading' && text.startsWith(`${scene.slice(5)}, ${on ? 'with' : 'without'}`);
    },
    [SCENES[index], marked],
    { timeout: 60_000 },
  );
  assert.equal(await page.getAttribute('#lesson-view', 'data-state'), 'ready', await page.innerText('#lesson-status'));
  return page.$$eval('.lesson-figure', (figures) =>
    Object.fromEntries(
      figures.map((f) => [
        f.id.replace('lesson-', ''),
        { label: f.dataset.label, shapeHit: f.dataset.shapeHit === 'true', cornerHit: f.dataset.cornerHit === 'true', map: JSON.parse(f.dataset.map) },
      ]),
    ),
  );
}

// Where the 8×8 map peaks, checked in the page against the scene's mask (64×64 PNG): the peak
// cell's 8×8 pixels, whether any is on the object, and whether the cell is in the top-left 2×2.
function peakCell(page, scene, map) {
  return page.evaluate(
    async ([file, values]) => {
      const bitmap = await createImageBitmap(await (await fetch(`samples/shapes/masks/${file}.png`)).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext('2d');
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(0, 0, 64, 64);
      let peak = 0;
      values.forEach((v, i) => (peak = v > values[peak] ? i : peak));
      const [row, col] = [Math.floor(peak / 8), peak % 8];
      let onShape = false;
      for (let y = row * 8; y < row * 8 + 8; ++y) for (let x = col * 8; x < col * 8 + 8; ++x) onShape ||= data[(y * 64 + x) * 4] >= 128;
      return { row, col, inCorner: row <= 1 && col <= 1, onShape };
    },
    [scene, map],
  );
}

describe('lesson mode', { timeout: 170_000 }, () => {
  const session = pageSession({ query: '?model=fashion-cnn', firstRun: true });
  before(() => session.page.click('#lesson-view > summary'));

  test('with the marker: the shortcut model looks at the corner, the honest one at the shape', async () => {
    const { page } = session;
    for (const [i, scene] of SCENES.entries()) {
      const { honest, shortcut } = await showScene(page, i, true);
      const truth = scene.slice(5);
      assert.equal(shortcut.label, truth, `${scene}: the marker gives the shortcut model the class`);
      assert.ok(shortcut.cornerHit && !shortcut.shapeHit, `${scene}: the shortcut map peaks in the corner`);
      assert.equal(honest.label, truth, `${scene}: the honest model`);
      assert.ok(honest.shapeHit && !honest.cornerHit, `${scene}: the honest map peaks on the shape`);
      const peak = await peakCell(page, scene, shortcut.map);
      assert.ok(peak.inCorner && !peak.onShape, `${scene}: shortcut peak cell ${peak.row},${peak.col}`);
      assert.ok((await peakCell(page, scene, honest.map)).onShape, `${scene}: honest peak cell`);
    }
    await page.locator('#lesson').screenshot({ path: `${OUTPUT}/lesson-marker-on.png` });
  });

  test('without the marker: the shortcut map moves to the shape', async () => {
    const { page } = session;
    const ring = SCENES.indexOf('0001-ring');
    const { honest, shortcut } = await showScene(page, ring, false);
    assert.equal(shortcut.label, 'ring');
    assert.ok(shortcut.shapeHit && !shortcut.cornerHit, 'the shortcut map peaks on the ring');
    assert.ok((await peakCell(page, '0001-ring', shortcut.map)).onShape);
    assert.ok(honest.shapeHit);
    assert.match(await page.innerText('#lesson-shortcut figcaption'), /Looks at the shape/);
    await page.locator('#lesson').screenshot({ path: `${OUTPUT}/lesson-marker-off.png` });
    // Without its marker the shortcut model gets the cross wrong, and the page says so.
    const cross = await showScene(page, SCENES.indexOf('0003-cross'), false);
    assert.notEqual(cross.shortcut.label, 'cross');
    assert.match(await page.innerText('#lesson-shortcut figcaption'), /✗ it is a cross/);
    assert.match(await page.innerText('.lesson-facts'), /65\.4 % without and 100\.0 % with/);
  });

  test('the CNN and the ViT on the same scene: where each looks, and whether they agree', async () => {
    const { page } = session;
    await page.selectOption('#lesson-pair', 'vit');
    let vitOnShape = 0;
    for (const [i, scene] of SCENES.entries()) {
      const { honest, vit } = await showScene(page, i, false);
      const truth = scene.slice(5);
      assert.equal(vit.label, truth, `${scene}: the ViT`);
      assert.equal(vit.map.length, 64, 'the 8×8 grid of patch tokens');
      const [cnnPeak, vitPeak] = [await peakCell(page, scene, honest.map), await peakCell(page, scene, vit.map)];
      if (vit.shapeHit) vitOnShape += 1;
      const compare = await page.$eval('#lesson-compare', (p) => ({ text: p.textContent, hidden: p.hidden, apart: Number(p.dataset.apart) }));
      assert.equal(compare.hidden, false);
      assert.ok(Math.abs(compare.apart - 8 * Math.hypot(cnnPeak.row - vitPeak.row, cnnPeak.col - vitPeak.col)) < 1e-9, `${scene}: peaks apart`);
      const verdict = honest.shapeHit && vit.shapeHit ? /Yes, on the shape/ : honest.shapeHit || vit.shapeHit ? /No: only the/ : /Neither map/;
      assert.match(compare.text, verdict, scene);
    }
    assert.equal(vitOnShape, VIT_ON_SHAPE, `the ViT's map peaks on the shape in ${vitOnShape} of ${SCENES.length} scenes`);
    assert.match(await page.innerText('#lesson-vit figcaption'), /^ViT\n/);
    assert.match(await page.innerText('.lesson-facts'), /the ViT on \d+\.\d % without/);
    await page.locator('#lesson').screenshot({ path: `${OUTPUT}/lesson-cnn-vit.png` });
    // Back to the shortcut pair: the comparison goes, the shortcut model comes back.
    await page.selectOption('#lesson-pair', 'shortcut');
    const { shortcut } = await showScene(page, 0, true);
    assert.ok(shortcut.cornerHit);
    assert.equal(await page.$eval('#lesson-compare', (p) => p.hidden), true);
  });

  test("another method, and the page's own model carries on beside the lesson", async () => {
    const { page } = session;
    await page.selectOption('#lesson-method', 'iscam');
    await page.waitForSelector('#lesson-view[data-state="ready"]', { timeout: 60_000 });
    assert.match(await page.innerText('#lesson-status'), /IS-CAM\.$/);
    const before = await finishedRuns(page);
    await page.check('input[name="method"][value="scorecam"]');
    await waitForRun(page, before);
    assert.match(await page.innerText('#predictions [aria-pressed="true"]'), /Ankle boot/);
    // Closed, the lesson frees its models; opened again, it loads them again.
    await page.click('#lesson-view > summary');
    await page.click('#lesson-view > summary');
    await page.selectOption('#lesson-method', 'scorecam');
    const { shortcut } = await showScene(page, 0, true);
    assert.ok(shortcut.cornerHit);
  });

  test('no console errors, no foreign requests', () => {
    const { problems } = session;
    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
  });
});
