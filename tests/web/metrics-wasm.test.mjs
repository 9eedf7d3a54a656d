// The faithfulness metrics of the WASM core (wasm/bind_metrics.cpp) and the worker's loop around
// them (web/js/faithfulness-run.js), on a linear stand-in model whose curves are worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFaithfulness } from '../../web/js/faithfulness-run.js';
import { loadCore } from './load-core.mjs';

const sum = (v) => v.reduce((a, b) => a + b, 0);
// Logits (Σ X, −Σ X) of each input of a batch, rows back to back.
function linearLogits(batch, n) {
  const per = batch.length / n;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; ++i) {
    const s = sum(batch.subarray(i * per, (i + 1) * per));
    out[2 * i] = s;
    out[2 * i + 1] = -s;
  }
  return out;
}

// X = [1, 2, 3, 4] (1×2×2), S = [0.25, 1, 0, 0.5] (2×2): positions in the order 1, 3, 0, 2.
const X = new Float32Array([1, 2, 3, 4]);
const S = new Float32Array([0.25, 1, 0, 0.5]);
const shape = { C: 1, H: 2, W: 2 };
const mapShape = { h: 2, w: 2 };

function drive(ev) {
  let passes = 0;
  while (!ev.done()) {
    const batch = ev.nextBatch();
    const n = batch.length / 4;
    ev.tell(linearLogits(batch, n));
    passes += n;
  }
  return passes;
}

test('deletion, insertion, Average Drop and Increase by hand (logit score, 4 steps)', async () => {
  const core = await loadCore();
  const options = { steps: 4, baseline: 'zeros', score: 'logit' };
  const ev = new core.Faithfulness(options, shape, X, S, mapShape, new Float32Array([10, -10]), 0, 3);
  try {
    assert.equal(ev.totalPasses(), 8);
    assert.ok(Number.isNaN(ev.result().deletionAuc), 'no AUC before the end');
    assert.equal(drive(ev), 8);
    const r = ev.result();
    assert.deepEqual(r.fractions, [0, 0.25, 0.5, 0.75, 1]);
    assert.deepEqual(r.deletion, [10, 8, 4, 3, 0]);
    assert.deepEqual(r.insertion, [0, 2, 6, 7, 10]);
    assert.equal(r.deletionAuc, 5);
    assert.equal(r.insertionAuc, 5);
    assert.equal(r.maskedScore, 4.25);
    assert.ok(Math.abs(r.averageDrop - 5.75 / (10 + 1e-7)) < 1e-12);
    assert.equal(r.increase, false);
    const json = JSON.parse(ev.resultJson());
    assert.equal(json.score, 'logit');
    assert.deepEqual(json.deletion_curve, [10, 8, 4, 3, 0]);
    assert.equal(json.increase_in_confidence, 0);
    assert.equal(json.forward_passes, 8);
  } finally {
    ev.delete();
  }
});

test('softmax scores come from every logit; a constant baseline', async () => {
  const core = await loadCore();
  const options = { steps: 1, baseline: '-1', score: 'softmax' };
  const ev = new core.Faithfulness(options, shape, X, S, mapShape, new Float32Array([10, -10]), 1, 8);
  try {
    drive(ev);
    const r = ev.result();
    const sigmoid = (z) => 1 / (1 + Math.exp(-z));
    // Class 1's probability is sigmoid(−2 Σ X); the all-baseline input has Σ X = −4.
    assert.ok(Math.abs(r.score - sigmoid(-20)) < 1e-12);
    assert.deepEqual(r.fractions, [0, 1]);
    assert.ok(Math.abs(r.deletion[1] - sigmoid(8)) < 1e-7, r.deletion[1]);
    assert.equal(r.increase, true);
    assert.equal(JSON.parse(ev.resultJson()).baseline, '-1');
  } finally {
    ev.delete();
  }
});

test("bad arguments are InputErrors with the core's message", async () => {
  const core = await loadCore();
  const ok = { steps: 4, baseline: 'zeros', score: 'softmax' };
  const logits = new Float32Array([1, 2]);
  const inputError = (fn, pattern) =>
    assert.throws(fn, (e) => e instanceof Error && e.name === 'InputError' && pattern.test(e.message));
  inputError(() => new core.Faithfulness({ ...ok, baseline: 'grey' }, shape, X, S, mapShape, logits, 0, 4), /zeros, blur or a number/);
  inputError(() => new core.Faithfulness({ ...ok, score: 'prob' }, shape, X, S, mapShape, logits, 0, 4), /softmax or logit/);
  inputError(() => new core.Faithfulness({ ...ok, steps: 0 }, shape, X, S, mapShape, logits, 0, 4), /steps/);
  inputError(() => new core.Faithfulness(ok, shape, X, S, { h: 3, w: 2 }, logits, 0, 4), /h·w/);
  inputError(() => new core.Faithfulness(ok, { C: 2, H: 2, W: 2 }, X, S, mapShape, logits, 0, 4), /C·H·W/);
  inputError(() => new core.Faithfulness(ok, shape, X, S, mapShape, logits, 2, 4), /class 2 is out of range/);
  inputError(() => new core.Faithfulness({ ...ok, baseline: 'blur' }, shape, X, S, mapShape, logits, 0, 4), /blur baseline needs/);
  const ev = new core.Faithfulness(ok, shape, X, S, mapShape, logits, 0, 4);
  try {
    ev.nextBatch();
    inputError(() => ev.tell(new Float32Array(3)), /whole rows/);
  } finally {
    ev.delete();
  }
});

// The worker's loop with a stand-in for the Classifier of classifier.js.
class LinearClassifier {
  maxBatch = 3;
  batches = [];
  async forwardWithLayer({ data }) {
    const s = sum(data);
    return { logits: new Float32Array([s, -s]) };
  }
  async batchLogits(batch, n) {
    this.batches.push(n);
    return linearLogits(batch, n);
  }
}

const request = {
  // Grey 51, 102, 153, 204 with mean 0 and std 0.2: X = [1, 2, 3, 4].
  image: { width: 2, height: 2, rgb: new Uint8Array([51, 51, 51, 102, 102, 102, 153, 153, 153, 204, 204, 204]) },
  preprocess: { height: 2, width: 2, gray: true, mean: [0, 0, 0], std: [0.2, 0.2, 0.2] },
  maps: [
    { method: 'scorecam', height: 2, width: 2, map: S },
    { method: 'iscam', height: 2, width: 2, map: new Float32Array([0, 0, 0, 1]) },
  ],
  classIndex: 0,
  options: { steps: 4, baseline: 'zeros', score: 'logit' },
  batch: 16,
};
const hooks = (progress = [], cancelled = () => false) => ({
  progress: (p) => progress.push(p),
  cancelled,
  yieldToEvents: async () => {},
});

test('runFaithfulness scores every map in batches no larger than the model allows', async () => {
  const core = await loadCore();
  const classifier = new LinearClassifier();
  const progress = [];
  const out = await runFaithfulness(core, classifier, request, hooks(progress));
  assert.deepEqual(out.metrics.map((m) => m.method), ['scorecam', 'iscam']);
  assert.equal(out.forwardPasses, 1 + 2 * 8);
  assert.ok(classifier.batches.every((n) => n <= 3));
  const [scorecam, iscam] = out.metrics;
  assert.ok(Math.abs(scorecam.deletion[1] - 8) < 1e-5 && Math.abs(scorecam.deletionAuc - 5) < 1e-5, scorecam.deletion);
  // S = [0, 0, 0, 1]: position 3 first, then 0, 1, 2 (ties by index).
  assert.deepEqual(Array.from(iscam.deletion, (v) => Math.round(v * 1e4) / 1e4), [10, 6, 5, 3, 0]);
  assert.equal(iscam.json.deletion_auc, iscam.deletionAuc);
  // The map's own times, as the CLI writes them with --metrics.
  const { inference, other, total } = iscam.json.timings_ms;
  assert.ok(inference >= 0 && other >= 0 && Math.abs(inference + other - total) < 1e-9, JSON.stringify(iscam.json.timings_ms));
  assert.deepEqual(progress.at(-1), { done: 16, total: 16, method: 'iscam' });
});

test('runFaithfulness stops when cancelled', async () => {
  const core = await loadCore();
  const classifier = new LinearClassifier();
  let asked = 0;
  const out = await runFaithfulness(core, classifier, request, hooks([], () => ++asked > 2));
  assert.deepEqual(out, { cancelled: true });
  assert.equal(classifier.batches.length, 2);
});
