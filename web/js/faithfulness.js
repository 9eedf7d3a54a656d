// The "Faithfulness" panel: after each map, the deletion and insertion curves of the map (one per
// method in compare mode), their areas, Average Drop and Increase in Confidence for this image,
// each with one sentence on what good looks like, and on request ROAD's MoRF and LeRF areas. The
// metrics run in the worker (a 'metrics' request, faithfulness-run.js, road-run.js) with their own
// progress and Cancel, and can be switched off.
import { progressText } from './progress.js';
import { element, svgElement } from './views/dom.js';

export const METRICS_OPTIONS = { steps: 20, baseline: 'zeros', score: 'softmax' };
// The CLI's `explain --road` defaults; the seed is the run's, as the CLI's.
export const ROAD_OPTIONS = { percentages: '10,20,30,40,50,60,70,80,90', score: 'softmax' };
const COLOURS = { scorecam: '#1f77b4', sscam: '#d62728', iscam: '#2ca02c' };
const SVG = 'http://www.w3.org/2000/svg';

export const EXPLANATIONS = [
  ['Deletion', 'the class probability as the pixels the map ranks highest are blanked (zero after preprocessing: for most models the mean colour), one twentieth at a time: a faithful map makes it fall fast, so a lower area under the curve (AUC) is better.'],
  ['Insertion', 'the probability as those pixels are put back into a blank image: a faithful map makes it rise fast, so a higher AUC is better.'],
  ['Average Drop', 'how much of the probability is lost when the image is dimmed by the map (image × map): lower is better, 0 % means nothing lost.'],
  ['Increase in Confidence', 'whether the image dimmed by the map is classified with more confidence than the whole image: “yes” is good; over many images, a higher share is better.'],
];
const ROAD_EXPLANATION = ['ROAD', 'the probability as 10 %, 20 %, … 90 % of the pixels are removed and filled in from their neighbours (so the image stays natural), the most relevant first (MoRF: a lower area is better) or the least relevant first (LeRF: a higher area is better).'];

// "x,y x,y …" of a curve in a plot box {left, top, width, height} over y ∈ [lo, hi].
export function curvePoints(fractions, values, box, [lo, hi]) {
  return fractions
    .map((f, i) => {
      const x = box.left + f * box.width;
      const y = box.top + ((hi - values[i]) / (hi - lo)) * box.height;
      return `${+x.toFixed(2)},${+y.toFixed(2)}`;
    })
    .join(' ');
}

// [0, 1] for probabilities; logits widen it to whole numbers around every value.
export function scoreRange(curves) {
  let lo = 0;
  let hi = 1;
  for (const c of curves)
    for (const v of c) {
      lo = Math.min(lo, Math.floor(v));
      hi = Math.max(hi, Math.ceil(v));
    }
  return [lo, hi];
}

export function formatMetric(value, digits) {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

// The run's JSON text with each result's `metrics` (the CLI's `explain --metrics` object) added,
// and its `road` (`explain --road`'s) where measured: one result, or {results: [...]} in compare
// mode. metrics: [{method, json, road: {json} (optional)}].
export function jsonWithMetrics(text, metrics) {
  const json = JSON.parse(text);
  const byMethod = new Map(metrics.map((m) => [m.method, m]));
  for (const result of json.results ?? [json]) {
    const m = byMethod.get(result.method);
    if (!m) continue;
    result.metrics = m.json;
    if (m.road) result.road = m.road.json;
  }
  return JSON.stringify(json);
}

// One plot: deletion or insertion curves of every method, fraction 0..1 across.
function plot(title, key, metrics, titleOf) {
  const width = 320;
  const height = 200;
  const box = { left: 40, top: 22, width: width - 52, height: height - 60 };
  const range = scoreRange(metrics.map((m) => m[key]));
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, class: 'faithfulness-plot', role: 'img' });
  const aucKey = key === 'deletion' ? 'deletionAuc' : 'insertionAuc';
  svg.setAttribute(
    'aria-label',
    `${title}: ${metrics.map((m) => `${titleOf(m.method)} area ${formatMetric(m[aucKey], 3)}`).join(', ')}`,
  );
  svg.append(svgElement('text', { x: box.left, y: 14, class: 'plot-title' }, title));
  for (let i = 0; i <= 4; ++i) {
    const x = box.left + (i / 4) * box.width;
    const v = range[0] + ((range[1] - range[0]) * i) / 4;
    const y = box.top + ((range[1] - v) / (range[1] - range[0])) * box.height;
    svg.append(
      svgElement('line', { x1: x, y1: box.top, x2: x, y2: box.top + box.height, class: 'grid' }),
      svgElement('line', { x1: box.left, y1: y, x2: box.left + box.width, y2: y, class: 'grid' }),
      svgElement('text', { x, y: box.top + box.height + 13, 'text-anchor': 'middle' }, String(i / 4)),
      svgElement('text', { x: box.left - 5, y: y + 4, 'text-anchor': 'end' }, String(+v.toFixed(2))),
    );
  }
  svg.append(
    svgElement('rect', { x: box.left, y: box.top, width: box.width, height: box.height, class: 'frame' }),
    svgElement(
      'text',
      { x: box.left + box.width / 2, y: height - 6, 'text-anchor': 'middle' },
      `fraction of pixels ${key === 'deletion' ? 'deleted' : 'inserted'}`,
    ),
  );
  for (const m of metrics)
    svg.append(
      svgElement('polyline', {
        points: curvePoints(m.fractions, m[key], box, range),
        fill: 'none',
        stroke: COLOURS[m.method] ?? '#444',
        'stroke-width': 2,
        'data-method': m.method,
      }),
    );
  return svg;
}

function table(metrics, titleOf) {
  const road = metrics.some((m) => m.road);
  const head = element(
    'tr',
    {},
    ...['Method', 'Deletion AUC ↓', 'Insertion AUC ↑', 'Average Drop ↓', 'Increase ↑', ...(road ? ['ROAD MoRF AUC ↓', 'ROAD LeRF AUC ↑'] : [])].map(
      (t) => element('th', { scope: 'col', textContent: t }),
    ),
  );
  const rows = metrics.map((m) =>
    element(
      'tr',
      {},
      element(
        'th',
        { scope: 'row' },
        element('span', { className: 'swatch', style: `background:${COLOURS[m.method] ?? '#444'}` }),
        ` ${titleOf(m.method)}`,
      ),
      element('td', { textContent: formatMetric(m.deletionAuc, 3) }),
      element('td', { textContent: formatMetric(m.insertionAuc, 3) }),
      element('td', { textContent: `${formatMetric(100 * m.averageDrop, 1)} %` }),
      element('td', { textContent: m.increase === null ? '–' : m.increase ? 'yes' : 'no' }),
      ...(road ? [element('td', { textContent: formatMetric(m.road?.morfAuc, 3) }), element('td', { textContent: formatMetric(m.road?.lerfAuc, 3) })] : []),
    ),
  );
  rows.forEach((row, i) => row.setAttribute('data-method', metrics[i].method));
  return element('table', { className: 'faithfulness-table' }, element('thead', {}, head), element('tbody', {}, ...rows));
}

export class FaithfulnessPanel {
  #root;
  #titleOf;
  #toggle;
  #roadToggle;
  #bar;
  #text;
  #cancel;
  #body;
  #run = null; // {client, id}
  #metrics = null; // the last measurement's [{method, json, …}], until the next one starts

  // root: an empty element; titleOf(method) → "IS-CAM".
  constructor(root, titleOf) {
    this.#root = root;
    this.#titleOf = titleOf;
    this.#toggle = element('input', { type: 'checkbox', id: 'faithfulness-on', checked: true });
    this.#roadToggle = element('input', { type: 'checkbox', id: 'road-on' });
    this.#bar = element('progress', { max: 1, value: 0, id: 'faithfulness-progress' });
    this.#bar.setAttribute('aria-label', 'Progress of the faithfulness metrics');
    this.#text = element('span', { className: 'progress-text', id: 'faithfulness-text' });
    this.#cancel = element('button', { type: 'button', id: 'faithfulness-cancel', textContent: 'Cancel', disabled: true });
    this.#cancel.addEventListener('click', () => this.stop('Cancelled.'));
    this.#toggle.addEventListener('change', () => {
      if (!this.enabled) this.stop('Switched off: the metrics run after each map when this is on.');
    });
    this.#body = element('div', { className: 'faithfulness-body', id: 'faithfulness-body' });
    root.replaceChildren(
      element('h2', { id: 'faithfulness-title', textContent: 'Faithfulness' }),
      element('label', { className: 'toggle' }, this.#toggle, ' Measure how faithful the map is after each explanation'),
      element('label', { className: 'toggle' }, this.#roadToggle, ' With ROAD (18 more forward passes per map, and a linear system solved for each)'),
      element('div', { className: 'run-bar' }, this.#bar, this.#text, this.#cancel),
      this.#body,
    );
    root.setAttribute('aria-labelledby', 'faithfulness-title');
  }

  get enabled() {
    return this.#toggle.checked;
  }

  // The metrics of the map shown, once measured; null before (or when switched off).
  get metrics() {
    return this.#metrics;
  }

  // Measures the maps of a finished explanation. request: the explanation's {image, preprocess,
  // layer, batch}; result: the worker's {partials, classIndex}.
  measure(client, request, result) {
    this.stop('');
    if (!this.enabled) return;
    const maps = result.partials.filter((p) => p.map);
    const payload = {
      image: request.image,
      preprocess: request.preprocess,
      layer: request.layer,
      batch: request.batch,
      classIndex: result.classIndex,
      options: METRICS_OPTIONS,
      road: this.#roadToggle.checked ? { ...ROAD_OPTIONS, seed: request.options.seed } : null,
      maps: maps.map(({ method, height, width, map }) => ({ method, height, width, map })),
    };
    const started = performance.now();
    const { id, done } = client.request('metrics', payload, {
      handlers: {
        progress: (m) => this.#current(id) && this.#progress(m, performance.now() - started),
      },
    });
    this.#run = { client, id };
    this.#cancel.disabled = false;
    this.#progress({ done: 0, total: 0 }, 0);
    this.#text.textContent = 'Measuring…';
    this.#settle(id, done);
  }

  async #settle(id, done) {
    const outcome = await done.then(
      (reply) => ({ reply }),
      (error) => ({ error }),
    );
    if (!this.#current(id)) return;
    this.#finish();
    if (outcome.error)
      this.#body.replaceChildren(element('p', { className: 'note', textContent: `The metrics failed: ${outcome.error.message}` }));
    else if (outcome.reply.type === 'cancelled')
      this.#body.replaceChildren(element('p', { className: 'hint', textContent: 'Cancelled.' }));
    else this.#show(outcome.reply);
  }

  // Stops a running measurement (if any) and clears the panel, leaving `message`.
  stop(message) {
    if (this.#run) this.#run.client.cancel(this.#run.id);
    this.#finish();
    this.#bar.value = 0;
    this.#text.textContent = '';
    this.#metrics = null;
    delete this.#root.dataset.metrics;
    delete this.#root.dataset.road;
    this.#body.replaceChildren(...(message ? [element('p', { className: 'hint', textContent: message })] : []));
  }

  #current(id) {
    return this.#run?.id === id;
  }

  #finish() {
    this.#run = null;
    this.#cancel.disabled = true;
  }

  #progress({ done, total, phase }, elapsedMs) {
    this.#bar.value = total ? done / total : 0;
    if (total) this.#text.textContent = `${phase === 'road' ? 'ROAD: ' : ''}${progressText({ done, total, elapsedMs })}`;
  }

  #show({ metrics, forwardPasses, timings }) {
    this.#bar.value = 1;
    this.#text.textContent = `${forwardPasses} forward passes in ${Math.round(timings.totalMs)} ms`;
    const notes = element(
      'ul',
      { className: 'faithfulness-notes' },
      ...[...EXPLANATIONS, ...(metrics.some((m) => m.road) ? [ROAD_EXPLANATION] : [])].map(([name, text]) =>
        element('li', {}, element('strong', { textContent: `${name}: ` }), text),
      ),
    );
    this.#body.replaceChildren(
      element(
        'div',
        { className: 'faithfulness-plots' },
        plot('Deletion (lower is better)', 'deletion', metrics, this.#titleOf),
        plot('Insertion (higher is better)', 'insertion', metrics, this.#titleOf),
      ),
      table(metrics, this.#titleOf),
      notes,
    );
    this.#metrics = metrics;
    this.#root.dataset.metrics = JSON.stringify(metrics.map((m) => ({ method: m.method, ...m.json })));
    if (metrics.some((m) => m.road)) this.#root.dataset.road = JSON.stringify(metrics.map((m) => ({ method: m.method, ...m.road.json })));
  }
}
