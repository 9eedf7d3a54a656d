// "Is the map about the model?": the sanity checks of Adebayo et al. (2018) on the loaded model
// (docs/math.md, "Sanity checks"). The worker re-draws the model's layers from the output down and
// explains the same class on each copy (sanity-run.js); the maps appear beside the original as
// they come, with the curve of their similarity to it (Spearman, SSIM), and the map of a random
// other class beside the class's (the random-logit test). Progress and Cancel like a run; fast
// mode where the exact checks would be long. page-run.js says when a run finished or began.
import { download } from '../download.js';
import { readableError } from '../errors.js';
import { curvePoints } from '../faithfulness.js';
import { displayLabel } from '../labels.js';
import { overlayImage } from '../overlay.js';
import { formatDuration, progressText } from '../progress.js';
import { AUTO_RUN_LIMIT_MS, FAST_CHANNEL_CHOICES, estimateMs } from '../run-budget.js';
import { methodTitle } from '../settings.js';
import { element, formatNumber, svgElement } from './dom.js';
import { niceTicks } from './score-chart.js';

const MEASURES = [
  ['spearman', 'Spearman rank correlation'],
  ['ssim', 'SSIM'],
];

// The channels to score so that the checks (one explanation per layer and two more) take at most
// AUTO_RUN_LIMIT_MS: 0 (exact) or the run's own fast mode when that fits, else the most of
// FAST_CHANNEL_CHOICES that fits, else the fewest. Returns {channels, ms, exactMs}.
export function sanityChannels(core, { method, options, layerChannels, steps }, msPerPass) {
  const runs = steps + 2;
  const ms = (channels) => runs * estimateMs(core, { methods: [method], layerChannels, options, channels }, msPerPass);
  const own = options.channels ?? 0;
  const exactMs = ms(0);
  if (ms(own) <= AUTO_RUN_LIMIT_MS) return { channels: own, ms: ms(own), exactMs };
  const choices = FAST_CHANNEL_CHOICES.filter((k) => k < layerChannels && (own === 0 || k < own));
  const channels = [...choices].reverse().find((k) => ms(k) <= AUTO_RUN_LIMIT_MS) ?? choices[0] ?? own;
  return { channels, ms: ms(channels), exactMs };
}

// "layers 1–3 re-drawn" (cascading) or "layer 3 re-drawn" (independent).
function stepTitle(step, cascade) {
  if (!cascade || step.layer === 1) return `layer ${step.layer} re-drawn (${step.node})`;
  return `layers 1–${step.layer} re-drawn (down to ${step.node})`;
}

function similarityText(similarity) {
  return MEASURES.map(([key, name]) => `${name.split(' ')[0]} ${formatNumber(similarity[key])}`).join(' · ');
}

// The similarity of each step to the original (1 at step 0), one line per measure.
function similarityChart(steps, method, total) {
  const width = 420;
  const height = 220;
  const box = { left: 40, top: 14, width: width - 60, height: height - 64 };
  const series = MEASURES.map(([key, name]) => ({ key, name, values: [1, ...steps.map((s) => s.similarity[method][key])] }));
  const finite = series.flatMap((s) => s.values).filter(Number.isFinite);
  const range = [Math.min(0, Math.floor(Math.min(...finite) * 2) / 2), 1];
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, class: 'sanity-chart', role: 'img' });
  svg.setAttribute(
    'aria-label',
    `Similarity to the original map as layers are re-drawn: ${series.map((s) => `${s.name} ${s.values.map((v) => formatNumber(v)).join(', ')}`).join('; ')}`,
  );
  for (const v of niceTicks(range[0], range[1], 4)) {
    const y = box.top + ((range[1] - v) / (range[1] - range[0])) * box.height;
    svg.append(
      svgElement('line', { x1: box.left, y1: y, x2: box.left + box.width, y2: y, class: 'grid' }),
      svgElement('text', { x: box.left - 5, y: y + 4, 'text-anchor': 'end' }, String(v).replace('-', '−')),
    );
  }
  for (let i = 0; i <= total; ++i)
    svg.append(svgElement('text', { x: box.left + (i / total) * box.width, y: box.top + box.height + 14, 'text-anchor': 'middle' }, String(i)));
  svg.append(
    svgElement('rect', { x: box.left, y: box.top, width: box.width, height: box.height, class: 'frame' }),
    svgElement('text', { x: box.left + box.width / 2, y: box.top + box.height + 30, 'text-anchor': 'middle' }, 'layers re-drawn, from the output'),
  );
  series.forEach((s, index) => {
    const points = s.values.map((v, i) => [i / total, v]).filter(([, v]) => Number.isFinite(v));
    svg.append(
      svgElement('polyline', {
        points: curvePoints(points.map(([f]) => f), points.map(([, v]) => v), box, range),
        class: `series series-${index}`,
        'data-measure': s.key,
      }),
      svgElement('text', { x: box.left + 210 * index, y: height - 6, class: `legend series-${index}` }, `● ${s.name}`),
    );
  });
  return svg;
}

export class SanityView {
  #options;
  #run = null; // {request, base, classIndex, labels, model, stem}
  #id = null; // the worker request running
  #stages = [];
  #json = null;

  // root: an empty <section>; options: {core(), client(), display() → {colormap, opacity},
  // displayInputs: the controls that change the display}.
  constructor(root, options) {
    this.#options = options;
    const field = (label, control) => element('label', {}, `${label} `, control);
    this.method = element('select', { id: 'sanity-method' });
    this.mode = element(
      'select',
      { id: 'sanity-mode' },
      element('option', { value: 'cascade', textContent: 'cascading: one more layer at each step' }),
      element('option', { value: 'independent', textContent: 'independent: one layer at a time' }),
    );
    this.steps = element('input', { id: 'sanity-steps', type: 'number', min: 1, step: 1 });
    this.button = element('button', { id: 'sanity-run', type: 'button', disabled: true, textContent: 'Re-draw the layers and explain' });
    this.button.addEventListener('click', () => this.#start());
    this.bar = element('progress', { id: 'sanity-progress', max: 1, value: 0 });
    this.bar.setAttribute('aria-label', 'Progress of the sanity checks');
    this.text = element('span', { id: 'sanity-text', className: 'progress-text' });
    this.cancelButton = element('button', { id: 'sanity-cancel', type: 'button', textContent: 'Cancel', disabled: true });
    this.cancelButton.addEventListener('click', () => {
      this.#stop();
      this.status.textContent = 'Cancelled.';
    });
    this.downloadButton = element('button', { id: 'sanity-json', type: 'button', disabled: true, textContent: 'Download sanity JSON' });
    this.downloadButton.addEventListener('click', () => download(JSON.stringify(this.#json, null, 2), `${this.#run.stem}-sanity.json`, 'application/json'));
    this.status = element('p', { id: 'sanity-status', className: 'hint' });
    this.status.setAttribute('role', 'status');
    this.panels = element('div', { id: 'sanity-panels', className: 'panels sanity-panels' });
    this.chart = element('div', { id: 'sanity-chart', className: 'sanity-chart-box' });
    this.summary = element('p', { id: 'sanity-summary', className: 'sanity-summary' });
    root.setAttribute('aria-labelledby', 'sanity-title');
    root.replaceChildren(
      element('h2', { id: 'sanity-title', textContent: 'Is the map about the model?' }),
      element(
        'p',
        { className: 'hint' },
        'The model’s layers are re-drawn at random from the output down and the same class is explained again each time. ' +
          'If the maps dissolve and the similarity to the original falls towards 0, the map shows what the model learned; ' +
          'if they stay alike, it shows the image (its edges and textures) more than the model.',
      ),
      element(
        'p',
        { className: 'hint' },
        'Beside the original, the map of a random other class on the unchanged model: ' +
          'if it looks like the original, the map does not tell the classes apart.',
      ),
      element('div', { className: 'sanity-controls' }, field('Method', this.method), field('Randomise', this.mode), field('Layers', this.steps), this.button),
      element('div', { className: 'run-bar' }, this.bar, this.text, this.cancelButton),
      this.status,
      this.panels,
      this.chart,
      this.summary,
      element('div', { className: 'contrast-actions' }, this.downloadButton),
    );
    for (const input of options.displayInputs ?? []) input.addEventListener('input', () => this.#draw());
    this.clear('The checks can run once a run has finished.');
  }

  // A run started or failed: what was shown belonged to the previous one.
  clear(message) {
    this.#stop();
    this.#run = null;
    this.button.disabled = true;
    this.status.textContent = message;
    this.#reset();
  }

  // A run finished. run: {request (the explain request), base (the image maps are drawn on),
  // classIndex, labels, model (the worker's model reply), stem}.
  showRun(run) {
    this.clear('');
    this.#run = run;
    const count = run.model.randomisableLayers.length;
    this.method.replaceChildren(...run.request.methods.map((m) => element('option', { value: m, textContent: methodTitle(m) })));
    this.steps.max = String(Math.max(1, count));
    this.steps.value = String(Math.max(1, count));
    this.status.textContent = count
      ? `${count} layer${count === 1 ? '' : 's'} with weights can be re-drawn, the nearest the output first.`
      : 'This model has no layer with weights to re-draw (no Conv, Gemm or MatMul), so it cannot be checked this way.';
    this.button.disabled = count === 0;
  }

  #reset() {
    this.#stages = [];
    this.#json = null;
    this.downloadButton.disabled = true;
    this.bar.value = 0;
    this.text.textContent = '';
    this.panels.replaceChildren();
    this.chart.replaceChildren();
    this.summary.textContent = '';
    delete this.panels.dataset.result;
  }

  #stop() {
    if (this.#id !== null) this.#options.client().cancel(this.#id);
    this.#id = null;
    this.cancelButton.disabled = true;
    if (this.#run) this.button.disabled = false;
  }

  // The request of the checks, or null with the reason shown when the form is not valid.
  #request() {
    const { request, model } = this.#run;
    const count = model.randomisableLayers.length;
    const steps = Number(this.steps.value);
    if (!Number.isInteger(steps) || steps < 1 || steps > count) {
      this.status.textContent = `Layers must be a whole number from 1 to ${count}, not “${this.steps.value}”.`;
      return null;
    }
    const method = this.method.value;
    const layerChannels = (model.layers.find((l) => l.name === request.layer) ?? model.layers.at(-1)).shape[1];
    const budget = sanityChannels(this.#options.core(), { method, options: request.options, layerChannels, steps }, model.msPerPass);
    const fast = budget.channels !== (request.options.channels ?? 0);
    this.status.textContent = fast
      ? `Fast mode: ${budget.channels} channels scored, about ${formatDuration(budget.ms)} (the checks as explained would take about ${formatDuration(budget.exactMs)}).`
      : `Estimated time: about ${formatDuration(budget.ms)}.`;
    return {
      ...request,
      methods: [method],
      options: { ...request.options, channels: budget.channels },
      classIndex: this.#run.classIndex,
      seed: request.options.seed,
      cascade: this.mode.value === 'cascade',
      steps,
    };
  }

  #start() {
    this.#stop();
    this.#reset();
    const payload = this.#request();
    if (!payload) return;
    const started = performance.now();
    const { id, done } = this.#options.client().request('sanity', payload, {
      handlers: {
        progress: (m) => this.#id === id && this.#progress(m, performance.now() - started),
        stage: (m) => this.#id === id && this.#addStage(m, payload),
      },
    });
    this.#id = id;
    this.button.disabled = true;
    this.cancelButton.disabled = false;
    this.text.textContent = 'Starting…';
    done
      .then((reply) => {
        if (this.#id !== id || reply.type !== 'result') return;
        this.#json = reply.json;
        this.panels.dataset.result = JSON.stringify(reply.json);
        this.bar.value = 1;
        this.text.textContent = `${reply.forwardPasses} forward passes in ${formatDuration(reply.timings.totalMs)}`;
        this.downloadButton.disabled = false;
      })
      .catch((error) => {
        if (this.#id === id) this.status.textContent = readableError(error);
      })
      .finally(() => {
        if (this.#id === id) this.#stop();
      });
  }

  #progress({ run, runs, done, total, elapsedMs }, ms) {
    const fraction = (run + (total ? done / total : 0)) / runs;
    this.bar.value = fraction;
    const left = fraction > 0 ? (ms * (1 - fraction)) / fraction : NaN;
    this.text.textContent = `explanation ${run + 1} of ${runs} · ${progressText({ done, total, elapsedMs })}${
      fraction > 0 && fraction < 1 ? ` · about ${formatDuration(left)} left in all` : ''
    }`;
  }

  #addStage(stage, request) {
    this.#stages.push({ ...stage, cascade: request.cascade, method: request.methods[0], total: request.steps });
    this.#draw();
  }

  #label(index) {
    return displayLabel(this.#run.labels, index);
  }

  #draw() {
    const core = this.#options.core();
    if (!this.#run || !core || this.#stages.length === 0) return;
    const { colormap, opacity } = this.#options.display();
    const { method, cascade, total } = this.#stages[0];
    const figure = (stage, i, caption) => {
      const image = overlayImage(core, this.#run.base, stage.partials[0], colormap, opacity);
      const canvas = element('canvas', { id: `sanity-map-${i}`, width: image.width, height: image.height });
      canvas.getContext('2d').putImageData(new ImageData(core.imageRgba(image), image.width, image.height), 0, 0);
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `${methodTitle(method)} heat map: ${caption}`);
      const fig = element('figure', { className: 'panel' }, canvas, element('figcaption', { textContent: caption }));
      fig.dataset.kind = stage.kind;
      return fig;
    };
    this.panels.replaceChildren(
      ...this.#stages.map((stage, i) => {
        const label = this.#label(stage.classIndex);
        if (stage.kind === 'original') return figure(stage, i, `${methodTitle(method)} · ${label} · the model as trained`);
        const similarity = similarityText(stage.similarity[method]);
        if (stage.kind === 'random-logit') return figure(stage, i, `Random other class: ${label} · ${similarity}`);
        return figure(stage, i, `${stepTitle(stage, cascade)} · ${similarity}`);
      }),
    );
    const steps = this.#stages.filter((s) => s.kind === 'layer');
    if (steps.length === 0) return;
    this.chart.replaceChildren(similarityChart(steps, method, total));
    const last = steps.at(-1);
    const randomLogit = this.#stages.find((s) => s.kind === 'random-logit');
    const what = cascade ? `${last.layer} layer${last.layer === 1 ? '' : 's'} re-drawn` : `layer ${last.layer} re-drawn alone`;
    this.summary.textContent =
      `With ${what}: ${similarityText(last.similarity[method])} to the original (1 = the same map, 0 = unrelated). ` +
      `The random other class: ${similarityText(randomLogit.similarity[method])}.`;
  }
}
