// The faithfulness metrics in the worker, the twin of the native metrics_run: for each map the
// core's Faithfulness engine writes the perturbed inputs (S ⊙ X, deletion and insertion steps)
// into its WASM-heap batch buffer, ONNX Runtime Web runs them, the engine is told every logit.

import { PROGRESS_INTERVAL_MS } from './progress.js';
import { Stopwatch } from './stopwatch.js';

// request: {image, preprocess, maps: [{method, height, width, map}], classIndex, options: {steps,
//           baseline, score}, batch}
// hooks: {progress({done, total, method}), cancelled() → bool, yieldToEvents() → Promise}
// Returns {cancelled: true} or {metrics: [{method, score, maskedScore, averageDrop, increase,
//          fractions, deletion, insertion, deletionAuc, insertionAuc, forwardPasses, json}],
//          forwardPasses, timings: {totalMs, inferenceMs}}.
export async function runFaithfulness(core, classifier, request, hooks) {
  const start = performance.now();
  const inferenceTime = new Stopwatch();
  const input = core.inputTensor(request.image, request.preprocess);
  const { logits } = await inferenceTime.wait(classifier.forwardWithLayer(input));
  const [, C, H, W] = input.shape;
  const perInput = C * H * W;
  const capacity = Math.min(request.batch, classifier.maxBatch);
  const metrics = [];
  let forwardPasses = 1;
  let lastPost = -Infinity;
  for (const [index, map] of request.maps.entries()) {
    const mapStart = performance.now();
    const inferenceBefore = inferenceTime.ms;
    const ev = new core.Faithfulness(
      request.options,
      { C, H, W },
      input.data,
      map.map,
      { h: map.height, w: map.width },
      logits,
      request.classIndex,
      capacity,
    );
    try {
      while (!ev.done()) {
        if (hooks.cancelled()) return { cancelled: true };
        const batch = ev.nextBatch();
        const n = batch.length / perInput;
        ev.tell(await inferenceTime.wait(classifier.batchLogits(batch, n)));
        forwardPasses += n;
        const now = performance.now();
        if (now - lastPost >= PROGRESS_INTERVAL_MS || ev.done()) {
          const total = ev.totalPasses() * request.maps.length;
          hooks.progress({ done: index * ev.totalPasses() + ev.passesDone(), total, method: map.method });
          lastPost = now;
        }
        await hooks.yieldToEvents();
      }
      // The map's own times, as the CLI's `explain --metrics` writes them.
      const mapMs = performance.now() - mapStart;
      const mapInferenceMs = inferenceTime.ms - inferenceBefore;
      const timings = { inference: mapInferenceMs, other: mapMs - mapInferenceMs, total: mapMs };
      const json = { ...JSON.parse(ev.resultJson()), timings_ms: timings };
      metrics.push({ method: map.method, ...ev.result(), json });
    } finally {
      ev.delete();
    }
  }
  return { metrics, forwardPasses, timings: { totalMs: performance.now() - start, inferenceMs: inferenceTime.ms } };
}
