// The ask/tell loop of docs/design.md in the worker, the twin of the native explain_run: the core's
// Explainer writes masked inputs into its WASM-heap batch buffer, ONNX Runtime Web scores
// them, the Explainer is told the scores. Partial maps go out while it runs.

import { PROGRESS_INTERVAL_MS } from './progress.js';
import { Stopwatch } from './stopwatch.js';

function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; ++i) if (values[i] > values[best]) best = i;
  return best;
}

// The JSON of a contrastive map names class B beside the class, as the CLI's does: in the
// document and in each of its results (the score is f(·)_class − f(·)_contrast_class).
function withContrast(json, contrast, label) {
  const name = (doc) => Object.assign(doc, { contrast_class: contrast, contrast_label: label });
  const doc = name(JSON.parse(json));
  for (const result of doc.results ?? []) name(result);
  return JSON.stringify(doc, null, 2);
}

// The JSON names the form of an int8 model that ran (classifier.js): int8, or its float form.
function withModelForm(json, form) {
  if (!form) return json;
  const doc = JSON.parse(json);
  doc.model_form = form.ran;
  if (form.int8MsPerPass !== undefined) doc.model_form_ms_per_pass = { int8: form.int8MsPerPass, float32: form.float32MsPerPass ?? null };
  if (form.note) doc.model_form_note = form.note;
  return JSON.stringify(doc, null, 2);
}

// request: {image, preprocess, methods, options, classIndex (-1 = top-1), contrastIndex (optional:
//          class B of a contrastive map, whose score is f(·)_A − f(·)_B), batch, labels, modelName}
// hooks: {predictions(logits, classIndex), progress({done, total, elapsedMs, partials}),
//         cancelled() → bool, yieldToEvents() → Promise, keep(explainer, {shapes, classIndex}) → bool
//         (optional: true takes over a finished run's explainer, which the caller then deletes)}
// Returns {cancelled: true} or {json, partials, classIndex, layerShape, forwardPasses, channelsSkipped, timings, modelForm}.
export async function runExplanation(core, classifier, request, hooks) {
  const start = performance.now();
  const coreTime = new Stopwatch();
  const inferenceTime = new Stopwatch();

  const input = coreTime.time(() => core.inputTensor(request.image, request.preprocess));
  const fwd = await inferenceTime.wait(classifier.forwardWithLayer(input));
  const classIndex = request.classIndex >= 0 ? request.classIndex : argmax(fwd.logits);
  if (classIndex >= fwd.logits.length)
    throw new Error(`class ${classIndex} is out of range: the model has ${fwd.logits.length} classes`);
  const contrast = request.contrastIndex ?? -1;
  if (contrast >= fwd.logits.length)
    throw new Error(`class ${contrast} is out of range: the model has ${fwd.logits.length} classes`);
  if (contrast === classIndex) throw new Error(`a contrastive map needs two different classes, not ${classIndex} twice`);
  hooks.predictions(fwd.logits, classIndex);
  // f(X)_A, or f(X)_A − f(X)_B: the core's one definition (class_score.h), as for every pass.
  const baseline = core.classScores(fwd.logits, 1, classIndex, contrast)[0];

  const [, K, h, w] = fwd.activations.dims;
  const [, C, H, W] = input.shape;
  const partials = () => coreTime.time(() => request.methods.map((m) => ex.partial(m)));
  const ex = coreTime.time(
    () =>
      new core.Explainer(
        request.methods,
        request.options,
        { K, h, w, C, H, W },
        fwd.activations.data,
        input.data,
        baseline,
        Math.min(request.batch, classifier.maxBatch),
      ),
  );
  let kept = false;
  try {
    const perInput = C * H * W;
    let passes = 1;
    let lastPost = -Infinity;
    let mapShown = false;
    while (!ex.done()) {
      if (hooks.cancelled()) return { cancelled: true };
      const batch = coreTime.time(() => ex.nextBatch());
      const n = batch.length / perInput;
      const scores = await inferenceTime.wait(classifier.classScores(batch, n, classIndex, contrast));
      coreTime.time(() => ex.tell(scores));
      passes += n;
      const now = performance.now();
      if (now - lastPost >= PROGRESS_INTERVAL_MS || !mapShown) {
        const maps = partials();
        mapShown = maps.some((p) => p.map !== null);
        hooks.progress({ done: ex.passesDone(), total: ex.totalPasses(), elapsedMs: now - start, partials: maps });
        lastPost = now;
      }
      await hooks.yieldToEvents();
    }
    const final = partials();
    const coreJson = coreTime.time(() =>
      ex.resultJson({
        model: request.modelName,
        layer: classifier.layer,
        classLabel: request.labels?.[classIndex] ?? '',
        classIndex,
        totalForwardPasses: passes,
        inferenceMs: inferenceTime.ms,
        otherMs: performance.now() - start - inferenceTime.ms,
      }),
    );
    const named = withModelForm(coreJson, classifier.form);
    const json = contrast >= 0 ? withContrast(named, contrast, request.labels?.[contrast] ?? '') : named;
    const totalMs = performance.now() - start;
    kept = hooks.keep?.(ex, { shapes: { K, h, w, C, H, W }, classIndex, contrast }) ?? false;
    return {
      json,
      partials: final,
      classIndex,
      contrastIndex: contrast,
      layerShape: fwd.activations.dims,
      forwardPasses: passes,
      channelsSkipped: ex.channelsSkipped(),
      modelForm: classifier.form,
      timings: { totalMs, inferenceMs: inferenceTime.ms, coreMs: coreTime.ms, otherMs: totalMs - inferenceTime.ms - coreTime.ms },
    };
  } finally {
    if (!kept) ex.delete();
  }
}
