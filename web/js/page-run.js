// The page's explanation runs: the settings checked against the time budget, one run at a time
// in the worker (a new one cancels the one before, whose messages are then ignored), the maps
// and details shown as they come, and the metrics and teaching views started after a run.
// Everything it touches comes in: the page's state, the element getter $, the view helpers,
// the panels run after a map, redraw and updateLink.
import { fileStem } from './download.js';
import { readableError } from './errors.js';
import { captionParagraphs } from './figure-export.js';
import { displayLabel, labelOf } from './labels.js';
import { displayImage } from './overlay.js';
import { layerInfo } from './page-model.js';
import { fastOptions, fastSelect, preprocessChoice, settingsForm } from './page-state.js';
import { topK } from './predictions.js';
import { formatTriple, resolvePreprocess } from './preprocess.js';
import { formatDuration, progressText } from './progress.js';
import { AUTO_RUN_LIMIT_MS, STARTING_RUN_LIMIT_MS, runPlan, startingRun } from './run-budget.js';
import { methodTitle, parseSettings } from './settings.js';

// Which model the map comes from, next to it; marked when a newer model failed to load.
// Returns [text, marked].
export function mapModelText(state, verb, layer) {
  const failure = state.modelFailure;
  const text = `${verb} ${state.model.title} · layer ${layer}`;
  if (!failure) return [text, false];
  return [`${text}. ${failure.title} did not load, so this is the previous model's map.`, true];
}

// The contrast's class B to start with: the top class, or the runner-up when the top one is the
// class explained (-1 when the model has one class).
export function runnerUp(logits, classIndex, labels) {
  const [first, second] = topK(logits, 2, labels);
  return (first.index === classIndex ? second : first)?.index ?? -1;
}

// panels: {faithfulness, teaching, contrast, sanity}.
export function createPageRun({ state, $, view, panels, redraw, updateLink, fail }) {
  const { faithfulness, teaching, contrast, sanity } = panels;

  // A new model starts with the current method if it fits the auto-run limit, else with the fast
  // IS-CAM or Score-CAM run that fits seconds (run-budget.js).
  function chooseStartingRun() {
    let settings;
    try {
      settings = parseSettings(settingsForm($), state.core.limits());
    } catch {
      return; // explain() says what is wrong with the settings
    }
    const { methods, options } = settings;
    const layerChannels = layerInfo(state.model.info, $('layer').value).shape[1];
    const choice = startingRun(state.core, { methods, layerChannels, options }, state.model.info.msPerPass, STARTING_RUN_LIMIT_MS);
    if (choice.methods !== methods) $('settings').elements.method.value = choice.methods[0];
    $('channels').value = String(choice.channels);
    if (choice.select) $('channel-select').value = choice.select;
  }

  // Custom mean/std start from the preset the visitor leaves.
  function fillCustomPreprocess(preset) {
    try {
      const { mean, std } = resolvePreprocess(state.model.info.input, state.model.sidecar, { ...preprocessChoice($), preset }, (name) =>
        state.core.preprocessPreset(name),
      );
      [$('mean').value, $('std').value] = [formatTriple(mean), formatTriple(std)];
    } catch {
      // An invalid size field: the custom fields keep their values, and explain() reports the size.
    }
  }

  // The image the maps are drawn over: the part the input shows (a centre crop), shown larger.
  function mapBase(preprocess) {
    if (!preprocess?.centerCrop) return state.image.display;
    const key = JSON.stringify([preprocess.height, preprocess.width, preprocess.shorterSide]);
    if (!state.image.regions.has(key))
      state.image.regions.set(key, displayImage(state.core, state.core.inputRegion(state.image.decoded, preprocess)));
    return state.image.regions.get(key);
  }

  function cancelRun() {
    if (!state.run) return;
    state.client.cancel(state.run.id);
    state.run = null;
    view.setRunning(false);
  }

  // The Cancel button: the worker stops the run, which then ends as cancelled (showCancelled).
  function requestCancel() {
    if (!state.run) return;
    state.client.cancel(state.run.id);
    view.setStatus('Cancelling…');
  }

  // Says how long the run would take; an automatic start over the limit does not happen.
  // Returns {start (whether the run may start), ms (the estimate)}.
  function checkRunBudget(trigger, methods, options, layer) {
    const layerChannels = layerInfo(state.model.info, layer).shape[1];
    const request = { methods, layerChannels, options, channels: options.channels, fastSelect: fastSelect($) };
    const what = methods.map(methodTitle).join(', ');
    const { start, note, ms } = runPlan(state.core, request, state.model.info.msPerPass, { what, asked: trigger === 'user' });
    view.setFastNote(note);
    return { start, ms };
  }

  // The estimate follows N as it is typed: a long run says how long it takes before Explain is pressed.
  function showEstimate() {
    if (!state.model || state.run) return;
    try {
      const { methods, options } = parseSettings(settingsForm($), state.core.limits());
      checkRunBudget('user', methods, { ...options, ...fastOptions($) }, $('layer').value);
    } catch {
      // explain() says what is wrong with the settings
    }
  }

  // trigger: 'user' (the Explain button) or 'auto' (anything else): only the user starts a run
  // over AUTO_RUN_LIMIT_MS. live: a camera frame of Live mode (no metrics, teaching or contrast
  // after it). Resolves true once the map is shown, false when the run did not finish.
  function explain(trigger = 'auto', { live = false } = {}) {
    if (!state.model || !state.image) return Promise.resolve(false);
    cancelRun();
    faithfulness.stop('');
    teaching.clear('The views open once the run has finished.');
    contrast.clear('Class B can be picked once the run has finished.');
    sanity.clear('The checks can run once the run has finished.');
    view.clearError();
    let settings;
    let preprocess;
    try {
      settings = parseSettings(settingsForm($), state.core.limits());
      Object.assign(settings.options, fastOptions($));
      preprocess = resolvePreprocess(state.model.info.input, state.model.sidecar, preprocessChoice($), (name) =>
        state.core.preprocessPreset(name),
      );
    } catch (error) {
      view.showError(readableError(error));
      return Promise.resolve(false);
    }
    const { methods } = settings;
    const layer = $('layer').value;
    updateLink();
    const run = { methods, layer, live, started: performance.now(), firstMapMs: null };
    // Live mode keeps the last frame's map on screen until the new one is drawn (no flicker).
    const keepPanels = live && state.shown?.live && state.shown.methods.join() === methods.join();
    state.shown = {
      methods,
      live,
      maps: new Map(),
      json: null,
      base: mapBase(preprocess),
      stem: fileStem(state.model.title, state.image.title, methods.length > 1 ? 'compare' : methods[0]),
    };
    if (!keepPanels) {
      view.renderPanels(methods, methodTitle);
      redraw();
    }
    $('download-png').disabled = true;
    $('download-json').disabled = true;
    const budget = checkRunBudget(trigger, methods, settings.options, layer);
    if (!budget.start) {
      view.setMapModel(`Not explained yet with ${state.model.title}.`, Boolean(state.modelFailure));
      view.setStatus('Press Explain to run.');
      view.setProgress(0, '');
      return Promise.resolve(false);
    }
    view.setMapModel(...mapModelText(state, 'Explaining with', layer));
    const request = {
      image: state.image.decoded,
      preprocess,
      layer,
      methods,
      options: settings.options,
      batch: settings.batch,
      classIndex: state.classIndex,
      labels: state.model.labels,
      modelName: state.model.title,
    };
    run.request = request;
    const current = () => state.run === run;
    const { id, done } = state.client.request('explain', request, {
      handlers: {
        predictions: (m) => current() && showPredictions(m),
        progress: (m) => current() && showProgress(run, m),
      },
    });
    run.id = id;
    state.run = run;
    view.setRunning(true);
    view.setProgress(0, budget.ms > AUTO_RUN_LIMIT_MS ? `Starting: about ${formatDuration(budget.ms)}…` : 'Starting…');
    view.setStatus(`Explaining with ${methods.map(methodTitle).join(', ')}…`);
    performance.mark(`explain-${id}-start`);
    return done
      .then((m) => {
        if (!current()) return false;
        if (m.type === 'cancelled') showCancelled();
        else showResult(run, m);
        return m.type !== 'cancelled';
      })
      .catch((error) => {
        if (!current()) return false;
        fail('')(error);
        view.setProgress(0, '');
        return false;
      })
      .finally(() => {
        if (!current()) return;
        state.run = null;
        view.setRunning(false);
      });
  }

  // The top 5, and the class explained below them when it is not one of them.
  function showPredictions({ logits, classIndex }) {
    state.predictions = logits;
    const top = topK(logits, 5, state.model.labels);
    if (!top.some((t) => t.index === classIndex))
      top.push(topK(logits, logits.length, state.model.labels).find((t) => t.index === classIndex));
    view.renderPredictions(top, classIndex, explainClass);
    for (const m of state.shown.methods)
      $(`caption-${m}`).textContent = `${methodTitle(m)} · ${displayLabel(state.model.labels, classIndex)}`;
  }

  function showProgress(run, { done, total, elapsedMs, partials }) {
    for (const p of partials) if (p.map) state.shown.maps.set(p.method, p);
    if (run.firstMapMs === null && state.shown.maps.size > 0) {
      run.firstMapMs = performance.now() - run.started;
      performance.mark(`explain-${run.id}-first-map`);
    }
    redraw();
    view.setProgress(total ? done / total : 0, progressText({ done, total, elapsedMs }));
  }

  function explainClass(index) {
    state.classIndex = index;
    explain();
  }

  function showResult(run, result) {
    const finalMs = performance.now() - run.started;
    performance.mark(`explain-${run.id}-final`);
    for (const p of result.partials) state.shown.maps.set(p.method, p);
    if (run.firstMapMs === null) run.firstMapMs = finalMs;
    state.shown.json = result.json;
    redraw();
    $('download-png').disabled = false;
    $('download-json').disabled = false;
    view.setProgress(1, `${result.forwardPasses} forward passes in ${formatDuration(result.timings.totalMs)}`);
    const label = displayLabel(state.model.labels, result.classIndex);
    view.setStatus(`Done: ${run.methods.map(methodTitle).join(', ')} for “${label}”.`);
    view.setMapModel(...mapModelText(state, 'Explained with', run.layer));
    const fast = run.request.options.channels;
    state.shown.caption = captionParagraphs({
      model: state.model.sidecar?.name ?? state.model.title,
      classLabel: labelOf(state.model.labels, result.classIndex),
      classIndex: result.classIndex,
      methods: run.methods,
      options: run.request.options,
      layer: run.layer,
      layerShape: result.layerShape,
      channels: fast,
    });
    const { totalMs, inferenceMs, coreMs, otherMs } = result.timings;
    view.renderDetails([
      ['Model', state.model.title],
      ['Target layer', `${run.layer} (${result.layerShape.join('×')})`],
      ...(result.modelForm ? [['Model form', view.modelFormText(result.modelForm)]] : []),
      ['Forward passes', `${result.forwardPasses} (${result.channelsSkipped} all-zero channels skipped)`],
      ...(fast > 0 ? [['Fast mode', fastModeText(run.request.options, result)]] : []),
      ['First map after', formatDuration(run.firstMapMs), run.firstMapMs],
      ['Final map after', formatDuration(finalMs), finalMs],
      ['ONNX Runtime inference', view.timingText(inferenceMs, totalMs), inferenceMs],
      ['WASM core', view.timingText(coreMs, totalMs), coreMs],
      ['Other (messages, scheduling)', view.timingText(otherMs, totalMs), otherMs],
      ...(result.batchNote ? [['Note', result.batchNote]] : []),
    ]);
    if (run.live) return;
    faithfulness.measure(state.client, run.request, result);
    teaching.showRun({ id: run.id, methods: run.methods, label, base: state.shown.base, options: run.request.options });
    contrast.showRun({
      request: run.request,
      base: state.shown.base,
      classIndex: result.classIndex,
      runnerUp: runnerUp(state.predictions, result.classIndex, state.model.labels),
      method: run.methods[0],
      map: state.shown.maps.get(run.methods[0]),
      labels: state.model.labels.length ? state.model.labels : Array.from({ length: state.model.info.classCount }, (_, i) => `class ${i}`),
      stem: state.shown.stem,
    });
    const labels = state.model.labels;
    sanity.showRun({ request: run.request, base: state.shown.base, classIndex: result.classIndex, labels, model: state.model.info, stem: state.shown.stem });
  }

  // Live mode explains with fast Score-CAM to keep up.
  function startLive(on) {
    if (!on) return;
    $('settings').elements.method.value = 'scorecam';
    $('channels').value = '16';
    $('channel-select').value = 'variance'; // 17 passes a frame; screening would take 129
  }

  function showCancelled() {
    view.setStatus('Cancelled. The map shown is the partial one.');
    teaching.clear('The run was cancelled: these views need a finished run.');
    view.setProgress($('progress').value, 'Cancelled');
  }

  return { explain, explainClass, cancelRun, requestCancel, chooseStartingRun, fillCustomPreprocess, showEstimate, startLive };
}

// The run details' line on fast mode: which channels were scored, and how they were chosen.
export function fastModeText(options, result) {
  const of = result.layerShape[1];
  if (options.select !== 'screen') return `the ${options.channels} channels of highest variance scored of ${of}`;
  const predicted = Math.max(0, ...result.partials.map((p) => p.channelsPredicted ?? 0));
  return `screening: ${options.channels + predicted} channels of highest variance screened of ${of}, ${options.channels} scored in full, ${predicted} with predicted scores`;
}
