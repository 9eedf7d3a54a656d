// Decoding the visitor's image with the core (the CLI's decoder, so the pixels match). A format
// the core cannot read but the browser can (WebP, AVIF, ...) is re-encoded as PNG first.

async function browserPng(bytes) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]));
  } catch {
    return null;
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d').drawImage(bitmap, 0, 0);
  bitmap.close();
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  return new Uint8Array(await blob.arrayBuffer());
}

// → {width, height, rgb}; throws the core's InputError when neither can decode it.
export async function decodeImage(core, bytes) {
  try {
    return core.decodeImage(bytes);
  } catch (error) {
    const png = await browserPng(bytes);
    if (!png) throw error;
    return core.decodeImage(png);
  }
}
