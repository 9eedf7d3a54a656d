// How long a run would take, before it starts, and what the page may start on its own: never a
// run over AUTO_RUN_LIMIT_MS (an exact IS-CAM of an ImageNet model is many minutes here); the
// visitor's Explain button starts anything. Fast mode (K channels scored, chosen by screening or
// by variance: docs/math.md, "Fast mode") is what the page suggests and falls back to.

import { formatDuration } from './progress.js';

export const AUTO_RUN_LIMIT_MS = 30_000;
// A model that needs fast mode starts with a run of seconds (the photo model: fast Score-CAM);
// the visitor asks for more.
export const STARTING_RUN_LIMIT_MS = 5_000;
export const FAST_CHANNEL_CHOICES = [6, 8, 16, 32, 64, 128, 256];
// From the fast-mode benchmark (scripts/bench_fast_mode.py, README): with screening (128 of the
// photo network's 1280 channels screened), 6 or 8 keep fast IS-CAM's Pearson r against exact
// IS-CAM at 0.97 or above on the bundled photos in the float form the page runs.
export const DEFAULT_FAST_CHANNELS = 8;
export const DEFAULT_FAST_SELECT = 'screen';

// Forward passes of a run, as the core plans them (its method table and fast mode, core/methods.h),
// the baseline included. channels: 0 = exact (all `layerChannels`), else fast mode as
// options.select says (exact mode has no channel choice: the core refuses one); an upper bound,
// as all-zero channels are skipped. `core`: the WASM core.
export function estimatePasses(core, { methods, layerChannels, options, channels = 0 }) {
  const { select, ...rest } = options;
  return core.planPasses(methods, channels > 0 ? { ...rest, channels, select } : { ...rest, channels }, layerChannels);
}

export function estimateMs(core, request, msPerPass) {
  return estimatePasses(core, request) * msPerPass;
}

// What runs when the page starts one on its own (a model or image just loaded, a setting
// changed). `request`: {methods, layerChannels, options, channels}. Returns
// {start, exactMs, ms, suggestFast}: `start` false when the run would take over the limit;
// `suggestFast` when exact mode is over the limit and fast mode is off.
export function autoRun(core, request, msPerPass) {
  const exactMs = estimateMs(core, { ...request, channels: 0 }, msPerPass);
  const ms = estimateMs(core, request, msPerPass);
  return { start: ms <= AUTO_RUN_LIMIT_MS, exactMs, ms, suggestFast: exactMs > AUTO_RUN_LIMIT_MS && !(request.channels > 0) };
}

// The settings a freshly loaded model starts with: the current method in exact mode if that fits
// AUTO_RUN_LIMIT_MS; else, fast mode being needed anyway, the first of fast IS-CAM and fast
// Score-CAM with screening (K = DEFAULT_FAST_CHANNELS, then the fewest) that fits `fastLimitMs`
// (a photo's final map in seconds), else the first that fits AUTO_RUN_LIMIT_MS.
// Returns {methods, channels, select, start}: `start` false when even the cheapest is over the limit.
export function startingRun(core, request, msPerPass, fastLimitMs = AUTO_RUN_LIMIT_MS) {
  const fits = (c, limit) => estimateMs(core, { ...request, ...c }, msPerPass) <= limit;
  const exact = { methods: request.methods, channels: 0 };
  if (fits(exact, AUTO_RUN_LIMIT_MS)) return { ...exact, start: true };
  const screened = (methods, channels) => ({ methods, channels, select: DEFAULT_FAST_SELECT });
  const fit = (c, limit) => fits({ ...c, options: { ...request.options, select: c.select } }, limit);
  const fast = [
    screened(['iscam'], DEFAULT_FAST_CHANNELS),
    screened(['iscam'], FAST_CHANNEL_CHOICES[0]),
    screened(['scorecam'], DEFAULT_FAST_CHANNELS),
    screened(['scorecam'], FAST_CHANNEL_CHOICES[0]),
  ];
  for (const limit of [fastLimitMs, AUTO_RUN_LIMIT_MS]) {
    const choice = fast.find((c) => fit(c, limit));
    if (choice) return { ...choice, start: true };
  }
  return { ...fast.at(-1), start: false };
}

// Whether a run starts, and the note the page shows beside the fast-mode control: the estimate of
// exact mode when it is over the limit (with fast mode's), and why a run did not start on its own.
// `what`: the methods' names; `asked`: the visitor pressed Explain. `ms`: this run's estimate.
// request.fastSelect: how fast mode would choose, for the note while exact mode is picked.
export function runPlan(core, request, msPerPass, { what, asked }) {
  const budget = autoRun(core, request, msPerPass);
  const notes = [];
  if (budget.exactMs > AUTO_RUN_LIMIT_MS) {
    const k = request.channels > 0 ? request.channels : DEFAULT_FAST_CHANNELS;
    const select = request.options.select ?? request.fastSelect ?? DEFAULT_FAST_SELECT;
    const fastMs = estimateMs(core, { ...request, options: { ...request.options, select }, channels: k }, msPerPass);
    notes.push(
      `An exact ${what} run takes about ${formatDuration(budget.exactMs)} here; ` +
        `fast mode (${k} channels) about ${formatDuration(fastMs)}.`,
    );
  }
  const start = asked || budget.start;
  if (!start)
    notes.push(
      `This ${what} run (about ${formatDuration(budget.ms)}) did not start on its own, being over ${AUTO_RUN_LIMIT_MS / 1000} s: ` +
        `press Explain to run it${budget.suggestFast ? ', or pick fast mode' : ''}.`,
    );
  return { start, note: notes.join(' '), ms: budget.ms };
}
