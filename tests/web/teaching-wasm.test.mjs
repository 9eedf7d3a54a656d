// The teaching bindings (wasm/bind_teaching.cpp) under node, on a run of the Explainer driven by
// a linear "model" f(X) = Σ X whose scores can be worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCore } from './load-core.mjs';

// X = [1, 2, 3, 4] (1×1×2×2); channel 0 fires top-left, channel 1 bottom-right, channel 2 never.
const X = new Float32Array([1, 2, 3, 4]);
const A = new Float32Array([1, 0, 0, 0, /* 1 */ 0, 0, 0, 2, /* 2 */ 0, 0, 0, 0]);
const shapes = { K: 3, h: 2, w: 2, C: 1, H: 2, W: 2 };
const options = { iscamSamples: 10, sscamSamples: 6, sscamSigma: 0.5, seed: 7 };
const B = 10; // f(X)
const preprocess = { mean: [0.1, 0.1, 0.1], std: [0.21, 0.21, 0.21] };
const sum = (v) => v.reduce((a, b) => a + b, 0);
const f32 = (v) => Math.fround(v);

function drive(ex) {
  while (!ex.done()) {
    const batch = ex.nextBatch();
    const n = batch.length / 4;
    const scores = new Float32Array(n);
    for (let i = 0; i < n; ++i) scores[i] = sum(batch.subarray(i * 4, (i + 1) * 4));
    ex.tell(scores);
  }
}

async function withRun(methods, body) {
  const core = await loadCore();
  const ex = new core.Explainer(methods, options, shapes, A, X, B, 5);
  try {
    drive(ex);
    return await body(core, ex);
  } finally {
    ex.delete();
  }
}

test('channels ranked by weight, with the baseline, and the map built up from them', () =>
  withRun(['scorecam'], (core, ex) => {
    const t = core.teachingChannels(ex, 'scorecam');
    assert.equal(t.baseline, B);
    assert.deepEqual([t.height, t.width, t.inputHeight, t.inputWidth, t.channelCount, t.skipped, t.leftOut], [2, 2, 2, 2, 3, 1, 0]);
    // s = f(U_k ⊙ X) − b: channel 1 keeps 4, channel 0 keeps 1.
    assert.deepEqual(t.channels.map((c) => [c.channel, c.score]), [[1, 4 - B], [0, 1 - B]]);
    const w1 = Math.exp(4) / (Math.exp(1) + Math.exp(4));
    assert.ok(Math.abs(t.channels[0].weight - w1) < 1e-6);
    assert.ok(Math.abs(t.channels[0].weight + t.channels[1].weight - 1) < 1e-6);

    assert.deepEqual(Array.from(core.teachingBuildUp(ex, 'scorecam', 0)), [0, 0, 0, 0]);
    assert.deepEqual(Array.from(core.teachingBuildUp(ex, 'scorecam', 1)), [0, 0, 0, 1], 'channel 1 alone');
    assert.deepEqual(core.teachingBuildUp(ex, 'scorecam', 2), ex.partial('scorecam').map, 'every channel: the final map');
    assert.deepEqual(core.teachingBuildUp(ex, 'scorecam', 99), ex.partial('scorecam').map);
  }));

test("a channel's activations, its mask U_k and the masked input shown in colour", () =>
  withRun(['scorecam'], (core, ex) => {
    const c = core.teachingChannel(ex, 1, preprocess);
    assert.equal(c.channel, 1);
    assert.deepEqual(Array.from(c.activation), [0, 0, 0, 1]);
    assert.deepEqual(Array.from(c.mask), Array.from(c.activation), 'same size: U_k is Ā_k');
    // U_1 ⊙ X = [0, 0, 0, 4] shown as (x·0.21 + 0.1)·255, clamped; one input channel is grey.
    const grey = (x) => Math.min(255, Math.round((x * 0.21 + 0.1) * 255));
    assert.deepEqual([c.masked.width, c.masked.height], [2, 2]);
    assert.deepEqual(Array.from(c.masked.rgb), [0, 0, 0, 4].flatMap((x) => Array(3).fill(grey(x))));
    const input = core.teachingInput(ex, preprocess);
    assert.deepEqual(Array.from(input.rgb), [1, 2, 3, 4].flatMap((x) => Array(3).fill(grey(x))));
  }));

test("IS-CAM's path: N scaled inputs, their scores f − b and the mean that is s_k", () =>
  withRun(['iscam'], (core, ex) => {
    const path = core.teachingPasses(ex, 'iscam', 0, preprocess, 3);
    const gammas = [0.1, 0.3, 0.6, 1, 1.5, 2.1, 2.8, 3.6, 4.5, 5.5];
    assert.equal(path.steps.length, 10);
    assert.equal(path.sharedZeroPass, false);
    path.steps.forEach((s, i) => {
      assert.equal(s.gamma, f32(gammas[i]));
      assert.equal(s.index, i);
      assert.ok(Math.abs(s.score - (gammas[i] * 1 - B)) < 1e-5, `step ${i}: ${s.score}`);
    });
    const score0 = core.teachingChannels(ex, 'iscam').channels.find((c) => c.channel === 0).score;
    assert.equal(path.mean, score0, "exactly the engine's s_k");
    assert.ok(Math.abs(path.mean - (2.2 - B)) < 1e-5);
    assert.equal(path.images.length, 3);
    // Step 1: γ = 0.3, input [0.3, 0, 0, 0].
    assert.equal(path.images[1].rgb[0], Math.round((0.3 * 0.21 + 0.1) * 255));
    assert.throws(() => core.teachingPasses(ex, 'iscam', 2, preprocess, 0), (e) => e.name === 'InputError' && /not scored/.test(e.message));
    assert.throws(() => core.teachingPasses(ex, 'sscam', 0, preprocess, 0), (e) => e.name === 'InputError' && /did not compute SS-CAM/.test(e.message));
    assert.throws(() => core.teachingChannel(ex, 3, preprocess), (e) => e.name === 'InputError' && /out of range/.test(e.message));
  }));

test("SS-CAM's samples, and the probe that repeats them or changes σ", () =>
  withRun(['sscam'], (core, ex) => {
    const samples = core.teachingPasses(ex, 'sscam', 1, preprocess, 2);
    assert.equal(samples.steps.length, 6);
    assert.equal(samples.images.length, 2);
    assert.equal(samples.mean, core.teachingChannels(ex, 'sscam').channels.find((c) => c.channel === 1).score);

    const runProbe = (opts) => {
      const probe = new core.ChannelProbe(ex, 'sscam', 1, opts, 4);
      try {
        assert.throws(() => probe.result(), /before every pass/);
        const first = probe.image(0, preprocess);
        drive(probe);
        return { result: probe.result(), first };
      } finally {
        probe.delete();
      }
    };
    const same = runProbe({});
    const { images, ...withoutImages } = samples;
    assert.deepEqual(same.result, withoutImages, "the run's options: the run's samples, score for score");
    assert.deepEqual(same.first, images[0]);

    const wide = runProbe({ sscamSigma: 3, sscamSamples: 8 });
    assert.equal(wide.result.steps.length, 8);
    assert.notEqual(wide.result.mean, samples.mean);
    const mean = wide.result.steps.reduce((a, s) => a + s.score, 0) / 8;
    assert.ok(Math.abs(wide.result.mean - mean) < 1e-5);
    assert.throws(() => new core.ChannelProbe(ex, 'sscam', 2, {}, 4), (e) => e.name === 'InputError');
  }));

test('a deleted explainer is refused, not read', async () => {
  const core = await loadCore();
  const ex = new core.Explainer(['scorecam'], options, shapes, A, X, B, 5);
  ex.delete();
  assert.throws(() => core.teachingChannels(ex, 'scorecam'), /deleted/);
});
