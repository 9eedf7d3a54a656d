// The page's image input with the real WASM core: headers are measured without decoding, large
// images are planned for downsizing and absurd ones refused before any pixel is decoded, and the
// file size is checked before the file is read. (The browser's downsizing itself runs in
// tests/e2e/big-image.test.mjs.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { checkImageSize, MAX_IMAGE_BYTES } from '../../web/js/files.js';
import { BROWSER_MAX_PIXELS, decodeImage, imagePlan, PAGE_MAX_PIXELS } from '../../web/js/image-input.js';
import { pngFile } from '../png-file.mjs';
import { loadCore, REPO } from './load-core.mjs';

// A grey PNG of width×height whose IDAT holds only the first row: measurable, not decodable.
function pngHeader(width, height) {
  return pngFile({ width, height, colour: 0, raw: Buffer.alloc(width + 1) });
}

test('the core measures a header without decoding the pixels', async () => {
  const core = await loadCore();
  assert.deepEqual({ ...core.measureImage(pngHeader(12000, 12000)) }, { format: 'PNG', width: 12000, height: 12000, channels: 1 });
  const sample = core.measureImage(readFileSync(`${REPO}web/samples/chelsea.png`));
  assert.ok(sample.width > 200 && sample.channels === 3);
  assert.throws(() => core.measureImage(new TextEncoder().encode('hello')), { name: 'InputError', message: /not a PNG, JPEG, BMP or GIF/ });
  // The core's own budget stands behind the page's: 64 megapixels.
  assert.throws(() => core.decodeImage(pngHeader(9000, 9000)), { name: 'InputError', message: /81\.0 megapixels\), over the limit of 64\.0/ });
});

test('large images are downsized to the page budget, keeping their aspect; absurd ones refused', () => {
  assert.deepEqual(imagePlan(4000, 4000), { action: 'decode' });
  const big = imagePlan(12000, 12000);
  assert.equal(big.action, 'downsize');
  assert.deepEqual([big.width, big.height], [4000, 4000]);
  assert.match(big.message, /^the image is 12000×12000 \(144\.0 megapixels\): downsized to 4000×4000 for this page/);
  const strip = imagePlan(3, 30_000);
  assert.equal(strip.action, 'decode');
  const thin = imagePlan(600, 32_000, 1_000_000);
  assert.deepEqual([thin.width, thin.height], [136, 7302]);
  assert.ok(thin.width * thin.height <= 1_000_000);
  const line = imagePlan(20_000, 1, 1000);
  assert.deepEqual([line.width, line.height], [1000, 1]);
  assert.equal(imagePlan(1, 40_000).action, 'refuse'); // taller than a canvas can be
  const wide = imagePlan(30000, 2000);
  assert.ok(wide.width * wide.height <= PAGE_MAX_PIXELS && Math.abs(wide.width / wide.height - 15) < 0.02);
  const absurd = imagePlan(65535, 65535);
  assert.equal(absurd.action, 'refuse');
  assert.match(absurd.message, /65535×65535 \(4294\.8 megapixels\), too large for a browser/);
  assert.equal(imagePlan(16384, 16384).action, 'downsize');
  assert.ok(BROWSER_MAX_PIXELS === 16384 * 16384);
});

test('decodeImage refuses before decoding, decodes small images, and needs the browser only to downsize', async () => {
  const core = await loadCore();
  const chelsea = await decodeImage(core, readFileSync(`${REPO}web/samples/chelsea.png`));
  assert.ok(chelsea.width > 200 && chelsea.rgb.length === chelsea.width * chelsea.height * 3);
  await assert.rejects(decodeImage(core, pngHeader(30000, 30000)), { name: 'InputError', message: /30000×30000 \(900\.0 megapixels\), too large for a browser/ });
  // stb_image itself refuses a PNG header of over 2^30 bytes of pixels: said as such, not sent to the browser.
  await assert.rejects(decodeImage(core, pngHeader(65535, 65535)), { name: 'InputError', message: /^cannot decode the image \(PNG\): Image too large to decode$/ });
  // Node has no createImageBitmap: the downsizing path says what it lacks instead of decoding 144 MP here.
  await assert.rejects(decodeImage(core, pngHeader(12000, 12000)), { name: 'InputError', message: /needs a browser's image decoder/ });
  // A lower budget sends a small image down the same path.
  await assert.rejects(decodeImage(core, readFileSync(`${REPO}web/samples/chelsea.png`), { maxPixels: 1000 }), /needs a browser/);
});

test('image files over the page limit are refused before they are read', () => {
  assert.doesNotThrow(() => checkImageSize(MAX_IMAGE_BYTES));
  assert.throws(() => checkImageSize(MAX_IMAGE_BYTES + 1), /the image file is 256\.0 MiB, too large for this page/);
});
