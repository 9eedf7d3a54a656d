// The page's model and image: loading a bundled or the visitor's model (in the worker), its
// outputs, labels and target layers, and the image explained. Everything it touches comes in:
// the page's state, the element getter $, the view helpers and the run (page-run.js).
import { findBundled, findSample, renderModelChoice, samplesFor } from './bundled-models.js';
import { readableError } from './errors.js';
import { checkImageSize, checkModelSize, fileKind } from './files.js';
import { decodeImage } from './image-input.js';
import { chooseLabels, parseLabelsFile } from './labels.js';
import { displayImage, drawImage } from './overlay.js';
import { defaultPreset } from './preprocess.js';

export async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url} (HTTP ${response.status})`);
  return response.arrayBuffer();
}

export async function fetchJson(url) {
  return JSON.parse(new TextDecoder().decode(await fetchBytes(url)));
}

// A layer of the model by name; the last one when the name is not one of them.
export function layerInfo(info, name) {
  return info.layers.find((l) => l.name === name) ?? info.layers.at(-1);
}

// What the worker's load-model needs from a sidecar (or null): the size a symbolic input starts
// at (the sidecar's, else 224 as the CLI's default) and the output, layout and layer reading
// (tokens, grid and layer_layout: core/layer_reading.h).
export function modelChoices(sidecar) {
  const probeSize = sidecar?.preprocess?.size ?? [224, 224];
  const layerChoices = { tokens: sidecar?.tokens, grid: sidecar?.grid, layerLayout: sidecar?.layer_layout ?? '' };
  return { probeSize, choices: { output: sidecar?.output ?? '', layout: sidecar?.layout ?? '', ...layerChoices } };
}

// Files in the order they are opened: models and labels first, then images.
export function openingOrder(files, kindOf) {
  return [...files].sort((a, b) => (kindOf(a) === 'image') - (kindOf(b) === 'image'));
}

// run: {cancelRun, explain, chooseStartingRun}; fail(context) returns an error handler.
export function createPageModel({ state, $, view, run, fail, fetchBytes: bytesOf = fetchBytes, fetchJson: jsonOf = fetchJson }) {
  async function updateLabels() {
    const { info, sidecar, userLabels } = state.model;
    if (info.classCount === 1000 && !userLabels && !sidecar?.labels && !state.imagenet)
      state.imagenet = await jsonOf('models/imagenet-labels.json');
    state.model.labels = chooseLabels({ classCount: info.classCount, sidecar: sidecar?.labels, user: userLabels, imagenet: state.imagenet });
  }

  async function setModel(bytes, title, sidecar, bundled = null) {
    run.cancelRun();
    view.setStatus(`Loading ${title}…`);
    const size = bytes.byteLength;
    const { probeSize, choices } = modelChoices(sidecar);
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
    run.chooseStartingRun();
    view.setStatus(`Loaded ${title}: ${info.layers.length} candidate target layers.`);
  }

  // Another output as the class scores: the worker analyses and probes the model again.
  async function setOutput(output) {
    run.cancelRun();
    view.clearError();
    try {
      state.model.info = await state.client.request('set-choices', { choices: { output } }).done;
    } catch (error) {
      fail(`output '${output}'`)(error);
    }
    await updateLabels();
    view.renderModel(state.model);
    run.explain();
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
    const decoded = await decodeImage(state.core, new Uint8Array(await bytesOf(`samples/${file}`)));
    setImage(decoded, title);
    state.image.sample = file;
    view.markSample(file);
  }

  // The samples that go with the model loaded (bundled-models.js), the image shown marked.
  function showModelSamples() {
    const samples = samplesFor(state.manifest, { bundled: state.model.bundled, classCount: state.model.info.classCount });
    view.renderSamples(samples, (file, title) => openSample(file, title).then(() => run.explain(), fail(title)));
    view.markSample(state.image?.sample);
    $('samples-none').hidden = samples.length > 0;
  }

  // A bundled model; the image shown stays if it is the visitor's or one of this model's samples
  // (or if keepImage), else the model's first sample replaces it.
  async function openBundledModel(id, keepImage = false) {
    const { file } = findBundled(state.manifest, id);
    const [bytes, sidecar] = await Promise.all([bytesOf(`models/${file}`), jsonOf(`models/${id}.json`)]);
    await setModel(bytes, file, sidecar, id);
    const sample = state.image && findSample(state.manifest, state.image.sample);
    if (keepImage || (state.image && !sample) || sample?.models?.includes(id)) return;
    const [first] = samplesFor(state.manifest, { bundled: id });
    await openSample(first.file, first.title);
  }

  // Files from a picker (which says what they are), a drop or a paste (their names say): models
  // and labels first, then the image, then one run.
  async function openFiles(files, pickedAs = null) {
    view.clearError();
    const kindOf = (file) => pickedAs ?? fileKind(file);
    let changed = false;
    for (const file of openingOrder(files, kindOf)) {
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
    if (changed) run.explain();
  }

  return { setModel, setOutput, setLabels, setImage, openSample, openBundledModel, openFiles };
}
