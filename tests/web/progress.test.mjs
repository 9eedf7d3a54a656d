import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, progressText, remainingMs } from '../../web/js/progress.js';

test('durations read naturally at every scale', () => {
  assert.equal(formatDuration(12.4), '12 ms');
  assert.equal(formatDuration(4200), '4.2 s');
  assert.equal(formatDuration(12_600), '13 s');
  assert.equal(formatDuration(125_000), '2 min 05 s');
  assert.equal(formatDuration(3_599_000), '59 min 59 s');
  assert.equal(formatDuration(96_000_000), '26 h 40 min');
  assert.equal(formatDuration(NaN), '–');
  assert.equal(formatDuration(-1), '–');
});

test('the time left follows the rate so far', () => {
  assert.equal(remainingMs(1000, 10, 40), 3000);
  assert.equal(remainingMs(1000, 40, 40), 0);
  assert.equal(remainingMs(1000, 0, 40), null);
});

test('the progress line counts passes and gives the ETA until done', () => {
  assert.equal(progressText({ done: 10, total: 40, elapsedMs: 1000 }), '10 of 40 forward passes · 1.0 s elapsed · about 3.0 s left');
  assert.equal(progressText({ done: 40, total: 40, elapsedMs: 2000 }), '40 of 40 forward passes · 2.0 s elapsed');
  assert.equal(progressText({ done: 0, total: 40, elapsedMs: 5 }), '0 of 40 forward passes · 5 ms elapsed');
});
