// The worker's ask/tell loop with a stand-in classifier (f_c(X) = (c + 1) · Σ X) instead of
// ONNX Runtime Web: batching, progress with partial maps, the class choice, cancelling, the JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExplanation } from '../../web/js/explain-run.js';
import { loadCore } from './load-core.mjs';

const sum = (v) => v.reduce((a, b) => a + b, 0);

class LinearClassifier {
  layer = 'features';
  batches = [];
  constructor(maxBatch) {
    this.maxBatch = maxBatch;
  }
  async forwardWithLayer({ shape, data }) {
    assert.deepEqual(shape, [1, 1, 2, 2]);
    const s = sum(data);
    // Two channels at 2×2: one bright pixel each (channel 1 stronger).
    const activations = new Float32Array([1, 0, 0, 0, 0, 0, 0, 2]);
    return { logits: new Float32Array([s, 2 * s]), activations: { dims: [1, 2, 2, 2], data: activations } };
  }
  async classScores(batch, n, cls) {
    this.batches.push(n);
    const per = batch.length / n;
    return Float32Array.from({ length: n }, (_, i) => (cls + 1) * sum(batch.subarray(i * per, (i + 1) * per)));
  }
}

const request = {
  image: { width: 2, height: 2, rgb: new Uint8Array([51, 51, 51, 102, 102, 102, 153, 153, 153, 204, 204, 204]) },
  preprocess: { height: 2, width: 2, gray: true, mean: [0, 0, 0], std: [0.2, 0.2, 0.2] },
  methods: ['iscam'],
  options: { iscamSamples: 10, sscamSamples: 35, sscamSigma: 2, seed: 0 },
  classIndex: -1,
  batch: 3,
  labels: ['zero', 'one'],
  modelName: 'linear.onnx',
};

function hooks(overrides = {}) {
  const seen = { predictions: [], progress: [] };
  return {
    seen,
    predictions: (logits, classIndex) => seen.predictions.push({ logits: Array.from(logits), classIndex }),
    progress: (state) => seen.progress.push(state),
    cancelled: () => false,
    yieldToEvents: async () => {},
    ...overrides,
  };
}

test('runs the plan to the end in batches and returns the CLI-shaped JSON', async () => {
  const core = await loadCore();
  const classifier = new LinearClassifier(64);
  const h = hooks();
  const result = await runExplanation(core, classifier, request, h);
  // X = gray / 255 / 0.2 = [1, 2, 3, 4]; the top-1 class is 1 (f_1 = 2 Σ X); b = 20.
  assert.deepEqual(h.seen.predictions, [{ logits: [10, 20], classIndex: 1 }]);
  assert.deepEqual(classifier.batches, [3, 3, 3, 3, 3, 3, 2]);
  assert.equal(result.forwardPasses, 21);
  const json = JSON.parse(result.json);
  assert.equal(json.method, 'iscam');
  assert.equal(json.model, 'linear.onnx');
  assert.equal(json.layer, 'features');
  assert.equal(json.class, 1);
  assert.equal(json.class_label, 'one');
  assert.equal(json.total_forward_passes, 21);
  assert.ok(json.timings_ms.total >= json.timings_ms.inference);
  // IS-CAM: s_k = 2.2 · f_1(U_k ⊙ X) − b = (2.2 · 2 · 1 − 20, 2.2 · 2 · 4 − 20); map [w_0 / (2 w_1), 0, 0, 1].
  const expected = [Math.exp(2.2 * 2 * (1 - 4)) / 2, 0, 0, 1];
  json.map.flat().forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `map[${i}]`));
  assert.deepEqual(Array.from(result.partials[0].map), json.map.flat().map(Math.fround));
  const last = h.seen.progress.at(-1);
  // Progress goes out after every batch until a first channel is complete (10 passes: batch 4).
  assert.equal(h.seen.progress.findIndex((p) => p.partials[0].map !== null), 3);
  assert.ok(last.done <= last.total && last.total === 20);
  assert.ok(result.timings.coreMs > 0 && result.timings.inferenceMs >= 0);
});

test('a model with a fixed batch runs one input at a time; a chosen class is explained', async () => {
  const core = await loadCore();
  const classifier = new LinearClassifier(1);
  const result = await runExplanation(core, classifier, { ...request, classIndex: 0, methods: ['scorecam'] }, hooks());
  assert.deepEqual(classifier.batches, [1, 1]);
  assert.equal(JSON.parse(result.json).class_label, 'zero');
  await assert.rejects(runExplanation(core, classifier, { ...request, classIndex: 5 }, hooks()), /class 5 is out of range/);
});

test('cancelling stops between two batches', async () => {
  const core = await loadCore();
  const classifier = new LinearClassifier(64);
  let progressed = 0;
  const h = hooks({ progress: () => ++progressed, cancelled: () => progressed >= 2 });
  const result = await runExplanation(core, classifier, { ...request, methods: ['sscam'] }, h);
  assert.deepEqual(result, { cancelled: true });
  assert.equal(classifier.batches.length, 2);
});
