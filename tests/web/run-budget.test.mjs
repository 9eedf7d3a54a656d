// What the page may start on its own: passes and ETA before a run, fast mode when exact is long.
// The passes are the core's plan (the WASM core, as the page has it); the numbers here are
// worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_FAST_CHANNELS, FAST_CHANNEL_CHOICES, STARTING_RUN_LIMIT_MS, autoRun, estimateMs, estimatePasses, runPlan, startingRun } from '../../web/js/run-budget.js';
import { loadCore } from './load-core.mjs';

const core = await loadCore();
const options = { iscamSamples: 10, sscamSamples: 35, sscamSigma: 2, seed: 0 };
const estimatePassesOf = (request) => estimatePasses(core, request);

test("passes: N per scored channel and the baseline; Score-CAM free with IS-CAM's γ = 1", () => {
  assert.equal(estimatePassesOf({ methods: ['scorecam'], layerChannels: 1280, options }), 1281);
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 1280, options }), 12801);
  assert.equal(estimatePassesOf({ methods: ['scorecam', 'iscam'], layerChannels: 64, options }), 641);
  assert.equal(estimatePassesOf({ methods: ['scorecam', 'iscam'], layerChannels: 64, options: { ...options, iscamSamples: 4 } }), 321);
  assert.equal(estimatePassesOf({ methods: ['scorecam', 'sscam', 'iscam'], layerChannels: 8, options }), 8 * 45 + 1);
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 1280, options, channels: 64 }), 641);
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 32, options, channels: 64 }), 321);
  // Screening (docs/math.md, "Fast mode"): M = max(8·K, a tenth of the layer) screening passes,
  // then K·(N − 1) as IS-CAM's γ_4 = 1 pass is the screening pass; Score-CAM's one pass is the
  // screening pass itself.
  const screen = { ...options, select: 'screen' };
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 1280, options: screen, channels: 16 }), 128 + 16 * 9 + 1);
  assert.equal(estimatePassesOf({ methods: ['scorecam'], layerChannels: 1280, options: screen, channels: 16 }), 128 + 1);
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 1280, options: screen, channels: 6 }), 128 + 6 * 9 + 1);
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 1280, options: screen, channels: 32 }), 256 + 32 * 9 + 1);
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 512, options: screen, channels: 4 }), 52 + 4 * 9 + 1);
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 1280, options: { ...screen, iscamSamples: 4 }, channels: 16 }), 128 + 16 * 4 + 1);
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 1280, options: { ...screen, screenChannels: 40 }, channels: 16 }), 40 + 16 * 9 + 1);
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 100, options: screen, channels: 16 }), 100 + 16 * 9 + 1);
  assert.equal(estimatePassesOf({ methods: ['iscam'], layerChannels: 16, options: screen, channels: 16 }), 16 * 10 + 1);  // nothing to choose
  assert.throws(() => estimatePassesOf({ methods: ['iscam'], layerChannels: 1280, options: { ...screen, select: 'energy' }, channels: 16 }), /select must be/);
  // Without shortcuts nothing is shared: 10 + 1 passes a channel.
  assert.equal(estimatePassesOf({ methods: ['scorecam', 'iscam'], layerChannels: 64, options: { ...options, shortcuts: false } }), 64 * 11 + 1);
});

test('a run over the limit does not start on its own, and fast mode is suggested', () => {
  // MobileNetV2 in the page on two cores: about 95 ms a pass.
  const mobilenet = { methods: ['iscam'], layerChannels: 1280, options };
  const exact = autoRun(core, mobilenet, 95);
  assert.equal(exact.start, false);
  assert.equal(exact.suggestFast, true);
  assert.ok(exact.exactMs > 20 * 60_000);
  const fast = autoRun(core, { ...mobilenet, channels: 16 }, 95);
  assert.deepEqual([fast.start, fast.ms], [true, (16 * 10 + 1) * 95]);
  assert.equal(fast.suggestFast, false);
  const small = autoRun(core, { methods: ['iscam'], layerChannels: 64, options }, 0.5);
  assert.deepEqual([small.start, small.suggestFast], [true, false]);
});

test('a new model starts with the current method if it fits, else fast IS-CAM, else fast Score-CAM (with screening)', () => {
  const fewest = FAST_CHANNEL_CHOICES[0];
  const run = (methods, channels) => ({ methods, channels, select: 'screen', start: true });
  assert.deepEqual(startingRun(core, { methods: ['iscam'], layerChannels: 64, options }, 1), { methods: ['iscam'], channels: 0, start: true });
  // 1280 channels, 128 screened: K = 8, 128 + 72 + 1 = 201 passes; K = 6, 128 + 54 + 1 = 183;
  // Score-CAM 129 with either.
  assert.deepEqual(startingRun(core, { methods: ['iscam'], layerChannels: 1280, options }, 95), run(['iscam'], DEFAULT_FAST_CHANNELS));
  assert.deepEqual(startingRun(core, { methods: ['iscam'], layerChannels: 1280, options }, 160), run(['iscam'], fewest));
  assert.deepEqual(startingRun(core, { methods: ['iscam'], layerChannels: 1280, options }, 220), run(['scorecam'], DEFAULT_FAST_CHANNELS));
  const slow = startingRun(core, { methods: ['sscam'], layerChannels: 1280, options }, 5000);
  assert.equal(slow.start, false);
  // With a run of seconds asked for fast mode: a model whose exact run fits the auto-run limit
  // keeps it; else the first fast run that fits seconds, else the first that fits the limit.
  assert.deepEqual(startingRun(core, { methods: ['iscam'], layerChannels: 64, options }, 30, STARTING_RUN_LIMIT_MS), { methods: ['iscam'], channels: 0, start: true });
  assert.deepEqual(startingRun(core, { methods: ['iscam'], layerChannels: 1280, options }, 15, STARTING_RUN_LIMIT_MS), run(['iscam'], DEFAULT_FAST_CHANNELS));
  assert.deepEqual(startingRun(core, { methods: ['iscam'], layerChannels: 1280, options }, 160, STARTING_RUN_LIMIT_MS), run(['iscam'], fewest));
  assert.deepEqual(startingRun(core, { methods: ['iscam'], layerChannels: 1280, options }, 220, STARTING_RUN_LIMIT_MS), run(['scorecam'], DEFAULT_FAST_CHANNELS));
  assert.equal(startingRun(core, { methods: ['iscam'], layerChannels: 1280, options }, 400, STARTING_RUN_LIMIT_MS).start, false);
  // The bundled int8 MobileNet v2 in the page (its float form, 25 ms a pass here): fast IS-CAM
  // in under 5 s.
  const photo = startingRun(core, { methods: ['iscam'], layerChannels: 1280, options }, 25, STARTING_RUN_LIMIT_MS);
  assert.deepEqual(photo, run(['iscam'], fewest));
  assert.ok(estimateMs(core, { methods: ['iscam'], layerChannels: 1280, options: { ...options, select: 'screen' }, channels: photo.channels }, 25) <= STARTING_RUN_LIMIT_MS);
});

test('the note says the estimates, and why a run did not start; the Explain button starts anything', () => {
  const mobilenet = { methods: ['iscam'], layerChannels: 1280, options, channels: 0 };
  const auto = runPlan(core, mobilenet, 95, { what: 'IS-CAM', asked: false });
  assert.equal(auto.start, false);
  // Fast mode's estimate: K = 8 with screening (128 screened, 8 scored, N − 1 more passes each:
  // 128 + 8 · 9 + 1 = 201 passes); by variance, 8 · 10 + 1 = 81.
  assert.match(auto.note, /^An exact IS-CAM run takes about 20 min 16 s here; fast mode \(8 channels\) about 19 s\. /);
  const byVariance = runPlan(core, { ...mobilenet, fastSelect: 'variance' }, 95, { what: 'IS-CAM', asked: false });
  assert.match(byVariance.note, /fast mode \(8 channels\) about 7\.7 s\. /);
  assert.match(auto.note, /did not start on its own, being over 30 s: press Explain to run it, or pick fast mode\.$/);
  const asked = runPlan(core, mobilenet, 95, { what: 'IS-CAM', asked: true });
  assert.equal(asked.start, true);
  assert.doesNotMatch(asked.note, /did not start/);
  assert.deepEqual(runPlan(core, { ...mobilenet, layerChannels: 64 }, 0.5, { what: 'IS-CAM', asked: false }), { start: true, note: '', ms: 64 * 10 * 0.5 + 0.5 });
  // A fast run with screening: the exact estimate beside it drops the channel choice.
  const screened = runPlan(core, { ...mobilenet, options: { ...options, channels: 8, select: 'screen' }, channels: 8 }, 95, { what: 'IS-CAM', asked: false });
  assert.match(screened.note, /^An exact IS-CAM run takes about 20 min 16 s here; fast mode \(8 channels\) about 19 s\.$/);
  assert.equal(screened.ms, (128 + 8 * 9 + 1) * 95);
});
