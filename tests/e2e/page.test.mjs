// The page end to end in headless Chromium: the default explanation, the JSON download against
// the native CLI, a user model through the file input, bad files, Cancel, no foreign requests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import {
  OUTPUT,
  REPO,
  WEB_ROOT,
  canvasDifference,
  canvasStats,
  finishedRuns,
  launch,
  openPage,
  pageSession,
  screenshot,
  onnxModel,
  serve,
  squeezenetModel,
  waitForError,
  waitForRun,
  RUNTIME_THREADS,
} from './harness.mjs';

const CLI = process.env.ISCAM_CLI ?? `${REPO}build/native/native/iscam`;

async function heatmapLooksReal(page, method) {
  const stats = await canvasStats(page, `map-${method}`);
  assert.ok(stats.width > 0 && stats.height > 0, 'the heat map canvas has pixels');
  assert.ok(stats.colours > 100, `the heat map has many colours (${stats.colours})`);
  assert.ok(stats.std > 10, `the heat map is not uniform (std ${stats.std.toFixed(1)})`);
  assert.ok((await canvasDifference(page, 'image-canvas', `map-${method}`)) > 0.5, 'the overlay differs from the image');
}

async function explainAndWait(page, action) {
  const before = await finishedRuns(page);
  await action();
  await waitForRun(page, before);
}

const fashionSamples = (manifest) => manifest.samples.filter((s) => s.models?.includes('fashion-cnn'));

async function downloadJson(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

describe('the page', { timeout: 170_000 }, () => {
  const session = pageSession({ query: '?model=fashion-cnn' });

  test("explains the Fashion model's first sample with IS-CAM without a click", async () => {
    const { page } = session;
    await waitForRun(page, 0);
    await heatmapLooksReal(page, 'iscam');
    assert.equal(await page.locator('#predictions li').count(), 5);
    assert.match(await page.locator('#predictions [aria-pressed="true"]').textContent(), /Ankle boot/);
    assert.match(await page.locator('#runtime').textContent(), RUNTIME_THREADS);
    await screenshot(page, 'web-default');
  });

  test("the downloaded JSON map equals the native CLI's", async () => {
    const { page } = session;
    assert.ok(existsSync(CLI), `the native CLI is built at ${CLI}`);
    // Once measured, the faithfulness metrics are part of it, as with the CLI's --metrics.
    await page.waitForFunction(() => document.getElementById('faithfulness').dataset.metrics);
    const page_ = await downloadJson(page);
    const manifest = JSON.parse(await readFile(`${WEB_ROOT}/samples/index.json`, 'utf8'));
    const out = `${OUTPUT}/cli-default.json`;
    execFileSync(CLI, [
      'explain', '--model', `${REPO}web/models/fashion-cnn.onnx`, '--image', `${REPO}web/samples/${fashionSamples(manifest)[0].file}`,
      '--method', 'iscam', '--layer', page_.layer, '--metrics', '--json', out,
    ]);
    const cli = JSON.parse(await readFile(out, 'utf8'));
    for (const key of ['method', 'layer', 'class', 'class_label', 'map_shape', 'channels', 'forward_passes', 'total_forward_passes'])
      assert.deepEqual(page_[key], cli[key], key);
    assert.deepEqual(Object.keys(page_).sort(), Object.keys(cli).sort(), 'the same fields as the CLI');
    let worst = 0;
    cli.map.forEach((row, y) => row.forEach((v, x) => (worst = Math.max(worst, Math.abs(v - page_.map[y][x])))));
    assert.ok(worst <= 1e-4, `largest map difference ${worst}`);
  });

  test('an image dropped on the page is explained', async () => {
    const { page } = session;
    const manifest = JSON.parse(await readFile(`${WEB_ROOT}/samples/index.json`, 'utf8'));
    const sample = fashionSamples(manifest)[1];
    const base64 = (await readFile(`${REPO}web/samples/${sample.file}`)).toString('base64');
    const transfer = await page.evaluateHandle(
      ([name, b64]) => {
        const data = new DataTransfer();
        data.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name, { type: 'image/png' }));
        return data;
      },
      [sample.file, base64],
    );
    await explainAndWait(page, () => page.dispatchEvent('main', 'drop', { dataTransfer: transfer }));
    assert.match(await page.locator('#predictions [aria-pressed="true"]').textContent(), new RegExp(sample.title));
    await heatmapLooksReal(page, 'iscam');
  });

  test('explains a user model loaded through the file input', async () => {
    const { page } = session;
    await page.fill('#batch', '16');
    await explainAndWait(page, () => page.check('input[name="method"][value="scorecam"]'));
    const loaded = page.waitForFunction(() => /squeezenet/.test(document.getElementById('model-name').textContent));
    await page.setInputFiles('#model-file', squeezenetModel());
    await loaded;
    assert.match(await page.locator('#model-input').textContent(), /1×3×224×224/);
    const features = await page.$$eval('#layer option', (options) =>
      options.filter((o) => o.textContent.includes('Concat') && o.textContent.includes('512×13×13')).at(-1).value,
    );
    // The page picks its starting run from the time of a pass (a busy machine may pick fast
    // IS-CAM); fast Score-CAM keeps every run here well inside what the page starts on its own.
    await page.check('input[name="method"][value="scorecam"]');
    await page.selectOption('#channels', '64');
    await explainAndWait(page, () => page.selectOption('#layer', features));
    await heatmapLooksReal(page, 'scorecam');
    const result = await downloadJson(page);
    assert.equal(result.layer, features);
    assert.equal(result.method, 'scorecam');
    assert.equal(result.map_shape.join('×'), '13×13');
    assert.notEqual(result.class_label, '', 'ImageNet class names for a 1000-class model');
    await screenshot(page, 'web-squeezenet-scorecam');
  });

  test('a bad file shows a message and the page still explains the next good input', async () => {
    const { page } = session;
    await page.setInputFiles('#image-file', { name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture') });
    assert.match(await waitForError(page), /notes\.png.*cannot decode the image/);
    await screenshot(page, 'web-bad-image');
    await page.setInputFiles('#model-file', { name: 'picture.onnx', mimeType: 'application/octet-stream', buffer: await readFile(`${REPO}web/samples/chelsea.png`) });
    assert.match(await waitForError(page), /picture\.onnx.*not an ONNX model/);
    await page.click('#error-close');
    await page.setInputFiles('#model-file', onnxModel('no-spatial-layer'));
    assert.match(await waitForError(page), /no-spatial-layer\.onnx.*no tensor that could be a target layer/);
    await page.click('#error-close');
    await page.setInputFiles('#model-file', onnxModel('reshape-fails'));
    assert.match(await waitForError(page), /reshape-fails\.onnx.*ONNX Runtime failed to run the model: The input tensor cannot be reshaped/);
    await screenshot(page, 'web-onnx-runtime-error');
    await explainAndWait(page, () => page.setInputFiles('#image-file', `${REPO}web/samples/coffee.png`));
    assert.ok(await page.locator('#error').isHidden(), 'the error is gone');
    await heatmapLooksReal(page, 'scorecam');
    assert.match(await page.locator('#model-name').textContent(), /squeezenet/, 'the previous model is still in use');
  });

  test('a long SS-CAM run says its estimate before it starts; Cancel stops it', async () => {
    const { page } = session;
    await page.check('input[name="method"][value="sscam"]');
    await page.waitForFunction(() => /did not start on its own/.test(document.getElementById('fast-note').textContent));
    const runs = await finishedRuns(page);
    await page.fill('#sscam-samples', '10000'); // about a day on a 224 model here
    const estimate = /An exact SS-CAM run takes about \d+ h \d\d min/;
    await page.waitForFunction((re) => new RegExp(re).test(document.getElementById('fast-note').textContent), estimate.source);
    assert.ok(await page.locator('#cancel').isDisabled(), 'nothing runs before Explain');
    await page.click('#explain'); // over 30 s: the page starts it only when asked
    await page.waitForFunction(() => Number(document.getElementById('progress').value) > 0 && !document.getElementById('cancel').disabled);
    assert.match(await page.locator('#fast-note').textContent(), estimate, 'the estimate stays while it runs');
    await page.click('#cancel');
    await page.waitForFunction(() => /Cancelled/.test(document.getElementById('status').textContent));
    const stopped = await page.locator('#progress-text').textContent();
    await page.waitForTimeout(1500);
    assert.equal(await page.locator('#progress-text').textContent(), stopped, 'no progress after Cancel');
    assert.ok(await page.locator('#cancel').isDisabled());
    await screenshot(page, 'web-cancelled');
    assert.equal(await finishedRuns(page), runs);
  });

  test('asks nothing of other origins and logs no errors', () => {
    const { problems } = session;
    assert.deepEqual(problems.foreignRequests, []);
    assert.deepEqual(problems.consoleErrors, []);
  });
});

describe('the page without cross-origin isolation', { timeout: 60_000 }, () => {
  test('runs on one thread and says so', async () => {
    const { server, url } = await serve({ isolated: false });
    const browser = await launch();
    try {
      const { page, problems } = await openPage(browser, `${url}?model=fashion-cnn`);
      await waitForRun(page, 0);
      await heatmapLooksReal(page, 'iscam');
      assert.match(await page.locator('#runtime').textContent(), /1 thread\b/);
      assert.match(await page.locator('#runtime-note').textContent(), /not cross-origin isolated/);
      assert.deepEqual(problems.consoleErrors, []);
      await screenshot(page, 'web-not-isolated');
    } finally {
      await browser.close();
      server.close();
    }
  });
});
