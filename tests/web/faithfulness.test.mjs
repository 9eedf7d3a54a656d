// The faithfulness panel's drawing arithmetic (web/js/faithfulness.js): curve points in the plot
// box, the score range, number formatting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { curvePoints, EXPLANATIONS, formatMetric, jsonWithMetrics, METRICS_OPTIONS, ROAD_OPTIONS, scoreRange } from '../../web/js/faithfulness.js';

test('curve points: fraction across the box, score down from the top', () => {
  const box = { left: 40, top: 20, width: 200, height: 100 };
  assert.equal(curvePoints([0, 0.5, 1], [1, 0.25, 0], box, [0, 1]), '40,20 140,95 240,120');
  assert.equal(curvePoints([0, 1], [-2, 4], box, [-2, 4]), '40,120 240,20');
});

test('score range: [0, 1] for probabilities, whole numbers around logits', () => {
  assert.deepEqual(scoreRange([[0.2, 0.9], [0, 1]]), [0, 1]);
  assert.deepEqual(scoreRange([[12.9, 3.1], [-0.5, 2]]), [-1, 13]);
});

test('formatting and the defaults the CLI shares', () => {
  assert.equal(formatMetric(0.12345, 3), '0.123');
  assert.equal(formatMetric(Number.NaN, 3), '–');
  assert.deepEqual(METRICS_OPTIONS, { steps: 20, baseline: 'zeros', score: 'softmax' });
  assert.deepEqual(EXPLANATIONS.map(([name]) => name), ['Deletion', 'Insertion', 'Average Drop', 'Increase in Confidence']);
});

test("the run's JSON with the metrics: one result, or each of compare mode's by method", () => {
  const one = JSON.parse(jsonWithMetrics('{"method": "iscam", "map": [[0.5]]}', [{ method: 'iscam', json: { deletion_auc: 0.25 } }]));
  assert.deepEqual(one, { method: 'iscam', map: [[0.5]], metrics: { deletion_auc: 0.25 } });
  const text = JSON.stringify({ results: [{ method: 'scorecam' }, { method: 'sscam' }, { method: 'iscam' }] });
  const all = JSON.parse(jsonWithMetrics(text, [{ method: 'iscam', json: { a: 1 } }, { method: 'scorecam', json: { a: 2 } }]));
  assert.deepEqual(all.results, [{ method: 'scorecam', metrics: { a: 2 } }, { method: 'sscam' }, { method: 'iscam', metrics: { a: 1 } }]);
});

test("ROAD's object goes beside the metrics, where the CLI's explain --road puts it", () => {
  const one = JSON.parse(jsonWithMetrics('{"method": "iscam"}', [{ method: 'iscam', json: { a: 1 }, road: { json: { morf_auc: 0.3 } } }]));
  assert.deepEqual(one, { method: 'iscam', metrics: { a: 1 }, road: { morf_auc: 0.3 } });
  assert.deepEqual(ROAD_OPTIONS, { percentages: '10,20,30,40,50,60,70,80,90', score: 'softmax' });
});
