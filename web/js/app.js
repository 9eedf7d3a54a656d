// The page: loads the default model and a sample, explains it at once, and lets the visitor
// bring their own image, model and labels, pick the class, method and parameters. The work runs
// in a worker (worker.js); this thread only draws, with the core's colour maps. This module only
// wires: the model (page-model.js), the runs (page-run.js), the drawing (page-draw.js) and the
// controls' values (page-state.js) take the page's state and elements from here.
import { findBundled, findSample, renderModelChoice } from './bundled-models.js';
import { mountCamera } from './camera.js';
import { mountClassSearch } from './class-search.js';
import { loadCore } from './core.js';
import { readableError } from './errors.js';
import { attachExplanations } from './explanations.js';
import { FaithfulnessPanel } from './faithfulness.js';
import { transferFiles } from './files.js';
import { registerServiceWorker } from './offline.js';
import { drawLegend } from './overlay.js';
import { createPageDrawing } from './page-draw.js';
import { createPageModel, fetchJson } from './page-model.js';
import { createPageRun } from './page-run.js';
import { linkNote, linkSubject, linkedClass, linkedSubject, threadsAddress } from './page-state.js';
import { wireProjector } from './projector.js';
import { FAST_CHANNEL_CHOICES } from './run-budget.js';
import { formBounds, methodTitle } from './settings.js';
import * as view from './view.js';
import { ViewLink, copyLink } from './view-link.js';
import { ContrastView } from './views/contrast.js';
import { mountLesson } from './views/lesson.js';
import { SanityView } from './views/sanity.js';
import { TeachingViews } from './views/teaching.js';
import { WorkerClient } from './worker-client.js';

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

function fail(context) {
  return (error) => {
    view.showError(readableError(error, context));
    view.setStatus('');
  };
}

// What the page's address keeps of the view (view-link.js).
function updateLink() {
  const subject = linkSubject(state);
  if (subject) link.update(subject);
}

const { redraw, downloadPng, downloadJson } = createPageDrawing({ state, $, faithfulness });
const run = createPageRun({ state, $, view, panels: { faithfulness, teaching, contrast, sanity }, redraw, updateLink, fail });
const model = createPageModel({ state, $, view, run, fail });
const { explain } = run;

// A camera frame replaces the image; Live mode explains with fast Score-CAM to keep up.
function explainFrame(image, { live }) {
  model.setImage(image, live ? 'the camera (live)' : 'a camera photo');
  view.markSample(null);
  return explain('auto', { live });
}

// ---- wiring ----------------------------------------------------------------------------------

function wireControls() {
  mountClassSearch($('class-search'), $('class-matches'), { labels: () => state.model?.labels ?? [], pick: run.explainClass });
  mountCamera($('camera'), { explainFrame, live: run.startLive });
  $('settings').addEventListener('submit', (event) => {
    event.preventDefault();
    explain('user');
  });
  for (const radio of $('settings').elements.method) radio.addEventListener('change', () => explain());
  for (const id of ['iscam-samples', 'sscam-samples']) $(id).addEventListener('input', run.showEstimate);
  $('layer').addEventListener('change', () => explain());
  $('channels').addEventListener('change', () => explain());
  $('channel-select').addEventListener('change', () => explain());
  $('output').addEventListener('change', () => model.setOutput($('output').value));
  let previousPreset = null;
  $('preset').addEventListener('focus', () => (previousPreset = $('preset').value));
  $('preset').addEventListener('change', () => {
    if ($('preset').value === 'custom' && previousPreset) run.fillCustomPreprocess(previousPreset);
    previousPreset = $('preset').value;
    $('custom-preprocess').hidden = $('preset').value !== 'custom';
    explain();
  });
  $('cancel').addEventListener('click', run.requestCancel);
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
    model.openBundledModel($('bundled-model').value)
      .then(() => explain(), fail('The bundled model'))
      .finally(() => renderModelChoice($('bundled-model'), state.manifest, state.model));
  });
  $('download-json').addEventListener('click', downloadJson);
  for (const kind of ['image', 'model', 'labels'])
    $(`${kind}-file`).addEventListener('change', (event) => {
      const files = [...event.target.files];
      event.target.value = '';
      if (files.length) model.openFiles(files, kind);
    });
  $('threads').addEventListener('change', () => {
    location.assign(threadsAddress(location.href, $('threads').value));
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
    if (files.length) model.openFiles(files);
  });
  document.addEventListener('paste', (event) => {
    const files = transferFiles(event.clipboardData);
    if (!files.length) return;
    event.preventDefault();
    model.openFiles(files);
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
  const { model: bundled, sample, problems } = linkedSubject(state.manifest, wanted, { bundled: findBundled, sample: findSample });
  if (sample) await model.openSample(sample.file, sample.title);
  await model.openBundledModel(bundled.id, Boolean(sample));
  problems.push(...link.applyControls());
  const { classIndex, problem } = linkedClass(wanted.classIndex, state.model.info.classCount);
  if (classIndex !== undefined) state.classIndex = classIndex;
  if (problem) problems.push(problem);
  $('link-note').textContent = linkNote(problems);
  $('link-note').hidden = problems.length === 0;
  link.live = true;
}

start().catch(fail('The page could not start'));
