import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPreset, formatTriple, parseTriple, resolvePreprocess } from '../../web/js/preprocess.js';
import { loadCore } from './load-core.mjs';

const rgb224 = { channels: 3, height: 224, width: 224 };
const grayAny = { channels: 1, height: -1, width: -1 };
const fashion = { preprocess: { size: [28, 28], gray: true, mean: [0.286, 0.286, 0.286], std: [0.353, 0.353, 0.353] } };

test('mean/std text: one value for all channels or three', () => {
  assert.deepEqual(parseTriple('0.5', 'Mean'), [0.5, 0.5, 0.5]);
  assert.deepEqual(parseTriple('0.485, 0.456 0.406', 'Mean'), [0.485, 0.456, 0.406]);
  assert.throws(() => parseTriple('1, 2', 'Std'), /Std needs one or three numbers/);
  assert.throws(() => parseTriple('a', 'Mean'), /Mean/);
  assert.equal(formatTriple([0.48500001430511475, 0.5, 1]), '0.485, 0.5, 1');
});

test("presets come from the core; the sidecar's is the default when there is one", async () => {
  const core = await loadCore();
  const presets = (name) => core.preprocessPreset(name);
  const imagenet = resolvePreprocess(rgb224, null, { preset: 'imagenet' }, presets);
  assert.deepEqual(imagenet.mean.map((v) => +v.toFixed(3)), [0.485, 0.456, 0.406]);
  assert.deepEqual(resolvePreprocess(rgb224, null, { preset: 'unit' }, presets).std, [1, 1, 1]);
  assert.deepEqual(resolvePreprocess(rgb224, null, { preset: 'symmetric' }, presets).mean, [0.5, 0.5, 0.5]);
  assert.throws(() => presets('zscore'), /unknown preprocessing preset/);
  assert.equal(defaultPreset(fashion), 'model');
  assert.equal(defaultPreset(null), 'imagenet');
});

test("the CLI's rules: a fixed input size wins, gray for one channel", () => {
  const none = () => assert.fail('no preset lookup expected');
  const fixed = resolvePreprocess(rgb224, fashion, { preset: 'model', height: 100, width: 100 }, none);
  assert.deepEqual(fixed, { height: 224, width: 224, gray: false, mean: [0.286, 0.286, 0.286], std: [0.353, 0.353, 0.353] });
  const symbolic = resolvePreprocess(grayAny, fashion, { preset: 'model' }, none);
  assert.deepEqual([symbolic.height, symbolic.width, symbolic.gray], [28, 28, true]);
  const chosen = resolvePreprocess(grayAny, null, { preset: 'custom', mean: '0', std: '1', height: 64, width: 48 }, none);
  assert.deepEqual(chosen, { height: 64, width: 48, gray: true, mean: [0, 0, 0], std: [1, 1, 1] });
});

test('impossible preprocessing is refused', () => {
  const none = () => ({ mean: [0, 0, 0], std: [1, 1, 1] });
  assert.throws(() => resolvePreprocess(rgb224, null, { preset: 'model' }, none), /pick a preset/);
  assert.throws(() => resolvePreprocess(rgb224, null, { preset: 'custom', mean: '0', std: '0' }, none), /positive/);
  assert.throws(() => resolvePreprocess(grayAny, null, { preset: 'unit', height: 0, width: 5 }, none), /input size/);
});
