// The faithfulness metrics in the worker, the twin of the native metrics_run: the core's
// Faithfulness engine writes the perturbed inputs (S ⊙ X, deletion and insertion steps) of each
// map, ONNX Runtime Web runs them (map-evaluation.js's loop).

import { evaluateMaps } from './map-evaluation.js';

// request: {image, preprocess, maps: [{method, height, width, map}], classIndex, options: {steps,
//           baseline, score}, batch}
// hooks: {progress({done, total, method}), cancelled() → bool, yieldToEvents() → Promise}
// Returns {cancelled: true} or {metrics: [{method, score, maskedScore, averageDrop, increase,
//          fractions, deletion, insertion, deletionAuc, insertionAuc, forwardPasses, json}],
//          forwardPasses, timings: {totalMs, inferenceMs}}.
export async function runFaithfulness(core, classifier, request, hooks) {
  const make = ({ shape, input, map, logits, capacity }) =>
    new core.Faithfulness(request.options, shape, input, map.map, { h: map.height, w: map.width }, logits, request.classIndex, capacity);
  const out = await evaluateMaps(core, classifier, request, make, hooks);
  if (out.cancelled) return out;
  const { results, ...rest } = out;
  return { metrics: results, ...rest };
}
