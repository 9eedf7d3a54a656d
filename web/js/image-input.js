// Decoding the visitor's image with the core (the CLI's decoder, so the pixels match). Its header
// is measured first: a 12000×12000 photo decoded in WebAssembly on this thread froze the page for
// 25 s and took 4.4 GB, so a large image is downsized by the browser's own decoder before the core
// sees it, and an absurd one is refused. A format the core cannot read but the browser can (WebP,
// AVIF, ...) is decoded by the browser and re-encoded as PNG, within the same limits.

import { inputError } from './errors.js';

// The most pixels the page decodes at full size: 16 megapixels (a 4000×4000 photo).
export const PAGE_MAX_PIXELS = 16_000_000;
// Chromium's largest canvas, in pixels and along a side: beyond it not even the browser can
// downsize an image.
export const BROWSER_MAX_PIXELS = 16384 * 16384;
export const BROWSER_MAX_SIDE = 32767;

const NOT_CORE_FORMAT = /not a PNG, JPEG, BMP or GIF image/;

function sizeText(width, height) {
  return `${width}×${height} (${((width * height) / 1e6).toFixed(1)} megapixels)`;
}

// What to do with an image of width×height: {action: 'decode'}, {action: 'downsize', width,
// height, message} (the largest size within maxPixels, same aspect) or {action: 'refuse', message}.
export function imagePlan(width, height, maxPixels = PAGE_MAX_PIXELS) {
  const pixels = width * height;
  if (pixels > BROWSER_MAX_PIXELS || Math.max(width, height) > BROWSER_MAX_SIDE)
    return {
      action: 'refuse',
      message: `the image is ${sizeText(width, height)}, too large for a browser to open; the native iscam command reads it with --max-megapixels`,
    };
  if (pixels <= maxPixels) return { action: 'decode' };
  const scale = Math.sqrt(maxPixels / pixels);
  // A side that would round to 0 stays 1 pixel; the other then gives up the excess.
  let w = Math.max(1, Math.floor(width * scale));
  let h = Math.max(1, Math.floor(height * scale));
  if (w === 1) h = Math.min(h, maxPixels);
  if (h === 1) w = Math.min(w, maxPixels);
  return {
    action: 'downsize',
    width: w,
    height: h,
    message: `the image is ${sizeText(width, height)}: downsized to ${w}×${h} for this page (the native iscam command explains it at full size)`,
  };
}

// PNG bytes of a bitmap drawn at width×height.
async function pngOf(bitmap, width, height) {
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  context.imageSmoothingQuality = 'high';
  context.drawImage(bitmap, 0, 0, width, height);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}

function needsBrowser(what) {
  if (typeof createImageBitmap !== 'function' || typeof OffscreenCanvas !== 'function')
    throw inputError(`${what} needs a browser's image decoder`);
}

// A large image the core can read, downsized by the browser while it decodes.
async function downsized(bytes, plan) {
  needsBrowser('downsizing the image');
  const bitmap = await createImageBitmap(new Blob([bytes]), {
    resizeWidth: plan.width,
    resizeHeight: plan.height,
    resizeQuality: 'high',
  });
  try {
    return await pngOf(bitmap, plan.width, plan.height);
  } finally {
    bitmap.close();
  }
}

// A format only the browser reads: its size is known once decoded. → {png, plan} or null.
async function browserPng(bytes, maxPixels) {
  if (typeof createImageBitmap !== 'function') return null;
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]));
  } catch {
    return null;
  }
  try {
    const plan = imagePlan(bitmap.width, bitmap.height, maxPixels);
    if (plan.action === 'refuse') throw inputError(plan.message);
    const [width, height] = plan.action === 'downsize' ? [plan.width, plan.height] : [bitmap.width, bitmap.height];
    return { png: await pngOf(bitmap, width, height), plan };
  } finally {
    bitmap.close();
  }
}

// → {width, height, rgb}; throws an InputError when the image is refused or cannot be decoded.
// onNote(text) is told when the image was downsized.
export async function decodeImage(core, bytes, { onNote = () => {}, maxPixels = PAGE_MAX_PIXELS } = {}) {
  let info;
  try {
    info = core.measureImage(bytes);
  } catch (error) {
    if (!NOT_CORE_FORMAT.test(error.message)) throw error; // the core's format, but broken
    const fromBrowser = await browserPng(bytes, maxPixels);
    if (!fromBrowser) throw error;
    if (fromBrowser.plan.action === 'downsize') onNote(fromBrowser.plan.message);
    return core.decodeImage(fromBrowser.png);
  }
  const plan = imagePlan(info.width, info.height, maxPixels);
  if (plan.action === 'refuse') throw inputError(plan.message);
  if (plan.action === 'decode') return core.decodeImage(bytes);
  const png = await downsized(bytes, plan);
  onNote(plan.message);
  return core.decodeImage(png);
}
