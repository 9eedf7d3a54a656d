// Drawing: the image, the maps blended over it, and the colour legend.
// The colouring and blending are the core's (colorize + blend), as in the CLI's overlays.

const MIN_SHORT_SIDE = 224; // the CLI's rule: small images (28×28) are shown larger
const MAX_LONG_SIDE = 768; // and large photos smaller, to keep redraws instant

export function displaySize(width, height) {
  let scale = 1;
  if (Math.min(width, height) < MIN_SHORT_SIDE) scale = MIN_SHORT_SIDE / Math.min(width, height);
  if (Math.max(width, height) * scale > MAX_LONG_SIDE) scale = MAX_LONG_SIDE / Math.max(width, height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export function displayImage(core, image) {
  const { width, height } = displaySize(image.width, image.height);
  return width === image.width && height === image.height ? image : core.resizeImage(image, width, height);
}

// result: {map (h·w floats in [0, 1]), height, width}.
export function overlayImage(core, base, result, colormap, alpha) {
  return core.overlayImage(result.map, result.height, result.width, base, colormap, alpha);
}

export function drawImage(core, canvas, image) {
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d').putImageData(new ImageData(core.imageRgba(image), image.width, image.height), 0, 0);
}

export function drawLegend(core, canvas, colormap) {
  canvas.height = 1;
  canvas.getContext('2d').putImageData(new ImageData(core.colormapStrip(colormap, canvas.width), canvas.width, 1), 0, 0);
}
