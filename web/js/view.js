// Small DOM helpers: status, errors, progress, and the lists the page fills in.
import { formatBytes } from './files.js';
import { formatDuration } from './progress.js';
import { formatProbability } from './predictions.js';
import { PRESETS } from './preprocess.js';
import { element } from './views/dom.js';

export const $ = (id) => document.getElementById(id);

export function setStatus(text) {
  $('status').textContent = text;
}

export function showError(text) {
  $('error-text').textContent = text;
  $('error').hidden = false;
}

export function clearError() {
  $('error').hidden = true;
  $('error-text').textContent = '';
}

export function setImageNote(text) {
  $('image-note').textContent = text;
  $('image-note').hidden = !text;
}

export function setProgress(fraction, text) {
  $('progress').value = fraction;
  $('progress-text').textContent = text;
}

export function setRunning(running) {
  $('cancel').disabled = !running;
  document.body.classList.toggle('running', running);
}

export function renderSamples(samples, onPick) {
  const buttons = samples.map(({ file, title }) =>
    element(
      'button',
      { type: 'button', className: 'sample', title, onclick: () => onPick(file, title) },
      element('img', { src: `samples/${file}`, alt: title, width: 56, height: 56 }),
    ),
  );
  $('samples').replaceChildren(...buttons);
}

export function markSample(file) {
  for (const b of $('samples').querySelectorAll('button'))
    b.setAttribute('aria-pressed', String(b.querySelector('img').getAttribute('src') === `samples/${file}`));
}

export function renderPredictions(top, selected, onPick) {
  const items = top.map(({ index, label, probability }) => {
    const button = element(
      'button',
      { type: 'button', className: 'prediction', onclick: () => onPick(index) },
      element('span', { className: 'label', textContent: label }),
      element('span', { className: 'bar', style: `--p: ${probability}` }),
      element('span', { className: 'probability', textContent: formatProbability(probability) }),
    );
    button.setAttribute('aria-pressed', String(index === selected));
    button.setAttribute('aria-label', `${label}, ${formatProbability(probability)}: explain this class`);
    return element('li', {}, button);
  });
  $('predictions').replaceChildren(...items);
}

export function renderModel(model) {
  const { input, layers, defaultLayer, classCount, plan } = model.info;
  const dim = (v) => (v > 0 ? String(v) : '?');
  const nchw = [input.batch, input.channels, input.height, input.width];
  const shape = input.layout === 'nhwc' ? [nchw[0], nchw[2], nchw[3], nchw[1]] : nchw;
  $('model-name').textContent = `${model.title} (${formatBytes(model.bytes)})`;
  $('model-input').textContent =
    `Input '${input.name}': ${shape.map(dim).join('×')} ${input.type}, ` +
    `${input.layout === 'nhwc' ? 'N×H×W×C' : 'N×C×H×W'}, ${input.channels === 1 ? 'gray' : 'RGB'}; ${classCount} classes` +
    (model.labels.length ? '' : ' (no class names: give a labels file)');
  const notes = [input.note, plan.score.note].filter(Boolean);
  $('model-notes').textContent = notes.join('. ');
  $('model-notes').hidden = notes.length === 0;
  const outputs = plan.outputs.map((name) =>
    element('option', { value: name, textContent: name + (plan.scoreOutputs.includes(name) ? '' : ' (not [N, classes])') }),
  );
  $('output').replaceChildren(...outputs);
  $('output').value = plan.score.output;
  $('output').disabled = plan.outputs.length < 2;
  // A layer only an override reads is listed with the reason, not offered to run.
  const options = layers.map(({ name, op, shape: s, quantized, type, reading, problem }) =>
    element('option', {
      value: name,
      disabled: !reading,
      title: problem,
      textContent: reading
        ? `${name} · ${op} · ${s.join('×')}${quantized ? ` · ${type}` : ''}${name === defaultLayer ? ' (default)' : ''} · ${reading}`
        : `${name} · ${op} · ${s.join('×')} · not read: ${problem}`,
    }),
  );
  $('layer').replaceChildren(...options);
  $('layer').value = defaultLayer;
  $('input-size').hidden = input.height > 0 && input.width > 0;
}

// A model that failed to load: said until a model loads (null clears it).
export function showModelFailure(failure) {
  $('model-error').textContent = failure ? `${failure.title} did not load: ${failure.message}` : '';
  $('model-error').hidden = !failure;
}

// Which model the map shown was made with; marked when a newer model failed to load.
export function setMapModel(text, previousModel = false) {
  $('map-model').textContent = text;
  $('map-model').classList.toggle('previous-model', previousModel);
}

export function setFastNote(text) {
  $('fast-note').textContent = text;
  $('fast-note').hidden = !text;
}

export function renderPresets(hasSidecar, selected) {
  const options = PRESETS.filter((p) => p.id !== 'model' || hasSidecar).map((p) =>
    element('option', { value: p.id, textContent: p.title }),
  );
  $('preset').replaceChildren(...options);
  $('preset').value = selected;
  $('custom-preprocess').hidden = selected !== 'custom';
}

export function renderOptions(select, values, selected) {
  select.replaceChildren(...values.map((v) => element('option', { value: v, textContent: v })));
  select.value = selected;
}

// The settings form's bounds, starting values and fast-mode choices (settings.js, formBounds).
export function applyFormBounds(elements, channels, bounds) {
  for (const [name, { max, value }] of Object.entries(bounds.inputs)) {
    elements[name].max = String(max);
    if (value !== undefined) elements[name].value = String(value);
  }
  channels.replaceChildren(...bounds.channelOptions.map((o) => element('option', { value: String(o.value), textContent: o.text })));
  channels.value = '0';
}

// The canvases: the image, then one per method.
export function renderPanels(methods, titleOf) {
  const figures = methods.map((m) =>
    element(
      'figure',
      { className: 'panel' },
      element('canvas', { id: `map-${m}` }),
      element('figcaption', { id: `caption-${m}`, textContent: titleOf(m) }),
    ),
  );
  $('panels').replaceChildren($('panels').firstElementChild, ...figures);
  for (const m of methods) $(`map-${m}`).setAttribute('role', 'img');
}

// rows: [[term, text, data-ms or undefined], ...]
export function renderDetails(rows) {
  const items = rows.flatMap(([term, text, ms]) => {
    const dd = element('dd', { textContent: text });
    if (ms !== undefined) dd.dataset.ms = String(ms);
    return [element('dt', { textContent: term }), dd];
  });
  $('run-details').replaceChildren(...items);
}

export function timingText(ms, totalMs) {
  return totalMs ? `${formatDuration(ms)} (${((100 * ms) / totalMs).toFixed(1)} %)` : formatDuration(ms);
}

// Which form of an int8 model ran (classifier.js): int8, or its float form, and why.
export function modelFormText(form) {
  const ms = (v) => `${v.toFixed(1)} ms`;
  const timed = form.float32MsPerPass !== undefined
    ? `: a pass took ${ms(form.float32MsPerPass)} as float32, ${ms(form.int8MsPerPass)} as int8`
    : '';
  const ran = form.ran === 'float32' ? 'float32 (the int8 weights dequantized by the core)' : 'int8';
  return `${ran}${timed}${form.note ? `; ${form.note}` : ''}`;
}
