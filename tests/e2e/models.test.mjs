// Models as people bring them, in the page: an int8 model explained with no layer picked by hand,
// a model that fails to load said so until one loads (and the maps meanwhile saying which model
// made them), external data refused with what to do, and an ImageNet model that starts with a run
// of at most 30 s rather than a many-minute exact one.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { layerModel } from '../web/layer-models.mjs';
import { REPO, canvasStats, finishedRuns, pageSession, screenshot, squeezenetModel, waitForError, waitForRun } from './harness.mjs';

const MODELS = `${REPO}build/native/test-models`;  // where ctest makes them (made here when missing)

// scripts/quantize_onnx.py's int8 versions of the bundled model, and the odd-case models.
function testModel(file) {
  const path = `${MODELS}/${file}`;
  if (!existsSync(path)) {
    execFileSync(`${REPO}scripts/make_quantized_models.sh`, [MODELS], { stdio: 'ignore' });
    execFileSync('/usr/bin/python3', [`${REPO}scripts/make_test_models.py`, '--cases', MODELS], { stdio: 'ignore' });
  }
  return path;
}

async function downloadJson(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

async function loadModel(page, path, name) {
  const before = await finishedRuns(page);
  await page.setInputFiles('#model-file', path);
  await page.waitForFunction((n) => document.getElementById('model-name').textContent.includes(n), name);
  return before;
}

describe('models in the page', { timeout: 240_000 }, () => {
  const session = pageSession({ query: '?model=fashion-cnn', firstRun: true });

  test('an int8 (QOperator) model from the file input is explained with no layer picked by hand', async () => {
    const { page } = session;
    const before = await loadModel(page, testModel('fashion-cnn-int8-qoperator.onnx'), 'fashion-cnn-int8-qoperator');
    await waitForRun(page, before);
    const layers = await page.$$eval('#layer option', (options) => options.map((o) => o.textContent));
    assert.ok(layers.some((l) => /QLinearConv .* uint8/.test(l)), `quantized layers are offered: ${layers.join(' | ')}`);
    assert.match(await page.locator('#layer option:checked').textContent(), /DequantizeLinear .*64×7×7 \(default\)/);
    const stats = await canvasStats(page, 'map-iscam');
    assert.ok(stats.colours > 100 && stats.std > 10, `a real heat map (${stats.colours} colours, std ${stats.std})`);
    const result = await downloadJson(page);
    assert.equal(result.layer, '/pool2/MaxPool_output_0');
    assert.equal(result.model, 'fashion-cnn-int8-qoperator.onnx');
    assert.match(await page.locator('#map-model').textContent(), /Explained with fashion-cnn-int8-qoperator\.onnx · layer \/pool2/);
    await screenshot(page, 'web-int8-qoperator');
  });

  test('a model that fails to load is said so until a model loads; maps meanwhile name their model', async () => {
    const { page } = session;
    await page.setInputFiles('#model-file', { name: 'broken.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model') });
    assert.match(await waitForError(page), /broken\.onnx.*not an ONNX model/);
    assert.match(await page.locator('#model-error').textContent(), /broken\.onnx did not load: .*not an ONNX model/);
    // A new image clears the passing error, not the model's failure; its map says which model made it.
    const before = await finishedRuns(page);
    await page.setInputFiles('#image-file', `${REPO}web/samples/fashion-9-sneaker.png`);
    await waitForRun(page, before);
    assert.ok(await page.locator('#model-error').isVisible(), 'the failure is still said');
    assert.match(
      await page.locator('#map-model').textContent(),
      /Explained with fashion-cnn-int8-qoperator\.onnx.*broken\.onnx did not load, so this is the previous model's map/,
    );
    await screenshot(page, 'web-model-failed');

    await page.setInputFiles('#model-file', testModel('case-external-data.onnx'));
    assert.match(await waitForError(page), /external data.*Re-save it as one file/);
    assert.match(await page.locator('#model-error').textContent(), /case-external-data\.onnx did not load/);

    const loaded = await loadModel(page, `${REPO}web/models/fashion-cnn.onnx`, 'fashion-cnn.onnx');
    await waitForRun(page, loaded);
    assert.ok(await page.locator('#model-error').isHidden(), 'a model loaded: the failure is no longer said');
    assert.doesNotMatch(await page.locator('#map-model').textContent(), /did not load/);
  });

  test('an ImageNet model starts with a run of at most 30 s, and fast mode is suggested', async () => {
    const { page } = session;
    await page.check('input[name="method"][value="iscam"]');
    await page.selectOption('#channels', '0');
    const started = Date.now();
    const before = await loadModel(page, squeezenetModel(), 'squeezenet1_1');
    await waitForRun(page, before, 90_000);
    const channels = await page.locator('#channels').inputValue();
    assert.notEqual(channels, '0', 'exact IS-CAM of 1000 channels is minutes: the page picked fast mode');
    // Fast IS-CAM if it fits seconds here, else fast Score-CAM (run-budget.js's startingRun); the
    // note gives exact mode's estimate when that method's exact run is over the limit.
    const method = await page.$eval('input[name="method"]:checked', (i) => i.value);
    if (method === 'iscam')
      assert.match(await page.locator('#fast-note').textContent(), new RegExp(`An exact IS-CAM run takes about .*; fast mode \\(${channels} channels\\) about`));
    else assert.equal(method, 'scorecam', 'the fast starting run is IS-CAM or Score-CAM');
    const result = await downloadJson(page);
    // 8·K screened, and a tenth of the layer's 1000 channels at least.
    assert.deepEqual(result.options.fast_mode, { channels: Number(channels), criterion: 'screen', screened: Math.max(8 * Number(channels), 100) });
    assert.ok(Date.now() - started < 75_000, `the first run finished in ${(Date.now() - started) / 1000} s`);
    // Asking for exact IS-CAM by changing a setting does not start it; the Explain button would.
    // (With fast Score-CAM chosen, exact Score-CAM may fit the limit here and would start.)
    if (method === 'iscam') {
      const runs = await finishedRuns(page);
      await page.selectOption('#channels', '0');
      await page.waitForFunction(() => /did not start on its own/.test(document.getElementById('fast-note').textContent));
      assert.equal(await finishedRuns(page), runs);
      assert.ok(await page.locator('#cancel').isDisabled(), 'nothing runs');
    }
    await screenshot(page, 'web-fast-mode');
  });

  test('a ViT: its last encoder block is the default, read as a token grid; a layer nothing reads is listed, not offered', async () => {
    const { page } = session;
    const before = await loadModel(page, layerModel('vit-cls'), 'vit-cls');
    await waitForRun(page, before);
    assert.match(
      await page.locator('#layer option:checked').textContent(),
      /blocks\.1\/Add_1_output_0 · Add · 1×16×4×4 \(default\) · tokens: CLS \+ 4×4 grid/,
    );
    await loadModel(page, layerModel('bad-layout'), 'bad-layout');
    const untold = page.locator('#layer option', { hasText: '/stage/act/Relu_output_0' });
    assert.match(await untold.textContent(), /not read: .*--layer-layout/);
    assert.ok(await untold.evaluate((o) => o.disabled), 'a layer nothing reads cannot be picked');
  });

  test('logs no errors', () => {
    const { problems } = session;
    assert.deepEqual(problems.consoleErrors, []);
  });
});
