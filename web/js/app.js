// The page: loads the default model and a sample, explains it at once, and lets the visitor
// bring their own image, model and labels, pick the class, method and parameters. The work runs
// in a worker (worker.js); this thread only draws, with the core's colour maps.
import { loadCore } from './core.js';
import { download, fileStem } from './download.js';
import { readableError } from './errors.js';
import { checkModelSize, fileKind, transferFiles } from './files.js';
import { decodeImage } from './image-input.js';
import { chooseLabels, displayLabel, parseLabelsFile } from './labels.js';
import { displayImage, drawImage, drawLegend, overlayImage, panelsPng } from './overlay.js';
import { topK } from './predictions.js';
import { defaultPreset, formatTriple, resolvePreprocess } from './preprocess.js';
import { formatDuration, progressText } from './progress.js';
import { methodTitle, parseSettings } from './settings.js';
import * as view from './view.js';
import { WorkerClient } from './worker-client.js';

const { $ } = view;
const DEFAULT_MODEL = 'fashion-cnn';
const DEFAULT_COLORMAP = 'jet';

const state = {
  core: null,
  client: null,
  imagenet: null, // ImageNet class names, fetched for the first 1000-class model
  model: null, // {title, bytes, sidecar, userLabels, labels, info}
  image: null, // {title, decoded, display}
  classIndex: -1, // -1: the top-1 class
  run: null, // the explanation in progress
  shown: null, // what the panels show: {methods, maps, json, stem}
};

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

async function setModel(bytes, title, sidecar) {
  cancelRun();
  view.setStatus(`Loading ${title}…`);
  const size = bytes.byteLength;
  // A symbolic input size starts at the sidecar's size, else 224 (the CLI's default).
  const probeSize = sidecar?.preprocess?.size ?? [224, 224];
  const info = await state.client.request('load-model', { bytes, probeSize }, { transfer: [bytes] }).done;
  state.model = { title, bytes: size, sidecar, userLabels: null, labels: [], info };
  await updateLabels();
  [$('input-height').value, $('input-width').value] = probeSize;
  view.renderModel(state.model);
  view.renderPresets(Boolean(sidecar?.preprocess), defaultPreset(sidecar));
  state.classIndex = -1;
  view.setStatus(`Loaded ${title}: ${info.layers.length} candidate target layers.`);
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

function setImage(decoded, title) {
  state.image = { title, decoded, display: displayImage(state.core, decoded) };
  drawImage(state.core, $('image-canvas'), state.image.display);
  $('image-canvas').setAttribute('aria-label', `The input image: ${title}`);
  state.classIndex = -1;
}

async function openSample(file, title) {
  const decoded = await decodeImage(state.core, new Uint8Array(await fetchBytes(`samples/${file}`)));
  setImage(decoded, title);
  view.markSample(file);
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
        setImage(await decodeImage(state.core, new Uint8Array(await file.arrayBuffer())), file.name);
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

function explain() {
  if (!state.model || !state.image) return;
  cancelRun();
  view.clearError();
  let settings;
  let preprocess;
  try {
    settings = parseSettings(settingsForm());
    preprocess = resolvePreprocess(state.model.info.input, state.model.sidecar, preprocessChoice(), (name) =>
      state.core.preprocessPreset(name),
    );
  } catch (error) {
    view.showError(readableError(error));
    return;
  }
  const { methods } = settings;
  const layer = $('layer').value;
  const run = { methods, layer, started: performance.now(), firstMapMs: null };
  state.shown = {
    methods,
    maps: new Map(),
    json: null,
    stem: fileStem(state.model.title, state.image.title, methods.length > 1 ? 'compare' : methods[0]),
  };
  view.renderPanels(methods, methodTitle);
  redraw();
  $('download-png').disabled = true;
  $('download-json').disabled = true;
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
  view.setProgress(0, 'Starting…');
  view.setStatus(`Explaining with ${methods.map(methodTitle).join(', ')}…`);
  performance.mark(`explain-${id}-start`);
  done
    .then((m) => {
      if (!current()) return;
      if (m.type === 'cancelled') showCancelled();
      else showResult(run, m);
    })
    .catch((error) => {
      if (!current()) return;
      fail('')(error);
      view.setProgress(0, '');
    })
    .finally(() => {
      if (!current()) return;
      state.run = null;
      view.setRunning(false);
    });
}

function showPredictions({ logits, classIndex }) {
  view.renderPredictions(topK(logits, 5, state.model.labels), classIndex, (index) => {
    state.classIndex = index;
    explain();
  });
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
  const { totalMs, inferenceMs, coreMs, otherMs } = result.timings;
  view.renderDetails([
    ['Model', state.model.title],
    ['Target layer', `${run.layer} (${result.layerShape.join('×')})`],
    ['Forward passes', `${result.forwardPasses} (${result.channelsSkipped} all-zero channels skipped)`],
    ['First map after', formatDuration(run.firstMapMs), run.firstMapMs],
    ['Final map after', formatDuration(finalMs), finalMs],
    ['ONNX Runtime inference', view.timingText(inferenceMs, totalMs), inferenceMs],
    ['WASM core', view.timingText(coreMs, totalMs), coreMs],
    ['Other (messages, scheduling)', view.timingText(otherMs, totalMs), otherMs],
    ...(result.batchNote ? [['Note', result.batchNote]] : []),
  ]);
}

function showCancelled() {
  view.setStatus('Cancelled. The map shown is the partial one.');
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
      drawImage(state.core, canvas, result ? overlayOf(result) : state.image.display);
      canvas.setAttribute('aria-label', `${methodTitle(m)} heat map over ${state.image.title}${result ? '' : ' (not computed yet)'}`);
    }
  });
}

function overlayOf(result) {
  return overlayImage(state.core, state.image.display, result, $('colormap').value, Number($('opacity').value));
}

function downloadPng() {
  const images = state.shown.methods.map((m) => overlayOf(state.shown.maps.get(m)));
  download(panelsPng(state.core, images), `${state.shown.stem}.png`, 'image/png');
}

function downloadJson() {
  download(state.shown.json, `${state.shown.stem}.json`, 'application/json');
}

// ---- wiring ----------------------------------------------------------------------------------

function wireControls() {
  $('settings').addEventListener('submit', (event) => {
    event.preventDefault();
    explain();
  });
  for (const radio of $('settings').elements.method) radio.addEventListener('change', explain);
  $('layer').addEventListener('change', explain);
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
  });
  $('colormap').addEventListener('change', () => {
    drawLegend(state.core, $('legend'), $('colormap').value);
    redraw();
  });
  $('download-png').addEventListener('click', downloadPng);
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
  const params = new URLSearchParams(location.search);
  view.setStatus('Loading the model and ONNX Runtime…');
  [state.core] = await Promise.all([loadCore(), startWorker(params)]);
  view.renderOptions($('colormap'), state.core.colormapNames(), DEFAULT_COLORMAP);
  drawLegend(state.core, $('legend'), DEFAULT_COLORMAP);
  const [manifest, modelBytes, sidecar] = await Promise.all([
    fetchJson('samples/index.json'),
    fetchBytes(`models/${DEFAULT_MODEL}.onnx`),
    fetchJson(`models/${DEFAULT_MODEL}.json`),
  ]);
  view.renderSamples(manifest.samples, (file, title) => openSample(file, title).then(explain, fail(title)));
  await setModel(modelBytes, `${DEFAULT_MODEL}.onnx`, sidecar);
  const first = manifest.samples[0];
  await openSample(first.file, first.title);
  explain();
}

start().catch(fail('The page could not start'));
