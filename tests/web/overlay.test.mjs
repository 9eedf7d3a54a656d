import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayImage, displaySize, overlayImage } from '../../web/js/overlay.js';
import { loadCore } from './load-core.mjs';

test("small images are shown larger (the CLI's rule), large ones smaller", () => {
  assert.deepEqual(displaySize(28, 28), { width: 224, height: 224 });
  assert.deepEqual(displaySize(300, 200), { width: 336, height: 224 });
  assert.deepEqual(displaySize(451, 300), { width: 451, height: 300 });
  assert.deepEqual(displaySize(4000, 3000), { width: 768, height: 576 });
  assert.deepEqual(displaySize(2000, 100), { width: 768, height: 38 });
});

test('the overlay is the core blending a coloured map over the image', async () => {
  const core = await loadCore();
  const gray = { width: 4, height: 4, rgb: new Uint8Array(48).fill(100) };
  const shown = displayImage(core, gray);
  assert.deepEqual([shown.width, shown.height], [224, 224]);
  const map = { map: new Float32Array([0, 0.5, 0.5, 1]), height: 2, width: 2 };
  const over = overlayImage(core, gray, map, 'jet', 0.5);
  assert.deepEqual([over.width, over.height], [4, 4]);
  assert.notDeepEqual(over.rgb.slice(0, 3), over.rgb.slice(45, 48), 'low and high corners differ');
  assert.deepEqual(Array.from(overlayImage(core, gray, map, 'gray', 0).rgb), Array.from(gray.rgb), 'alpha 0 is the image');
  const strip = core.colormapStrip('jet', 2);
  assert.deepEqual(Array.from(strip), [0, 0, 128, 255, 128, 0, 0, 255]);
  assert.throws(() => overlayImage(core, gray, map, 'rainbow', 0.5), /unknown colour map/);
  assert.throws(() => overlayImage(core, gray, { ...map, height: 3 }, 'jet', 0.5), /does not match/);
});

test('PNG downloads are PNG files of the panels side by side', async () => {
  const core = await loadCore();
  const a = { width: 3, height: 2, rgb: new Uint8Array(18).fill(10) };
  const png = core.pngSideBySide([a, a]);
  assert.deepEqual(Array.from(png.slice(1, 4)), [0x50, 0x4e, 0x47]);
  const back = core.decodeImage(png);
  assert.deepEqual([back.width, back.height], [3 + 8 + 3, 2]);
});
