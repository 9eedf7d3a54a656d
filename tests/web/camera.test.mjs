// The camera's pieces that need no camera: a frame's pixels for the core, the refresh rate of
// Live mode, one sentence per getUserMedia failure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefreshRate, cameraErrorText, frameImage } from '../../web/js/camera.js';

test("a frame's RGBA becomes the core's RGB, alpha dropped", () => {
  const rgba = Uint8ClampedArray.from([1, 2, 3, 255, 4, 5, 6, 0]);
  assert.deepEqual(frameImage(rgba, 2, 1), { width: 2, height: 1, rgb: Uint8Array.from([1, 2, 3, 4, 5, 6]) });
  assert.throws(() => frameImage(rgba, 2, 2), /needs 16 RGBA bytes, not 8/);
});

test('the refresh rate: maps a second over the last few maps', () => {
  const rate = new RefreshRate(3);
  assert.equal(rate.perSecond, null);
  rate.tick(0);
  assert.equal(rate.perSecond, null);
  rate.tick(500);
  assert.equal(rate.perSecond, 2);
  for (const t of [1500, 2500, 3500]) rate.tick(t);
  assert.equal(rate.perSecond, 1, 'only the last three intervals count');
});

test('a refused or missing camera is one sentence', () => {
  for (const name of ['NotAllowedError', 'NotFoundError', 'NotReadableError', 'NoApi', 'TypeError']) {
    const text = cameraErrorText(Object.assign(new Error('x'), { name }));
    assert.match(text, /^[A-Z][^.]*(\([^)]*\))?[^.]*\.$/, `${name}: ${text}`);
  }
  assert.match(cameraErrorText({ name: 'NotAllowedError' }), /not allowed/);
  assert.match(cameraErrorText({ name: 'NotFoundError' }), /No camera was found/);
});
