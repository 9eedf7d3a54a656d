// ROAD in the worker, the twin of the native road_run (docs/math.md, "ROAD"): the core's Road
// engine removes the most (MoRF) and least (LeRF) relevant positions of each map and imputes them,
// ONNX Runtime Web scores the imputed inputs (map-evaluation.js's loop).

import { evaluateMaps } from './map-evaluation.js';

// request: {image, preprocess, maps: [{method, height, width, map}], classIndex, options:
//           {percentages: "10,20,…", noise, seed, score} (each optional), batch}
// hooks: {progress({done, total, method}), cancelled() → bool, yieldToEvents() → Promise}
// Returns {cancelled: true} or {road: [{method, score, percentages, morf, lerf, morfAuc, lerfAuc,
//          morfMean, lerfMean, forwardPasses, json (the CLI's `road` object)}], forwardPasses,
//          timings: {totalMs, inferenceMs}}.
export async function runRoad(core, classifier, request, hooks) {
  const make = ({ shape, input, map, logits, capacity }) =>
    new core.Road(request.options, shape, input, map.map, { h: map.height, w: map.width }, logits, request.classIndex, capacity);
  const out = await evaluateMaps(core, classifier, request, make, hooks);
  if (out.cancelled) return out;
  const { results, ...rest } = out;
  return { road: results, ...rest };
}
