import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileKind } from '../../web/js/files.js';
import { layerInfo, modelChoices, openingOrder } from '../../web/js/page-model.js';

test("a sidecar's size, output, layout and layer reading go to the worker; without one, 224 and defaults", () => {
  const sidecar = { preprocess: { size: [32, 48] }, output: 'logits', layout: 'nhwc', tokens: 'patches', grid: [4, 4], layer_layout: 'nlc' };
  assert.deepEqual(modelChoices(sidecar), {
    probeSize: [32, 48],
    choices: { output: 'logits', layout: 'nhwc', tokens: 'patches', grid: [4, 4], layerLayout: 'nlc' },
  });
  assert.deepEqual(modelChoices(null), {
    probeSize: [224, 224],
    choices: { output: '', layout: '', tokens: undefined, grid: undefined, layerLayout: '' },
  });
});

test('dropped files open models and labels before the image, each kind keeping its order', () => {
  const files = ['cat.png', 'net.onnx', 'dog.jpg', 'labels.txt'].map((name) => ({ name }));
  assert.deepEqual(openingOrder(files, fileKind).map((f) => f.name), ['net.onnx', 'labels.txt', 'cat.png', 'dog.jpg']);
});

test('a layer by name, the last layer when the name is not one of the model', () => {
  const info = { layers: [{ name: 'a', shape: [1, 8, 4, 4] }, { name: 'b', shape: [1, 16, 2, 2] }] };
  assert.equal(layerInfo(info, 'a').shape[1], 8);
  assert.equal(layerInfo(info, 'gone').name, 'b');
});
