// The pointing-game bindings (wasm/bind_localisation.cpp) that lesson mode uses, on a map whose
// bilinear upsampling is worked out by hand: [[1, 0], [0, 0]] at 2×2 becomes r_y · r_x at 4×4 with
// r = [1, 0.75, 0.25, 0] (half-pixel centres, clamped edges).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCore } from './load-core.mjs';

const MAP = new Float32Array([1, 0, 0, 0]);
const R = [1, 0.75, 0.25, 0];
const TOTAL = R.reduce((a, b) => a + b) ** 2;

// A 4×4 mask image, white where inside(x, y).
function mask(inside) {
  const rgb = new Uint8Array(4 * 4 * 3);
  for (let y = 0; y < 4; ++y) for (let x = 0; x < 4; ++x) if (inside(x, y)) rgb.fill(255, (y * 4 + x) * 3, (y * 4 + x + 1) * 3);
  return { width: 4, height: 4, rgb };
}

test("a mask: the peak's hit and the share of the map's energy inside", async () => {
  const core = await loadCore();
  const topLeft = core.localiseMask(MAP, 2, 2, mask((x, y) => x < 2 && y < 2));
  assert.deepEqual({ ...topLeft, energy: +topLeft.energy.toFixed(6) }, { defined: true, hit: true, energy: +((1.75 * 1.75) / TOTAL).toFixed(6) });
  const rightColumn = core.localiseMask(MAP, 2, 2, mask((x) => x === 3));
  assert.equal(rightColumn.hit, false);
  assert.equal(rightColumn.energy, 0);
  assert.equal(core.localiseMask(new Float32Array(4), 2, 2, mask(() => true)).defined, false, 'an empty map points nowhere');
  assert.throws(() => core.localiseMask(MAP, 2, 2, mask(() => false)), (e) => e.name === 'InputError' && /covers no position/.test(e.message));
  assert.throws(() => core.localiseMask(MAP, 3, 2, mask(() => true)), /does not match/);
});

test('a box in the pixels of the model input', async () => {
  const core = await loadCore();
  const corner = core.localiseBox(MAP, 2, 2, [0, 0, 1, 1], 4, 4);
  assert.equal(corner.hit, true);
  assert.ok(Math.abs(corner.energy - 1 / TOTAL) < 1e-6);
  const far = core.localiseBox(MAP, 2, 2, [2, 2, 4, 4], 4, 4);
  assert.equal(far.hit, false);
  assert.ok(Math.abs(far.energy - 0.0625 / TOTAL) < 1e-6);
  assert.throws(() => core.localiseBox(MAP, 2, 2, [0, 0, 5, 1], 4, 4), (e) => e.name === 'InputError');
  assert.throws(() => core.localiseBox(MAP, 2, 2, [0, 0, 1], 4, 4), /four numbers/);
});
