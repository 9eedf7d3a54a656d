// How the page's Classifier (through the WASM core, core/layer_reading.h) lists and reads token
// and channels-last layers of the scripts/make_layer_models.py models: the readings and the
// default as `iscam layers` has them, a layer nothing reads offered with its reason and never the
// default, the overrides of the sidecar (tokens, layer_layout) kept when another output is chosen,
// and the re-drawn copies of the sanity checks reading the layer as the original does.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Classifier } from '../../web/js/classifier.js';
import { layerModel } from './layer-models.mjs';
import { loadCore } from './load-core.mjs';

const BLOCK = '/blocks/blocks.1/Add_1_output_0';
const CHANNELS_LAST = '/stage/act/Relu_output_0';
const inputError = (pattern) => (e) => e instanceof Error && e.name === 'InputError' && pattern.test(e.message);

async function load(name, choices = {}) {
  const ort = await import('../../node_modules/onnxruntime-web/dist/ort.node.min.mjs');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const runtime = { ort, executionProviders: ['wasm'] };
  return Classifier.load(runtime, await loadCore(), new Uint8Array(readFileSync(layerModel(name))), [224, 224], choices);
}

const layer = (classifier, name) => classifier.layers.find((l) => l.name === name);
const zeros = (classifier) => ({ shape: classifier.probeShape, data: new Float32Array(classifier.probeShape.reduce((a, b) => a * b)) });

test('a ViT: token layers read as CLS + 4×4 grid, the last encoder block the default, no attention scores', async () => {
  const classifier = await load('vit-cls');
  try {
    assert.equal(classifier.defaultLayer, BLOCK);
    assert.equal(layer(classifier, BLOCK).reading, 'tokens: CLS + 4×4 grid');
    assert.deepEqual(layer(classifier, BLOCK).shape, [1, 16, 4, 4]);
    assert.deepEqual(layer(classifier, BLOCK).rawShape, [1, 17, 16]);
    assert.ok(!classifier.layers.some((l) => l.name.endsWith('attn/MatMul_output_0')), 'attention scores offered');
    await classifier.selectLayer(BLOCK);
    const { activations } = await classifier.forwardWithLayer(zeros(classifier));
    assert.deepEqual(activations.dims, [1, 16, 4, 4]);
    const copy = await classifier.randomised([1], 3);
    try {
      assert.deepEqual((await copy.forwardWithLayer(zeros(copy))).activations.dims, [1, 16, 4, 4]);
    } finally {
      await copy.dispose();
    }
  } finally {
    await classifier.dispose();
  }
});

test('a channels-last activation between Transposes: read as such, by the graph', async () => {
  const classifier = await load('cnn-channels-last');
  try {
    assert.equal(layer(classifier, CHANNELS_LAST).reading, 'channels-last');
    await classifier.selectLayer(CHANNELS_LAST);
    assert.deepEqual((await classifier.forwardWithLayer(zeros(classifier))).activations.dims, [1, 8, 8, 8]);
  } finally {
    await classifier.dispose();
  }
});

test('a layout nothing tells: offered with the reason, not the default, refused; layerLayout reads it', async () => {
  const classifier = await load('bad-layout');
  try {
    const unread = layer(classifier, CHANNELS_LAST);
    assert.equal(unread.reading, '');
    assert.match(unread.problem, /--layer-layout/);
    assert.notEqual(classifier.defaultLayer, CHANNELS_LAST);
    await classifier.selectLayer(CHANNELS_LAST);
    await assert.rejects(classifier.forwardWithLayer(zeros(classifier)), inputError(/N×C×H×W or N×H×W×C/));
  } finally {
    await classifier.dispose();
  }
  const read = await load('bad-layout', { layerLayout: 'nhwc' });
  try {
    assert.equal(layer(read, CHANNELS_LAST).reading, 'channels-last');
  } finally {
    await read.dispose();
  }
});

test('19 tokens: refused with the reason; tokens: 3 reads them, and stays when another output is chosen', async () => {
  const classifier = await load('bad-tokens');
  try {
    assert.match(layer(classifier, BLOCK).problem, /19 tokens make no grid/);
    await classifier.selectLayer(BLOCK);
    await assert.rejects(classifier.forwardWithLayer(zeros(classifier)), inputError(/19 tokens/));
  } finally {
    await classifier.dispose();
  }
  const read = await load('bad-tokens', { tokens: 3 });
  try {
    assert.equal(layer(read, BLOCK).reading, 'tokens: 3 extra + 4×4 grid');
    await read.setChoices({ output: 'logits' });
    assert.equal(layer(read, BLOCK).reading, 'tokens: 3 extra + 4×4 grid');
    assert.equal(read.defaultLayer, BLOCK);
  } finally {
    await read.dispose();
  }
});
