// The sanity checks in the worker, the twin of the native sanity_run (docs/math.md, "Sanity
// checks"): the map of the class, the map of a random other class (the random-logit test), then
// the map on copies of the model whose layers are re-drawn from the output down (cascading: layers
// 1..i at step i; independent: layer i alone), each compared by the core with the original map at
// the input's size. Every map is the ask/tell loop of explain-run.js.

import { inputError } from './errors.js';
import { runExplanation } from './explain-run.js';

// The CLI's names for the core's similarity measures.
function similarityJson({ spearman, spearmanAbs, ssim, topk }) {
  return { spearman, spearman_abs: spearmanAbs, ssim, topk };
}

// request: {image, preprocess, methods, options, classIndex (-1 = top-1), batch, seed, cascade,
//           steps (how many layers from the top; all when left out), layer, labels, modelName}
// hooks: {progress({run, runs, done, total, elapsedMs}), stage(stage), cancelled() → bool,
//         yieldToEvents() → Promise}; stage is posted as each map is done:
//         {kind: 'original' | 'random-logit' | 'layer', classIndex, partials, similarity (not for
//          the original: {method: {spearman, spearman_abs, ssim, topk}}), and for a layer
//          layer (1 = nearest the output), node, opType, tensors}.
// Returns {cancelled: true} or {stages, layerCount, json (the CLI's `iscam sanity --json`),
//          forwardPasses, timings: {totalMs}}.
export async function runSanity(core, classifier, request, hooks) {
  const start = performance.now();
  const layers = classifier.randomisableLayers();
  if (layers.length === 0)
    throw inputError(`${request.modelName} has no randomisable layer (no Conv, Gemm or MatMul with weights in the model)`);
  const steps = request.steps ?? layers.length;
  if (!Number.isInteger(steps) || steps < 1 || steps > layers.length)
    throw inputError(`the layers to randomise must be a whole number from 1 to ${layers.length}, not ${steps}`);
  const [, , H, W] = core.inputTensor(request.image, request.preprocess).shape;
  const runs = 2 + steps;
  const stages = [];
  let forwardPasses = 0;
  let run = 0;

  // The maps of one model and class at the input's size, or null when cancelled.
  const explain = async (model, classIndex) => {
    const index = run++;
    const result = await runExplanation(core, model, { ...request, classIndex }, {
      predictions: () => {},
      progress: ({ done, total }) => hooks.progress({ run: index, runs, done, total, elapsedMs: performance.now() - start }),
      cancelled: hooks.cancelled,
      yieldToEvents: hooks.yieldToEvents,
    });
    if (result.cancelled) return null;
    forwardPasses += result.forwardPasses;
    const atInput = result.partials.map((p) => core.mapAtInput(p.map, p.height, p.width, H, W));
    return { classIndex: result.classIndex, partials: result.partials, atInput };
  };
  const compare = (a, b) =>
    Object.fromEntries(request.methods.map((m, i) => [m, similarityJson(core.compareMaps(a.atInput[i], b.atInput[i], H, W))]));
  const post = ({ atInput, ...stage }) => {
    stages.push(stage);
    hooks.stage(stage);
  };

  const original = await explain(classifier, request.classIndex);
  if (!original) return { cancelled: true };
  post({ kind: 'original', ...original });
  const other = await explain(classifier, core.randomOtherClass(request.seed, original.classIndex, classifier.classCount));
  if (!other) return { cancelled: true };
  post({ kind: 'random-logit', ...other, similarity: compare(original, other) });

  for (let i = 1; i <= steps; ++i) {
    const which = request.cascade ? Array.from({ length: i }, (_, k) => k + 1) : [i];
    const randomised = await classifier.randomised(which, request.seed);
    try {
      const maps = await explain(randomised, original.classIndex);
      if (!maps) return { cancelled: true };
      const { node, opType, tensors } = layers[i - 1];
      post({ kind: 'layer', layer: i, node, opType, tensors, ...maps, similarity: compare(original, maps) });
    } finally {
      await randomised.dispose();
    }
  }

  const totalMs = performance.now() - start;
  const layerStages = stages.filter((s) => s.kind === 'layer');
  const randomLogit = stages.find((s) => s.kind === 'random-logit');
  const json = {
    model: request.modelName,
    layer: request.layer,
    class: original.classIndex,
    methods: request.methods,
    randomisation: request.cascade ? 'cascading' : 'independent',
    seed: request.seed,
    topk_fraction: core.topkFraction,
    steps: layerStages.map((s) => ({ layer: s.layer, node: s.node, op_type: s.opType, tensors: s.tensors, similarity: s.similarity })),
    random_logit: { class: randomLogit.classIndex, similarity: randomLogit.similarity },
    forward_passes: forwardPasses,
    total_ms: totalMs,
  };
  return { stages, layerCount: layers.length, json, forwardPasses, timings: { totalMs } };
}
