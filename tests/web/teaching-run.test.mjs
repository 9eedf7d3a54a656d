// The worker's kept run (web/js/teaching-run.js) with the real WASM core and a stand-in classifier
// (f_c(X) = (c + 1) · Σ X) instead of ONNX Runtime Web: a finished run is kept for the teaching
// views with its batch buffer freed, read without forward passes, probed with other options, and
// freed by the next run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExplanation } from '../../web/js/explain-run.js';
import { KeptRun } from '../../web/js/teaching-run.js';
import { loadCore } from './load-core.mjs';

const sum = (v) => v.reduce((a, b) => a + b, 0);

class LinearClassifier {
  layer = 'features';
  maxBatch = 64;
  passes = 0;
  async forwardWithLayer({ data }) {
    const s = sum(data);
    // Three channels at 2×2: one bright pixel each, channel 2 never fires.
    const activations = new Float32Array([1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0]);
    return { logits: new Float32Array([s, 2 * s]), activations: { dims: [1, 3, 2, 2], data: activations } };
  }
  async classScores(batch, n, cls) {
    this.passes += n;
    const per = batch.length / n;
    return Float32Array.from({ length: n }, (_, i) => (cls + 1) * sum(batch.subarray(i * per, (i + 1) * per)));
  }
}

const request = {
  image: { width: 2, height: 2, rgb: new Uint8Array([51, 51, 51, 102, 102, 102, 153, 153, 153, 204, 204, 204]) },
  preprocess: { height: 2, width: 2, gray: true, mean: [0, 0, 0], std: [0.2, 0.2, 0.2] },
  options: { iscamSamples: 10, sscamSamples: 6, sscamSigma: 0.5, seed: 3 },
  classIndex: -1,
  batch: 4,
  labels: ['zero', 'one'],
  modelName: 'linear.onnx',
};

const noWait = { cancelled: () => false, yieldToEvents: async () => {}, predictions: () => {}, progress: () => {} };

// A finished run of `methods` kept under id 7.
async function keptRun(methods) {
  const core = await loadCore();
  const kept = new KeptRun();
  const classifier = new LinearClassifier();
  let explainer = null;
  const result = await runExplanation(core, classifier, { ...request, methods }, {
    ...noWait,
    keep: (ex, info) => {
      explainer = ex;
      return kept.keep(7, ex, { ...request, methods }, info);
    },
  });
  return { core, kept, classifier, explainer, result };
}

test('a finished run is kept, its batch buffer freed, and read without a forward pass', async () => {
  const { core, kept, classifier, explainer, result } = await keptRun(['iscam']);
  try {
    assert.throws(() => explainer.nextBatch(), /batch buffer was released/);
    const passes = classifier.passes;
    const ranked = kept.query(core, { runId: 7, what: 'channels', method: 'iscam' });
    // X = [1, 2, 3, 4]; class 1 (f = 2 Σ X) is the top-1; b = 20; channel 2 is all zero.
    assert.equal(ranked.baseline, 20);
    assert.deepEqual(ranked.channels.map((c) => c.channel), [1, 0]);
    assert.equal(ranked.skipped, 1);
    const all = kept.query(core, { runId: 7, what: 'build-up', method: 'iscam', count: 2 });
    assert.deepEqual(all.map, result.partials[0].map, 'every channel: the map of the run');
    const { cells } = kept.query(core, { runId: 7, what: 'cells', channels: [1, 0] });
    assert.deepEqual(cells.map((c) => [c.channel, Array.from(c.activation)]), [[1, [0, 0, 0, 1]], [0, [1, 0, 0, 0]]]);
    assert.deepEqual([cells[0].masked.width, cells[0].masked.height], [2, 2]);

    const path = kept.query(core, { runId: 7, what: 'passes', method: 'iscam', channel: 0, imageSteps: [0, 3, 9, 10] });
    assert.equal(path.steps.length, 10);
    assert.equal(path.mean, ranked.channels.find((c) => c.channel === 0).score, "the mean is the run's s_k");
    assert.deepEqual(path.images.map((i) => i.step), [0, 3, 9], 'steps past the last are left out');
    // The probe that draws the steps repeats the run's inputs: the core's own images of them.
    const fromCore = core.teachingPasses(explainer, 'iscam', 0, request.preprocess, 10).images;
    for (const { step, image } of path.images) assert.deepEqual(image, fromCore[step], `step ${step}`);
    assert.equal(classifier.passes, passes, 'reading the run runs no model');
  } finally {
    kept.release();
  }
});

test("a probe re-scores one channel: the run's options repeat its scores, another σ changes them", async () => {
  const { core, kept, classifier } = await keptRun(['sscam']);
  try {
    const run = kept.query(core, { runId: 7, what: 'passes', method: 'sscam', channel: 1, imageSteps: [0] });
    const progress = [];
    const hooks = { ...noWait, classifier, progress: (p) => progress.push(p) };
    const before = classifier.passes;
    const same = await kept.probe(core, { runId: 7, method: 'sscam', channel: 1, options: {}, imageSteps: [0, 1] }, hooks);
    assert.equal(classifier.passes - before, 6, 'N forward passes');
    assert.deepEqual(same.steps, run.steps);
    assert.equal(same.mean, run.mean);
    assert.deepEqual(same.images[0], run.images[0]);
    assert.equal(same.forwardPasses, 6);
    assert.ok(progress.length >= 1 && progress[0].total === 6);

    const wide = await kept.probe(core, { runId: 7, method: 'sscam', channel: 1, options: { sscamSigma: 3 }, imageSteps: [] }, hooks);
    assert.equal(wide.steps.length, 6);
    assert.notEqual(wide.mean, run.mean);
    // IS-CAM's path of a run that did not compute IS-CAM, on request.
    const path = await kept.probe(core, { runId: 7, method: 'iscam', channel: 0, options: {}, imageSteps: [] }, hooks);
    assert.deepEqual(path.steps.map((s) => s.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const cancelled = await kept.probe(core, { runId: 7, method: 'sscam', channel: 1, options: {}, imageSteps: [] }, { ...hooks, cancelled: () => true });
    assert.deepEqual(cancelled, { cancelled: true });
    assert.throws(() => kept.query(core, { runId: 7, what: 'passes', method: 'iscam', channel: 0, imageSteps: [] }), /did not compute IS-CAM/);
    assert.throws(() => kept.query(core, { runId: 7, what: 'passes', method: 'sscam', channel: 2, imageSteps: [] }), /not scored/);
  } finally {
    kept.release();
  }
});

test('the next run or a release frees the kept run; a cancelled run is not kept', async () => {
  const { core, kept } = await keptRun(['scorecam']);
  assert.throws(() => kept.query(core, { runId: 8, what: 'channels', method: 'scorecam' }), (e) => e.name === 'InputError' && /no longer in memory/.test(e.message));
  kept.release();
  assert.throws(() => kept.query(core, { runId: 7, what: 'channels', method: 'scorecam' }), /no longer in memory/);

  let keptAgain = false;
  const result = await runExplanation(core, new LinearClassifier(), { ...request, methods: ['scorecam'] }, {
    ...noWait,
    cancelled: () => true,
    keep: () => (keptAgain = true),
  });
  assert.deepEqual(result, { cancelled: true });
  assert.equal(keptAgain, false);
});
