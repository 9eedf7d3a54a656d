// A small SVG chart of one channel's pass scores f(·) − b (IS-CAM's steps, SS-CAM's samples), one
// or more series, each with its mean (the channel's score s_k) as a dashed line, and the baseline
// (f − b = 0) as a solid one.
import { formatSigned, svgElement } from './dom.js';

const MAX_DOTS = 200;

// [lo, hi] holding every value and 0 (the baseline), with a little room above and below.
export function chartRange(values) {
  let lo = 0;
  let hi = 0;
  for (const v of values)
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  if (lo === hi) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.08;
  return [lo - pad, hi + pad];
}

// Round tick values (1, 2 or 5 × 10^n apart) inside [lo, hi], about `count` of them.
export function niceTicks(lo, hi, count = 5) {
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toPrecision(12));
  return ticks;
}

// x of point i of n across a box (one point: the middle).
export function pointX(i, n, box) {
  return box.left + (n > 1 ? (i / (n - 1)) * box.width : box.width / 2);
}

// series: [{name, scores, mean, line (join the points)}], drawn in colours 0, 1, … (views.css),
// with a legend when there are several; xLabels: [first, last] under the axis; title: the
// chart's name for screen readers. More than MAX_DOTS points are drawn as a line only.
export function scoreChart({ series, xLabels, title }) {
  const width = 520;
  const legendHeight = series.length > 1 ? 20 * series.length + 6 : 0;
  const height = 230 + legendHeight;
  const box = { left: 52, top: 14, width: width - 52 - 104, height: height - legendHeight - 62 };
  const right = box.left + box.width;
  const range = chartRange(series.flatMap((s) => [...s.scores, s.mean]));
  const y = (v) => box.top + ((range[1] - v) / (range[1] - range[0])) * box.height;
  const svg = svgElement('svg', { viewBox: `0 0 ${width} ${height}`, class: 'score-chart', role: 'img' });
  const summary = series
    .map((s) => `${s.name}: ${s.scores.length} scores from ${formatSigned(Math.min(...s.scores))} to ${formatSigned(Math.max(...s.scores))}, mean ${formatSigned(s.mean)}`)
    .join('; ');
  svg.setAttribute('aria-label', `${title}. ${summary}.`);
  for (const t of niceTicks(range[0], range[1]))
    svg.append(
      svgElement('line', { x1: box.left, x2: right, y1: y(t), y2: y(t), class: 'grid' }),
      svgElement('text', { x: box.left - 6, y: y(t) + 5, 'text-anchor': 'end' }, String(t).replace('-', '−')),
    );
  // Right of the plot: "b" on the baseline and, for one series, "s_k" on its mean, kept apart.
  const labels = [{ text: 'b = 0', at: y(0), class: 'baseline-label' }];
  if (series.length === 1) labels.push({ text: `s_k ${formatSigned(series[0].mean)}`, at: y(series[0].mean), class: 'mean-label' });
  if (labels.length === 2 && Math.abs(labels[0].at - labels[1].at) < 16) {
    const [upper, lower] = labels[0].at < labels[1].at ? labels : [labels[1], labels[0]];
    const middle = (upper.at + lower.at) / 2;
    [upper.at, lower.at] = [middle - 8, middle + 8];
  }
  svg.append(
    svgElement('line', { x1: box.left, x2: right, y1: y(0), y2: y(0), class: 'baseline' }),
    ...labels.map((l) => svgElement('text', { x: right + 6, y: l.at + 5, class: l.class }, l.text)),
    svgElement('text', { x: box.left, y: box.top + box.height + 22, 'text-anchor': 'start' }, xLabels[0]),
    svgElement('text', { x: right, y: box.top + box.height + 22, 'text-anchor': 'end' }, xLabels[1]),
    svgElement('text', { x: box.left + box.width / 2, y: box.top + box.height + 42, 'text-anchor': 'middle' }, 'f − b of each pass; dashed: their mean, s_k'),
  );
  series.forEach((s, index) => {
    const points = s.scores.map((v, i) => [pointX(i, s.scores.length, box), y(v)]);
    const dots = points.length <= MAX_DOTS;
    const group = svgElement('g', { class: `series series-${index}` });
    group.append(svgElement('line', { x1: box.left, x2: right, y1: y(s.mean), y2: y(s.mean), class: 'mean' }));
    if (s.line || !dots) group.append(svgElement('polyline', { points: points.map((p) => p.map((v) => +v.toFixed(2)).join(',')).join(' ') }));
    if (dots) for (const [px, py] of points) group.append(svgElement('circle', { cx: +px.toFixed(2), cy: +py.toFixed(2), r: 4 }));
    if (series.length > 1)
      group.append(svgElement('text', { x: box.left, y: box.top + box.height + 66 + 20 * index, class: 'legend' }, `● ${s.name}: mean s_k ${formatSigned(s.mean)}`));
    svg.append(group);
  });
  return svg;
}
