// The loop the worker's map evaluations share (the faithfulness metrics, ROAD): for each finished
// map, a core evaluator writes its perturbed inputs into its WASM-heap batch buffer, ONNX Runtime
// Web runs them, the evaluator is told every logit; progress and Cancel between two batches.

import { PROGRESS_INTERVAL_MS } from './progress.js';
import { Stopwatch } from './stopwatch.js';

// request: {image, preprocess, maps: [{method, height, width, map}], classIndex, batch}
// make({shape: {C, H, W}, input, map, logits, capacity}) → a core evaluator (nextBatch, tell,
// done, totalPasses, passesDone, result, resultJson, delete).
// hooks: {progress({done, total, method}), cancelled() → bool, yieldToEvents() → Promise}
// Returns {cancelled: true} or {results: [{method, ...evaluator.result(), json}], forwardPasses,
// timings: {totalMs, inferenceMs}}; each json is the evaluator's with the map's timings_ms, as the
// CLI writes them.
export async function evaluateMaps(core, classifier, request, make, hooks) {
  const start = performance.now();
  const inferenceTime = new Stopwatch();
  const input = core.inputTensor(request.image, request.preprocess);
  const { logits } = await inferenceTime.wait(classifier.forwardWithLayer(input));
  const [, C, H, W] = input.shape;
  const perInput = C * H * W;
  const capacity = Math.min(request.batch, classifier.maxBatch);
  const results = [];
  let forwardPasses = 1;
  let lastPost = -Infinity;
  for (const [index, map] of request.maps.entries()) {
    const mapStart = performance.now();
    const inferenceBefore = inferenceTime.ms;
    const ev = make({ shape: { C, H, W }, input: input.data, map, logits, capacity });
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
      const mapMs = performance.now() - mapStart;
      const mapInferenceMs = inferenceTime.ms - inferenceBefore;
      const timings = { inference: mapInferenceMs, other: mapMs - mapInferenceMs, total: mapMs };
      const json = { ...JSON.parse(ev.resultJson()), timings_ms: timings };
      results.push({ method: map.method, ...ev.result(), json });
    } finally {
      ev.delete();
    }
  }
  return { results, forwardPasses, timings: { totalMs: performance.now() - start, inferenceMs: inferenceTime.ms } };
}
