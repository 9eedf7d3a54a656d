import assert from 'node:assert/strict';
import { test } from 'node:test';
import { comparePlaces, peakPoint, sharedMass } from '../../web/js/views/lesson-compare.js';

const grid = (height, width, cells) => {
  const map = new Float32Array(height * width);
  for (const [i, v] of cells) map[i] = v;
  return { map, height, width };
};

test('the peak is the centre of the first maximal cell, in input pixels', () => {
  assert.deepEqual(peakPoint([0, 3, 3, 1], 2, 2, 64, 64), { y: 16, x: 48 });
  assert.deepEqual(peakPoint([0, 0, 0, 0, 0, 9], 2, 3, 32, 48), { y: 24, x: 40 });
});

test('shared mass: 1 for the same map on another grid, 0 for maps that do not meet', () => {
  const coarse = grid(2, 2, [[0, 1]]);                            // the top-left quarter
  const fine = grid(4, 4, [[0, 2], [1, 2], [4, 2], [5, 2]]);     // the same quarter, 4 cells
  assert.ok(Math.abs(sharedMass(coarse, fine, 64, 64) - 1) < 1e-12);
  assert.equal(sharedMass(coarse, grid(2, 2, [[3, 5]]), 64, 64), 0);
  const half = grid(2, 2, [[0, 1], [1, 1]]);                     // the top half
  assert.ok(Math.abs(sharedMass(coarse, half, 64, 64) - 0.5) < 1e-12);
  assert.equal(sharedMass(coarse, grid(2, 2, [[0, -1]]), 64, 64), null, 'no positive mass');
});

test('the verdict follows the pointing games on the shape; the facts come from the maps', () => {
  const cnn = { title: 'CNN', ...grid(8, 8, [[27, 1]]), shape: { defined: true, hit: true } };
  const vit = { title: 'ViT', ...grid(4, 4, [[5, 1]]), shape: { defined: true, hit: true } };
  const both = comparePlaces(cnn, vit, 64, 64);
  assert.equal(both.apart, Math.hypot(28 - 24, 28 - 24));
  assert.match(both.text, /^Do they look at the same place\? Yes, on the shape: both maps peak on it; their peaks are 6 px apart and 25 % of the two maps coincide\.$/);
  const off = comparePlaces(cnn, { ...vit, shape: { defined: true, hit: false } }, 64, 64);
  assert.match(off.text, /No: only the CNN’s map peaks on the shape/);
  assert.match(comparePlaces({ ...cnn, shape: { defined: true, hit: false } }, { ...vit, shape: { defined: true, hit: false } }, 64, 64).text, /Neither map peaks on the shape/);
  assert.match(comparePlaces(cnn, { ...vit, shape: { defined: false, hit: false } }, 64, 64).text, /Cannot tell: a map is empty/);
});
