// The page: loads the default model and a sample, explains it at once, and lets the visitor
// bring their own image, model and labels, pick the class, method and parameters. The work runs
// in a worker (worker.js); this thread only draws, with the core's colour maps.
import { loadCore } from './core.js';
import { download, fileStem } from './download.js';
import { readableError } from './errors.js';
import { FaithfulnessPanel, jsonWithMetrics } from './faithfulness.js';
import { checkImageSize, checkModelSize, fileKind, transferFiles } from './files.js';
import { decodeImage } from './image-input.js';
import { chooseLabels, displayLabel, labelOf, parseLabelsFile } from './labels.js';
import { displayImage, drawImage, drawLegend, overlayImage } from './overlay.js';
import { topK } from './predictions.js';
import { defaultPreset, formatTriple, resolvePreprocess } from './preprocess.js';
import { formatDuration, progressText } from './progress.js';
import { AUTO_RUN_LIMIT_MS, FAST_CHANNEL_CHOICES, STARTING_RUN_LIMIT_MS, runPlan, startingRun } from './run-budget.js';
import { formBounds, methodTitle, parseSettings } from './settings.js';
import * as view from './view.js';
import { WorkerClient } from './worker-client.js';
import { attachExplanations } from './explanations.js';
import { mountLesson } from './views/lesson.js';
import { TeachingViews } from './views/teaching.js';
import { findBundled, findSample, renderModelChoice, samplesFor } from './bundled-models.js';
import { captionParagraphs, figurePng } from './figure-export.js';
import { registerServiceWorker } from './offline.js';
import { wireProjector } from './projector.js';
import { ViewLink, copyLink } from './view-link.js';
import { mountCamera } from './camera.js';
import { mountClassSearch } from './class-search.js';
import { ContrastView } from './views/contrast.js';
import { SanityView } from './views/sanity.js';

const { $ } = view;
const DEFAULT_COLORMAP = 'jet';

const state = {
  core: null,
  client: null,
  imagenet: null, // ImageNet class names, fetched for the first 1000-class model
  manifest: null, // the bundled models and samples (samples/index.json)
  model: null, // {title, bytes, sidecar, userLabels, labels, info, bundled (id, or null for the visitor's)}
  image: null, // {title, decoded, display, sample (the bundled sample's file, or undefined)}
  classIndex: -1, // -1: the top-1 class
  run: null, // the explanation in progress
  modelFailure: null, // {title, message} of the last model that failed to load, until one loads
  shown: null, // what the panels show: {methods, maps, json, stem}
  predictions: null, // the logits of the image explained (for the contrast's runner-up)
};
const faithfulness = new FaithfulnessPanel($('faithfulness'), methodTitle);
// The teaching views and lesson mode (js/views/) draw with the page's colour map and opacity.
const viewOptions = {
  core: () => state.core,
  client: () => state.client,
  display: () => ({ colormap: $('colormap').value, opacity: Number($('opacity').value) }),
  displayInputs: [$('colormap'), $('opacity')],
};
const teaching = new TeachingViews($('teaching'), viewOptions);
const contrast = new ContrastView($('contrast'), viewOptions);
const sanity = new SanityView($('sanity'), viewOptions);
mountLesson($('lesson'), viewOptions);
const link = new ViewLink();

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url} (HTTP ${response.status})`);
  return response.arrayBuffer();
}

async function fetchJson(url) {
  return JSON.parse(new TextDecoder().decode(await fetchBytes(url)));
}

function fail(context) {
  return (error) => {
    view.showError(readableError(error, context));
    view.setStatus('');
  };
}

// ---- model, labels, image ----------------------------------------------------------------

async function updateLabels() {
  const { info, sidecar, userLabels } = state.model;
  if (info.classCount === 1000 && !userLabels && !sidecar?.labels && !state.imagenet)
    state.imagenet = await fetchJson('models/imagenet-labels.json');
  state.model.labels = chooseLabels({ classCount: info.classCount, sidecar: sidecar?.labels, user: userLabels, imagenet: state.imagenet });
}

async function setModel(bytes, title, sidecar, bundled = null) {
  cancelRun();
  view.setStatus(`Loading ${title}…`);
  const size = bytes.byteLength;
  // A symbolic input size starts at the sidecar's size, else 224 (the CLI's default).
  const probeSize = sidecar?.preprocess?.size ?? [224, 224];
  // How target layers are read: the sidecar's tokens, grid and layer_layout (core/layer_reading.h).
  const layerChoices = { tokens: sidecar?.tokens, grid: sidecar?.grid, layerLayout: sidecar?.layer_layout ?? '' };
  const choices = { output: sidecar?.output ?? '', layout: sidecar?.layout ?? '', ...layerChoices };
  let info;
  try {
    info = await state.client.request('load-model', { bytes, probeSize, choices }, { transfer: [bytes] }).done;
  } catch (error) {
    // Said until a model loads: the maps that follow come from the previous model, and say so.
    state.modelFailure = { title, message: readableError(error) };
    view.showModelFailure(state.modelFailure);
    throw error;
  }
  state.modelFailure = null;
  view.showModelFailure(null);
  state.model = { title, bytes: size, sidecar, userLabels: null, labels: [], info, bundled };
  await updateLabels();
  [$('input-height').value, $('input-width').value] = probeSize;
  view.renderModel(state.model);
  renderModelChoice($('bundled-model'), state.manifest, state.model);
  showModelSamples();
  view.renderPresets(Boolean(sidecar?.preprocess), defaultPreset(sidecar, info.input));
  state.classIndex = -1;
  chooseStartingRun();
  view.setStatus(`Loaded ${title}: ${info.layers.length} candidate target layers.`);
}

// A new model starts with the current method if it fits the auto-run limit, else with the fast
// IS-CAM or Score-CAM run that fits seconds (run-budget.js).
function chooseStartingRun() {
  let settings;
  try {
    settings = parseSettings(settingsForm(), state.core.limits());
  } catch {
    return; // explain() says what is wrong with the settings
  }
  const { methods, options } = settings;
  const layerChannels = layerInfo($('layer').value).shape[1];
  const choice = startingRun(state.core, { methods, layerChannels, options }, state.model.info.msPerPass, STARTING_RUN_LIMIT_MS);
  if (choice.methods !== methods) $('settings').elements.method.value = choice.methods[0];
  $('channels').value = String(choice.channels);
}

function layerInfo(name) {
  return state.model.info.layers.find((l) => l.name === name) ?? state.model.info.layers.at(-1);
}

// Another output as the class scores: the worker analyses and probes the model again.
async function setOutput(output) {
  cancelRun();
  view.clearError();
  try {
    state.model.info = await state.client.request('set-choices', { choices: { output } }).done;
  } catch (error) {
    fail(`output '${output}'`)(error);
  }
  await updateLabels();
  view.renderModel(state.model);
  explain();
}

async function setLabels(text) {
  const { labels, preprocess } = parseLabelsFile(text);
  state.model.userLabels = labels;
  if (preprocess) {
    state.model.sidecar = { ...state.model.sidecar, preprocess };
    view.renderPresets(true, 'model');
  }
  await updateLabels();
  view.renderModel(state.model);
}

// note: what the page did to the image (downsized), shown until another image is opened.
function setImage(decoded, title, note = '') {
  view.setImageNote(note);
  state.image = { title, decoded, display: displayImage(state.core, decoded), regions: new Map() };
  drawImage(state.core, $('image-canvas'), state.image.display);
  $('image-canvas').setAttribute('aria-label', `The input image: ${title}`);
  state.classIndex = -1;
}

async function openSample(file, title) {
  const decoded = await decodeImage(state.core, new Uint8Array(await fetchBytes(`samples/${file}`)));
  setImage(decoded, title);
  state.image.sample = file;
  view.markSample(file);
}

// The samples that go with the model loaded (bundled-models.js), the image shown marked.
function showModelSamples() {
  const samples = samplesFor(state.manifest, { bundled: state.model.bundled, classCount: state.model.info.classCount });
  view.renderSamples(samples, (file, title) => openSample(file, title).then(explain, fail(title)));
  view.markSample(state.image?.sample);
  $('samples-none').hidden = samples.length > 0;
}

// A bundled model; the image shown stays if it is the visitor's or one of this model's samples
// (or if keepImage), else the model's first sample replaces it.
async function openBundledModel(id, keepImage = false) {
  const { file } = findBundled(state.manifest, id);
  const [bytes, sidecar] = await Promise.all([fetchBytes(`models/${file}`), fetchJson(`models/${id}.json`)]);
  await setModel(bytes, file, sidecar, id);
  const sample = state.image && findSample(state.manifest, state.image.sample);
  if (keepImage || (state.image && !sample) || sample?.models?.includes(id)) return;
  const [first] = samplesFor(state.manifest, { bundled: id });
  await openSample(first.file, first.title);
}

// What the page's address keeps of the view (view-link.js).
function updateLink() {
  if (state.model && state.image)
    link.update({ model: state.model.bundled, sample: state.image.sample ?? null, classIndex: state.classIndex });
}

// Files from a picker (which says what they are), a drop or a paste (their names say): models
// and labels first, then the image, then one run.
async function openFiles(files, pickedAs = null) {
  view.clearError();
  const kindOf = (file) => pickedAs ?? fileKind(file);
  const ordered = [...files].sort((a, b) => (kindOf(a) === 'image') - (kindOf(b) === 'image'));
  let changed = false;
  for (const file of ordered) {
    try {
      const kind = kindOf(file);
      if (kind === 'model') {
        checkModelSize(file.size);
        await setModel(await file.arrayBuffer(), file.name, null);
      } else if (kind === 'labels') {
        if (!state.model) throw new Error('load a model first');
        await setLabels(await file.text());
      } else {
        checkImageSize(file.size);
        let note = '';
        const onNote = (text) => (note = `'${file.name}': ${text}`);
        const decoded = await decodeImage(state.core, new Uint8Array(await file.arrayBuffer()), { onNote });
        setImage(decoded, file.name, note);
        view.markSample(null);
      }
      changed = true;
    } catch (error) {
      fail(`'${file.name}'`)(error);
    }
  }
  if (changed) explain();
}

// ---- explaining ----------------------------------------------------------------------------

function settingsForm() {
  const form = $('settings');
  return {
    method: form.elements.method.value,
    iscamSamples: form.elements.iscamSamples.value,
    sscamSamples: form.elements.sscamSamples.value,
    sigma: form.elements.sigma.value,
    seed: form.elements.seed.value,
    batch: form.elements.batch.value,
  };
}

// Fast mode: the number of channels scored, 0 for all (exact).
function fastChannels() {
  return Number($('channels').value);
}

// The image the maps are drawn over: the part the input shows (a centre crop), shown larger.
function mapBase(preprocess) {
  if (!preprocess?.centerCrop) return state.image.display;
  const key = JSON.stringify([preprocess.height, preprocess.width, preprocess.shorterSide]);
  if (!state.image.regions.has(key))
    state.image.regions.set(key, displayImage(state.core, state.core.inputRegion(state.image.decoded, preprocess)));
  return state.image.regions.get(key);
}

// Which model the map comes from, next to it; marked when a newer model failed to load.
function mapModelText(verb, layer) {
  const failure = state.modelFailure;
  const text = `${verb} ${state.model.title} · layer ${layer}`;
  if (!failure) return [text, false];
  return [`${text}. ${failure.title} did not load, so this is the previous model's map.`, true];
}

function preprocessChoice() {
  const height = Number($('input-height').value);
  const width = Number($('input-width').value);
  return { preset: $('preset').value, mean: $('mean').value, std: $('std').value, height, width };
}

// Custom mean/std start from the preset the visitor leaves.
function fillCustomPreprocess(preset) {
  try {
    const { mean, std } = resolvePreprocess(state.model.info.input, state.model.sidecar, { ...preprocessChoice(), preset }, (name) =>
      state.core.preprocessPreset(name),
    );
    [$('mean').value, $('std').value] = [formatTriple(mean), formatTriple(std)];
  } catch {
    // An invalid size field: the custom fields keep their values, and explain() reports the size.
  }
}

function cancelRun() {
  if (!state.run) return;
  state.client.cancel(state.run.id);
  state.run = null;
  view.setRunning(false);
}

// Says how long the run would take; an automatic start over the limit does not happen.
// Returns {start (whether the run may start), ms (the estimate)}.
function checkRunBudget(trigger, methods, options, layer) {
  const request = { methods, layerChannels: layerInfo(layer).shape[1], options, channels: options.channels };
  const what = methods.map(methodTitle).join(', ');
  const { start, note, ms } = runPlan(state.core, request, state.model.info.msPerPass, { what, asked: trigger === 'user' });
  view.setFastNote(note);
  return { start, ms };
}

// The estimate follows N as it is typed: a long run says how long it takes before Explain is pressed.
function showEstimate() {
  if (!state.model || state.run) return;
  try {
    const { methods, options } = parseSettings(settingsForm(), state.core.limits());
    checkRunBudget('user', methods, { ...options, channels: fastChannels() }, $('layer').value);
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
    settings = parseSettings(settingsForm(), state.core.limits());
    settings.options.channels = fastChannels();
    preprocess = resolvePreprocess(state.model.info.input, state.model.sidecar, preprocessChoice(), (name) =>
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
  view.setMapModel(...mapModelText('Explaining with', layer));
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
  view.setMapModel(...mapModelText('Explained with', run.layer));
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
    ...(fast > 0 ? [['Fast mode', `the ${fast} channels of highest variance scored of ${result.layerShape[1]}`]] : []),
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
  const [first, second] = topK(state.predictions, 2, state.model.labels);
  contrast.showRun({
    request: run.request,
    base: state.shown.base,
    classIndex: result.classIndex,
    runnerUp: (first.index === result.classIndex ? second : first)?.index ?? -1,
    method: run.methods[0],
    map: state.shown.maps.get(run.methods[0]),
    labels: state.model.labels.length ? state.model.labels : Array.from({ length: state.model.info.classCount }, (_, i) => `class ${i}`),
    stem: state.shown.stem,
  });
  const labels = state.model.labels;
  sanity.showRun({ request: run.request, base: state.shown.base, classIndex: result.classIndex, labels, model: state.model.info, stem: state.shown.stem });
}

// A camera frame replaces the image; Live mode explains with fast Score-CAM to keep up.
function explainFrame(image, { live }) {
  setImage(image, live ? 'the camera (live)' : 'a camera photo');
  view.markSample(null);
  return explain('auto', { live });
}

function startLive(on) {
  if (!on) return;
  $('settings').elements.method.value = 'scorecam';
  $('channels').value = '16';
}

function showCancelled() {
  view.setStatus('Cancelled. The map shown is the partial one.');
  teaching.clear('The run was cancelled: these views need a finished run.');
  view.setProgress($('progress').value, 'Cancelled');
}

// ---- drawing ---------------------------------------------------------------------------------

let redrawQueued = false;

// Opacity and colour map changes redraw from the maps already there: no recomputation.
function redraw() {
  if (redrawQueued) return;
  redrawQueued = true;
  requestAnimationFrame(() => {
    redrawQueued = false;
    if (!state.shown || !state.image) return;
    for (const m of state.shown.methods) {
      const canvas = $(`map-${m}`);
      const result = state.shown.maps.get(m);
      drawImage(state.core, canvas, result ? overlayOf(result) : state.shown.base);
      canvas.setAttribute('aria-label', `${methodTitle(m)} heat map over ${state.image.title}${result ? '' : ' (not computed yet)'}`);
    }
  });
}

function overlayOf(result) {
  return overlayImage(state.core, state.shown.base, result, $('colormap').value, Number($('opacity').value));
}

// A labelled figure for slides (figure-export.js): the image, the overlays, the colour bar, a caption.
async function downloadPng() {
  const { methods, maps, base, caption, stem } = state.shown;
  const panels = [
    { title: 'Image', image: base },
    ...methods.map((m) => ({ title: $(`caption-${m}`).textContent, image: overlayOf(maps.get(m)) })),
  ];
  download(await figurePng(state.core, { panels, colormap: $('colormap').value, caption }), `${stem}.png`, 'image/png');
}

// With the faithfulness metrics once they are measured, as `iscam explain --metrics` writes them.
function downloadJson() {
  const { json, stem } = state.shown;
  const text = faithfulness.metrics ? jsonWithMetrics(json, faithfulness.metrics) : json;
  download(text, `${stem}.json`, 'application/json');
}

// ---- wiring ----------------------------------------------------------------------------------

function wireControls() {
  mountClassSearch($('class-search'), $('class-matches'), { labels: () => state.model?.labels ?? [], pick: explainClass });
  mountCamera($('camera'), { explainFrame, live: startLive });
  $('settings').addEventListener('submit', (event) => {
    event.preventDefault();
    explain('user');
  });
  for (const radio of $('settings').elements.method) radio.addEventListener('change', () => explain());
  for (const id of ['iscam-samples', 'sscam-samples']) $(id).addEventListener('input', showEstimate);
  $('layer').addEventListener('change', () => explain());
  $('channels').addEventListener('change', () => explain());
  $('output').addEventListener('change', () => setOutput($('output').value));
  let previousPreset = null;
  $('preset').addEventListener('focus', () => (previousPreset = $('preset').value));
  $('preset').addEventListener('change', () => {
    if ($('preset').value === 'custom' && previousPreset) fillCustomPreprocess(previousPreset);
    previousPreset = $('preset').value;
    $('custom-preprocess').hidden = $('preset').value !== 'custom';
    explain();
  });
  $('cancel').addEventListener('click', () => {
    if (!state.run) return;
    state.client.cancel(state.run.id);
    view.setStatus('Cancelling…');
  });
  $('error-close').addEventListener('click', view.clearError);
  $('opacity').addEventListener('input', () => {
    $('opacity-value').textContent = `${Math.round(Number($('opacity').value) * 100)} %`;
    redraw();
    updateLink();
  });
  $('colormap').addEventListener('change', () => {
    drawLegend(state.core, $('legend'), $('colormap').value);
    redraw();
    updateLink();
  });
  $('download-png').addEventListener('click', () => downloadPng().catch(fail('The figure')));
  $('copy-link').addEventListener('click', () => copyLink(view.setStatus, !state.model?.bundled || !state.image?.sample));
  wireProjector($('projector'), updateLink);
  $('bundled-model').addEventListener('change', () => {
    view.clearError();
    openBundledModel($('bundled-model').value)
      .then(() => explain(), fail('The bundled model'))
      .finally(() => renderModelChoice($('bundled-model'), state.manifest, state.model));
  });
  $('download-json').addEventListener('click', downloadJson);
  for (const kind of ['image', 'model', 'labels'])
    $(`${kind}-file`).addEventListener('change', (event) => {
      const files = [...event.target.files];
      event.target.value = '';
      if (files.length) openFiles(files, kind);
    });
  $('threads').addEventListener('change', () => {
    const url = new URL(location.href);
    if ($('threads').value === '0') url.searchParams.delete('threads');
    else url.searchParams.set('threads', $('threads').value);
    location.assign(url);
  });
  document.addEventListener('dragover', (event) => {
    event.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', (event) => {
    if (!event.relatedTarget) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', (event) => {
    event.preventDefault();
    document.body.classList.remove('dragging');
    const files = transferFiles(event.dataTransfer);
    if (files.length) openFiles(files);
  });
  document.addEventListener('paste', (event) => {
    const files = transferFiles(event.clipboardData);
    if (!files.length) return;
    event.preventDefault();
    openFiles(files);
  });
}

async function startWorker(params) {
  state.client = new WorkerClient(new URL('./worker.js', import.meta.url));
  const threads = Number(params.get('threads') ?? 0);
  const backend = params.get('backend') ?? 'auto';
  const ready = await state.client.request('init', { threads, backend }).done;
  $('threads').value = [...$('threads').options].some((o) => o.value === String(threads)) ? String(threads) : '0';
  $('runtime').textContent =
    `ONNX Runtime Web ${ready.version} on ${ready.backend === 'webgpu' ? 'WebGPU' : 'WebAssembly'}, ` +
    `${ready.threads} thread${ready.threads === 1 ? '' : 's'}${ready.isolated ? ', cross-origin isolated' : ''}.`;
  if (ready.notes.length) {
    $('runtime-note').textContent = ready.notes.join(' ');
    $('runtime-note').hidden = false;
  }
}

async function start() {
  wireControls();
  attachExplanations(document);
  const params = new URLSearchParams(location.search);
  view.setStatus('Loading the model and ONNX Runtime…');
  [state.core] = await Promise.all([loadCore(), startWorker(params)]);
  view.applyFormBounds($('settings').elements, $('channels'), formBounds(state.core, FAST_CHANNEL_CHOICES));
  view.renderOptions($('colormap'), state.core.colormapNames(), DEFAULT_COLORMAP);
  drawLegend(state.core, $('legend'), DEFAULT_COLORMAP);
  state.manifest = await fetchJson('samples/index.json');
  await openLinkedView();
  explain();
  registerServiceWorker((text) => ($('offline').textContent = text));
}

// The view the page's address asks for (view-link.js), else the first bundled model and sample.
async function openLinkedView() {
  const wanted = link.initial;
  const problems = [];
  const model = findBundled(state.manifest, wanted.model) ?? state.manifest.models[0];
  if (wanted.model !== undefined && model.id !== wanted.model) problems.push(`model=${wanted.model}`);
  const sample = wanted.sample === undefined ? null : findSample(state.manifest, wanted.sample);
  if (wanted.sample !== undefined && !sample) problems.push(`sample=${wanted.sample}`);
  if (sample) await openSample(sample.file, sample.title);
  await openBundledModel(model.id, Boolean(sample));
  problems.push(...link.applyControls());
  if (wanted.classIndex < state.model.info.classCount) state.classIndex = wanted.classIndex;
  else if (wanted.classIndex !== undefined) problems.push(`class=${wanted.classIndex}`);
  $('link-note').textContent = problems.length ? `Not used from this page's address: ${problems.join(', ')}.` : '';
  $('link-note').hidden = problems.length === 0;
  link.live = true;
}

start().catch(fail('The page could not start'));
