// Small DOM and drawing helpers shared by the teaching views. Colours and pixels come from the
// core (imageRgba, overlayImage), as for the page's own maps.

const SVG = 'http://www.w3.org/2000/svg';

export function element(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

export function svgElement(tag, attributes = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  e.append(...children);
  return e;
}

// A canvas showing an image ({width, height, rgb}), described for screen readers.
export function imageCanvas(core, image, label, className = '') {
  const canvas = element('canvas', { className, width: image.width, height: image.height });
  canvas.getContext('2d').putImageData(new ImageData(core.imageRgba(image), image.width, image.height), 0, 0);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  return canvas;
}

// An h×w map in [0, 1] coloured at its own resolution (one pixel per position; CSS enlarges it
// without smoothing, so the layer's coarse grid stays visible).
export function mapImage(core, map, height, width, colormap) {
  const blank = { width, height, rgb: new Uint8Array(width * height * 3) };
  return core.overlayImage(map, height, width, blank, colormap, 1);
}

// "+1.23", "−0.045", "12.3": scores and weights with a sign, three significant digits.
export function formatSigned(value) {
  if (!Number.isFinite(value)) return '–';
  return `${value < 0 ? '−' : '+'}${formatNumber(Math.abs(value))}`;
}

export function formatNumber(value) {
  if (!Number.isFinite(value)) return '–';
  const text = Math.abs(value) >= 100 ? Math.abs(value).toFixed(1) : Math.abs(value).toPrecision(3);
  return `${value < 0 ? '−' : ''}${text}`;
}
