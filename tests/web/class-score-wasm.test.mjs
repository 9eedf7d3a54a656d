// The WASM core's classScores (core class_score.h): the scores the worker tells the engine, the
// class's logit or, for a contrastive map (docs/math.md, "Contrastive maps"), logit A − logit B;
// a contrastive Score-CAM map of a two-class linear "model" worked out on paper.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCore } from './load-core.mjs';

test('classScores picks the class logit, or the difference with the contrast class', async () => {
  const core = await loadCore();
  const logits = new Float32Array([1, 5, 2, /* row 1 */ -1, 0.5, 4]);
  assert.deepEqual(Array.from(core.classScores(logits, 2, 1, -1)), [5, 0.5]);
  assert.deepEqual(Array.from(core.classScores(logits, 2, 1, 2)), [3, -3.5]);
  assert.deepEqual(Array.from(core.classScores(logits, 2, 2, 0)), [1, 5]);
  const inputError = (f, message) => assert.throws(f, (e) => e.name === 'InputError' && message.test(e.message));
  inputError(() => core.classScores(logits, 2, 1, 1), /must differ/);
  inputError(() => core.classScores(logits, 2, 1, 3), /contrast class 3 is out of range/);
  inputError(() => core.classScores(logits, 2, 3, -1), /class 3 is out of range/);
  inputError(() => core.classScores(logits, 4, 0, -1), /not 4 rows/);
});

// f_A(X) = Σ X, f_B(X) = 3·X_0; X = [1, 2, 3, 4], U_0 = [1, 0, 0, 0], U_1 = [0, 0, 0, 1].
// g = f_A − f_B: g(U_0 ⊙ X) = 1 − 3 = −2, g(U_1 ⊙ X) = 4 − 0 = 4, b = g(X) = 10 − 3 = 7, so
// Score-CAM's s = (−9, −3) and the map [w_0 / (2 w_1), 0, 0, 1] = [e^(s_0 − s_1) / 2, 0, 0, 1].
test('a contrastive Score-CAM map told logit A − logit B is the map of its definition', async () => {
  const core = await loadCore();
  const X = new Float32Array([1, 2, 3, 4]);
  const A = new Float32Array([1, 0, 0, 0, /* channel 1 */ 0, 0, 0, 2]);
  const shapes = { K: 2, h: 2, w: 2, C: 1, H: 2, W: 2 };
  const options = { iscamSamples: 10, sscamSamples: 35, sscamSigma: 2, seed: 0 };
  const logitsOf = (batch, n) => {
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; ++i) {
      const x = batch.subarray(4 * i, 4 * i + 4);
      out[2 * i] = x.reduce((a, b) => a + b, 0);
      out[2 * i + 1] = 3 * x[0];
    }
    return out;
  };
  const baseline = core.classScores(logitsOf(X, 1), 1, 0, 1)[0];
  assert.equal(baseline, 7);
  const ex = new core.Explainer(['scorecam'], options, shapes, A, X, baseline, 4);
  while (!ex.done()) {
    const batch = ex.nextBatch();
    const n = batch.length / 4;
    ex.tell(core.classScores(logitsOf(batch, n), n, 0, 1));
  }
  const { map } = ex.partial('scorecam');
  const expected = [Math.exp(-9 + 3) / 2, 0, 0, 1];
  map.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= 1e-6, `map[${i}]: ${v} vs ${expected[i]}`));
  const json = JSON.parse(ex.resultJson({ model: 'm.onnx', layer: 'L', classLabel: 'a', classIndex: 0, inferenceMs: 1,
    otherMs: 1, totalForwardPasses: 3, contrastClass: 1, contrastLabel: 'b' }));
  assert.equal(json.contrast_class, 1);
  assert.equal(json.contrast_label, 'b');
  ex.delete();
});
