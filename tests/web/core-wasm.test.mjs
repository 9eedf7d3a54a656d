// The WASM core under node: the Explainer driven by hand on a tiny linear "model" whose maps can
// be worked out on paper, the preprocessing against the Python reference's input, the ONNX
// reading and patching, and C++ InputErrors arriving as JS Errors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadCore, REPO } from './load-core.mjs';

// f(X) = Σ X: one class, linear. Input X = [1, 2, 3, 4] (1×1×2×2), layer 1×2×2×2 (no resampling).
const X = new Float32Array([1, 2, 3, 4]);
const A = new Float32Array([1, 0, 0, 0, /* channel 1 */ 0, 0, 0, 2]);
const shapes = { K: 2, h: 2, w: 2, C: 1, H: 2, W: 2 };
const options = { iscamSamples: 10, sscamSamples: 35, sscamSigma: 2, seed: 0 };
const sum = (v) => v.reduce((a, b) => a + b, 0);

function drive(ex, perInput = 4) {
  let passes = 0;
  while (!ex.done()) {
    const batch = ex.nextBatch();
    const n = batch.length / perInput;
    const scores = new Float32Array(n);
    for (let i = 0; i < n; ++i) scores[i] = sum(batch.subarray(i * perInput, (i + 1) * perInput));
    ex.tell(scores);
    passes += n;
  }
  return passes;
}

// On paper: U_0 = [1, 0, 0, 0], U_1 = [0, 0, 0, 1], so f(U_0 ⊙ X) = 1 and f(U_1 ⊙ X) = 4, b = 10.
// Score-CAM s = (1 − 10, 4 − 10); IS-CAM s = (mean γ · f(U ⊙ X) − b) with mean γ = 2.2 for N = 10.
// The map ReLU(w_0 A_0 + w_1 A_1) = [w_0, 0, 0, 2 w_1], min-max normalised: [w_0 / (2 w_1), 0, 0, 1].
function expectedMap(s0, s1) {
  return [Math.exp(s0 - s1) / 2, 0, 0, 1];
}

function assertClose(actual, expected, tolerance, what) {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tolerance, `${what}[${i}]: ${v} vs ${expected[i]}`));
}

test('Score-CAM and IS-CAM on a linear model match the maps worked out by hand', async () => {
  const core = await loadCore();
  const ex = new core.Explainer(['scorecam', 'iscam'], options, shapes, A, X, 10, 8);
  try {
    assert.equal(ex.totalPasses(), 20, "IS-CAM's 2 × 10 passes; Score-CAM comes free with γ_4 = 1");
    assert.equal(drive(ex), 20);
    assertClose(ex.partial('scorecam').map, expectedMap(1 - 10, 4 - 10), 1e-6, 'Score-CAM');
    assertClose(ex.partial('iscam').map, expectedMap(2.2 * 1 - 10, 2.2 * 4 - 10), 1e-6, 'IS-CAM');
    const json = JSON.parse(
      ex.resultJson({ model: 'm.onnx', layer: 'L', classLabel: 'c', classIndex: 0, inferenceMs: 3, otherMs: 1, totalForwardPasses: 21 }),
    );
    assert.deepEqual(json.results.map((r) => r.method), ['scorecam', 'iscam']);
    assert.deepEqual(json.results[0].map_shape, [2, 2]);
    assert.deepEqual(json.timings_ms, { inference: 3, other: 1, total: 4 });
    assert.equal(json.total_forward_passes, 21);
  } finally {
    ex.delete();
  }
});

test('the partial map converges from the strongest channel first', async () => {
  const core = await loadCore();
  const ex = new core.Explainer(['scorecam'], options, shapes, A, X, 10, 1);
  try {
    assert.equal(ex.partial('scorecam').map, null, 'nothing scored yet');
    const first = ex.nextBatch();
    assertClose(Array.from(first), [0, 0, 0, 4], 0, 'channel 1 (energy 4) goes first: U_1 ⊙ X');
    ex.tell(new Float32Array([sum(first)]));
    const partial = ex.partial('scorecam');
    assert.equal(partial.channelsScored, 1);
    assertClose(partial.map, [0, 0, 0, 1], 1e-6, 'one channel: its own normalised activations');
    assert.equal(ex.progress(), 0.5);
  } finally {
    ex.delete();
  }
});

test('SS-CAM is seeded; all-zero channels are skipped', async () => {
  const core = await loadCore();
  const withZero = new Float32Array([...A, 0, 0, 0, 0]);
  const run = (seed) => {
    const ex = new core.Explainer(['sscam'], { ...options, sscamSamples: 5, seed }, { ...shapes, K: 3 }, withZero, X, 10, 4);
    try {
      assert.equal(ex.totalPasses(), 2 * 5);
      assert.equal(ex.channelsSkipped(), 1);
      drive(ex);
      return Array.from(ex.partial('sscam').map);
    } finally {
      ex.delete();
    }
  };
  assert.deepEqual(run(7), run(7));
  assert.notDeepEqual(run(7), run(8));
});

test('the input tensor is the Python reference input of the default sample', async () => {
  const core = await loadCore();
  const sidecar = JSON.parse(readFileSync(`${REPO}web/models/fashion-cnn.json`, 'utf8'));
  const image = core.decodeImage(readFileSync(`${REPO}web/samples/fashion-0-ankle-boot.png`));
  const [height, width] = sidecar.preprocess.size;
  const t = core.inputTensor(image, { height, width, gray: true, mean: sidecar.preprocess.mean, std: sidecar.preprocess.std });
  assert.deepEqual(t.shape, [1, 1, 28, 28]);
  const npy = readFileSync(`${REPO}tests/fixtures/fashion-input.npy`);
  const headerLength = npy.readUInt16LE(8);
  assert.match(npy.toString('latin1', 10, 10 + headerLength), /'descr': '<f4'.*'shape': \(1, 1, 28, 28\)/);
  const reference = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + headerLength, npy.byteOffset + npy.length));
  assertClose(t.data, reference, 1e-5, 'input');
});

test('ONNX models are analysed and made into engine models: layer output, symbolic batch', async () => {
  const core = await loadCore();
  const model = new core.OnnxModel(readFileSync(`${REPO}web/models/fashion-cnn.onnx`));
  try {
    const plan = model.analyse({});
    const { name, batch, channels, height, width, layout, type } = plan.input;
    assert.deepEqual({ name, batch, channels, height, width, layout, type },
      { name: 'input', batch: 1, channels: 1, height: 28, width: 28, layout: 'nchw', type: 'float32' });
    assert.equal(plan.score.output, 'logits');
    assert.deepEqual(plan.scoreOutputs, ['logits']);
    assert.equal(plan.externalData, false);
    assert.ok(plan.probes.some((p) => p.op === 'MaxPool' && !p.quantized));
    const layer = plan.probes.at(-1).name;
    const engine = new core.OnnxModel(model.engineModel([layer], true));
    try {
      const enginePlan = engine.analyse({ output: 'logits' });
      assert.deepEqual(enginePlan.outputs, ['logits', layer]);
      assert.equal(enginePlan.input.batch, -1);
    } finally {
      engine.delete();
    }
    assert.throws(() => model.analyse({ output: 'nope' }), /'nope' is not an output of the model/);
    // How probed layers are read: the core's rule, as natively (core/layer_reading.h).
    const probed = [
      { name: 'x', op: 'Relu', shape: [1, 64, 7, 7] },
      { name: 'flat', op: 'Relu', shape: [1, 64, 1, 1] },
      { name: 't', op: 'Add', shape: [1, 20, 8] },
    ];
    const read = model.readLayers(probed, 28, 28);
    assert.deepEqual(read.layers.map((l) => l.name), ['x', 't']);
    assert.equal(read.layers[0].reading.description, 'channels-first (by shape)');
    assert.equal(read.layers[1].reading, null);
    assert.match(read.layers[1].problem, /20 tokens make no grid/);
    assert.equal(read.defaultIndex, 0);
    const tokens = model.readActivations('t', [1, 5, 2], new Float32Array([9, 9, 1, 2, 3, 4, 5, 6, 7, 8]), 28, 28);
    assert.deepEqual(tokens.dims, [1, 2, 2, 2]);
    assert.deepEqual(Array.from(tokens.data), [1, 3, 5, 7, 2, 4, 6, 8]);
    assert.equal(tokens.reading.description, 'tokens: CLS + 2×2 grid');
    assert.throws(() => model.readActivations('t', [1, 20, 8], new Float32Array(160), 28, 28), /20 tokens/);
  } finally {
    model.delete();
  }
});

test('an int8 model has a float form with the same target layers, none of them quantized', async () => {
  const core = await loadCore();
  const int8 = new core.OnnxModel(readFileSync(`${REPO}web/models/mobilenetv2-12-int8.onnx`));
  const fashion = new core.OnnxModel(readFileSync(`${REPO}web/models/fashion-cnn.onnx`));
  let float = null;
  try {
    assert.ok(int8.isQuantized());
    assert.ok(!fashion.isQuantized());
    float = new core.OnnxModel(int8.floatForm());
    assert.ok(!float.isQuantized());
    const quantized = int8.analyse({}).probes, probes = float.analyse({}).probes;
    assert.ok(quantized.some((p) => p.quantized) && probes.every((p) => !p.quantized));
    const names = new Set(probes.map((p) => p.name));
    for (const p of quantized) assert.ok(names.has(p.name), `${p.name} is a layer of the float form`);
    assert.equal(float.analyse({}).engineScore, int8.analyse({}).engineScore);
  } finally {
    float?.delete();
    fashion.delete();
    int8.delete();
  }
});

test("C++ InputErrors arrive as JS Errors with the core's message", async () => {
  const core = await loadCore();
  const inputError = (fn, pattern) =>
    assert.throws(fn, (e) => e instanceof Error && e.name === 'InputError' && pattern.test(e.message));
  inputError(() => core.decodeImage(new TextEncoder().encode('hello')), /cannot decode the image/);
  inputError(() => new core.OnnxModel(new Uint8Array([0xff, 0xff, 0xff])), /not an ONNX model/);
  inputError(() => new core.Explainer(['gradcam'], options, shapes, A, X, 10, 4), /unknown method/);
  inputError(() => new core.Explainer(['sscam'], { ...options, sscamSamples: 0 }, shapes, A, X, 10, 4), /SS-CAM samples/);
  inputError(() => new core.Explainer(['iscam'], options, { ...shapes, K: 3 }, A, X, 10, 4), /K·h·w/);
  inputError(() => new core.Explainer(['iscam'], options, shapes, A, X, NaN, 4), /not finite/);
});
