// The teaching views' pure helpers (web/js/views/, web/js/explanations.js): Play's schedule, the
// steps drawn, the chart's range and ticks, number formats, the σ to try, the lesson's words,
// and the explanations' length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPLANATIONS } from '../../web/js/explanations.js';
import { formatNumber, formatSigned } from '../../web/js/views/dom.js';
import { lookSummary } from '../../web/js/views/lesson.js';
import { chartRange, niceTicks, pointX } from '../../web/js/views/score-chart.js';
import { contrastingSigma } from '../../web/js/views/sscam-noise.js';
import { buildUpSchedule, spreadSteps } from '../../web/js/views/steps.js';

test('Play walks every count of a small layer, and grows geometrically through a large one', () => {
  assert.deepEqual(buildUpSchedule(0), [0]);
  assert.deepEqual(buildUpSchedule(5), [1, 2, 3, 4, 5]);
  assert.deepEqual(buildUpSchedule(30, 30), Array.from({ length: 30 }, (_, i) => i + 1));
  for (const count of [31, 64, 512, 2048]) {
    const s = buildUpSchedule(count, 30);
    assert.ok(s.length <= 30, `${count}: ${s.length} frames`);
    assert.deepEqual(s.slice(0, 3), [1, 2, 3], 'the first channels one by one');
    assert.equal(s.at(-1), count, 'ends with the whole map');
    assert.ok(s.every((n, i) => i === 0 || n > s[i - 1]), 'strictly increasing');
  }
});

test('the steps drawn: all of a short path, else spread with the first and the last', () => {
  assert.deepEqual(spreadSteps(10, 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(spreadSteps(3, 10), [0, 1, 2]);
  assert.deepEqual(spreadSteps(35, 6), [0, 7, 14, 20, 27, 34]);
  assert.deepEqual(spreadSteps(100, 1), [0]);
});

test("the chart's range holds the baseline (0) and every score; ticks are round", () => {
  const [lo, hi] = chartRange([-12.9, 23.7]);
  assert.ok(lo < -12.9 && hi > 23.7);
  const [lo2, hi2] = chartRange([2, 3]);
  assert.ok(lo2 < 0 && hi2 > 3, 'the baseline stays in view');
  assert.deepEqual(chartRange([0, 0]), [-1, 1]);
  assert.deepEqual(niceTicks(-15, 26), [-10, 0, 10, 20]);
  assert.deepEqual(niceTicks(-0.12, 0.43), [0, 0.2, 0.4]);
  assert.deepEqual(niceTicks(-0.12, 0.43, 10), [-0.1, 0, 0.1, 0.2, 0.3, 0.4]);
  const box = { left: 10, width: 100 };
  assert.deepEqual([pointX(0, 5, box), pointX(4, 5, box), pointX(0, 1, box)], [10, 110, 60]);
});

test('scores with a sign and three significant digits', () => {
  assert.equal(formatSigned(2.2513), '+2.25');
  assert.equal(formatSigned(-0.045), '−0.0450');
  assert.equal(formatSigned(-123.45), '−123.5');
  assert.equal(formatSigned(NaN), '–');
  assert.equal(formatNumber(0.98512), '0.985');
  assert.equal(formatNumber(12.9), '12.9');
});

test('a σ clearly different from the run’s', () => {
  assert.equal(contrastingSigma(2), 0.5);
  assert.equal(contrastingSigma(0.5), 2);
  assert.equal(contrastingSigma(0), 1);
});

test("the lesson says where a map looks: the shape first, then the marker's corner", () => {
  const shape = (hit) => ({ defined: true, hit, energy: 0.2 });
  assert.equal(lookSummary(shape(true), shape(false)), 'at the shape');
  assert.equal(lookSummary(shape(false), shape(true)), 'at the marker’s corner, not at the shape');
  assert.equal(lookSummary(shape(false), shape(false)), 'neither at the shape nor at the corner');
  assert.match(lookSummary({ defined: false }, shape(false)), /empty/);
});

test('every explanation is a sentence or two, with the term it explains', () => {
  for (const [key, { term, text }] of Object.entries(EXPLANATIONS)) {
    assert.ok(term.length > 0, key);
    const sentences = text.split(/[.!?](?:\s|$)/).filter((s) => s.trim()).length;
    assert.ok(sentences >= 1 && sentences <= 2, `${key}: ${sentences} sentences`);
    assert.ok(text.length <= 260, `${key}: ${text.length} characters`);
  }
  for (const key of ['scorecam', 'sscam', 'iscam', 'iscamSamples', 'sscamSamples', 'sigma', 'seed', 'channels', 'layer', 'baseline', 'score', 'weight'])
    assert.ok(EXPLANATIONS[key], key);
});
