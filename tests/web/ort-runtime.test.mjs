import assert from 'node:assert/strict';
import { test } from 'node:test';
import { threadCount } from '../../web/js/ort-runtime.js';

test('?threads= is clamped to the cores of the machine', () => {
  assert.equal(threadCount(64, 2), 2);
  assert.equal(threadCount(2, 16), 2);
  assert.equal(threadCount(0, 2), 2);
  assert.equal(threadCount(0, 16), 4);
});
