import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatProbability, topK } from '../../web/js/predictions.js';

test('top-k: highest logits first, softmax probabilities, labels', () => {
  const top = topK(new Float32Array([1, 3, 2, 3]), 3, ['a', 'b', 'c']);
  assert.deepEqual(top.map((t) => t.index), [1, 3, 2]);
  assert.deepEqual(top.map((t) => t.label), ['b', 'class 3', 'c']);
  const z = Math.exp(1) + 2 * Math.exp(3) + Math.exp(2);
  assert.ok(Math.abs(top[0].probability - Math.exp(3) / z) < 1e-12);
  assert.equal(topK([5, 1], 5, []).length, 2);
});

test('probabilities are shown as percentages', () => {
  assert.equal(formatProbability(0.9234), '92.3 %');
  assert.equal(formatProbability(0.00001), '< 0.1 %');
});
