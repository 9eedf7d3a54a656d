// The PNG download as a figure for slides: the image and the overlay(s) side by side, each titled,
// the colour bar (low to high) and a caption saying model, class, method and N, layer. The
// pixels of the image, the overlays and the colour bar are the core's; only the text and the
// layout are drawn here (canvas 2D).
import { methodTitle } from './settings.js';

export const FIGURE = {
  margin: 16,
  gap: 12,
  minWidth: 480,
  titleFont: 'bold 16px system-ui, sans-serif',
  titleHeight: 26,
  barHeight: 14,
  barLabelFont: '14px system-ui, sans-serif',
  barLabelHeight: 22,
  captionFont: '16px system-ui, sans-serif',
  captionLineHeight: 22,
  background: '#ffffff',
  text: '#1d1d1f',
};

// What a method's map depends on besides the model, image, class and layer.
export function methodParameters(method, options) {
  if (method === 'iscam') return `${methodTitle(method)} (N = ${options.iscamSamples})`;
  if (method === 'sscam') return `${methodTitle(method)} (N = ${options.sscamSamples}, σ = ${options.sscamSigma}, seed ${options.seed})`;
  return methodTitle(method);
}

// The caption's paragraphs. info: {model, classLabel, classIndex, methods, options, layer,
// layerShape (1×K×h×w), channels (fast mode: channels scored, 0 = all)}.
export function captionParagraphs({ model, classLabel, classIndex, methods, options, layer, layerShape, channels }) {
  const fast = channels > 0 ? ` · fast mode: ${channels} of ${layerShape[1]} channels scored` : '';
  return [
    `Model: ${model} · class: ${classLabel ? `${classLabel} (${classIndex})` : `class ${classIndex}`}`,
    `${methods.length > 1 ? 'Methods' : 'Method'}: ${methods.map((m) => methodParameters(m, options)).join('; ')}`,
    `Layer: ${layer} (${layerShape.slice(1).join('×')})${fast}`,
  ];
}

// Greedy word wrap to maxWidth (measure(text) → width); a word wider than a line is split.
export function wrapText(text, maxWidth, measure) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (measure(candidate) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    let rest = word;
    while (measure(rest) > maxWidth && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && measure(rest.slice(0, cut)) > maxWidth) --cut;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines;
}

// Where everything goes. panels: [{width, height}] (the same height); captionLines: the number of
// caption lines once wrapped (the caption's width is contentWidth, known before the wrap).
export function figureLayout(panels, captionLines = 0, f = FIGURE) {
  const panelsWidth = panels.reduce((sum, p) => sum + p.width, 0) + f.gap * (panels.length - 1);
  const panelHeight = Math.max(...panels.map((p) => p.height));
  const contentWidth = Math.max(panelsWidth, f.minWidth - 2 * f.margin);
  let x = f.margin + Math.floor((contentWidth - panelsWidth) / 2);
  const placed = panels.map((p) => {
    const at = { x, y: f.margin, width: p.width, height: p.height };
    x += p.width + f.gap;
    return at;
  });
  const titleY = f.margin + panelHeight;
  const bar = { x: f.margin, y: titleY + f.titleHeight + f.gap / 2, width: contentWidth, height: f.barHeight };
  const captionY = bar.y + bar.height + f.barLabelHeight + f.gap / 2;
  return {
    width: contentWidth + 2 * f.margin,
    height: captionY + captionLines * f.captionLineHeight + f.margin,
    contentWidth,
    panels: placed,
    titleY,
    bar,
    captionY,
  };
}

// PNG bytes (a Blob) of the figure. panels: [{title, image}] with images as the core gives them
// ({width, height, rgb}); colormap: the colour map's name; caption: paragraphs.
export async function figurePng(core, { panels, colormap, caption }, f = FIGURE) {
  const canvas = document.createElement('canvas');
  const g = canvas.getContext('2d');
  const contentWidth = figureLayout(panels.map((p) => p.image)).contentWidth;
  g.font = f.captionFont;
  const lines = caption.flatMap((p) => wrapText(p, contentWidth, (t) => g.measureText(t).width));
  const layout = figureLayout(panels.map((p) => p.image), lines.length, f);
  canvas.width = layout.width;
  canvas.height = layout.height;
  g.fillStyle = f.background;
  g.fillRect(0, 0, layout.width, layout.height);

  g.textBaseline = 'top';
  g.fillStyle = f.text;
  panels.forEach(({ title, image }, i) => {
    const at = layout.panels[i];
    g.putImageData(new ImageData(core.imageRgba(image), image.width, image.height), at.x, at.y);
    g.font = f.titleFont;
    g.fillText(wrapText(title, at.width, (t) => g.measureText(t).width)[0] ?? '', at.x, layout.titleY + 6);
  });

  const { bar } = layout;
  const strip = core.colormapStrip(colormap, bar.width);
  const rows = new Uint8ClampedArray(strip.length * bar.height);
  for (let row = 0; row < bar.height; ++row) rows.set(strip, row * strip.length);
  g.putImageData(new ImageData(rows, bar.width, bar.height), bar.x, bar.y);
  g.font = f.barLabelFont;
  g.fillText(`${colormap} colour map: low`, bar.x, bar.y + bar.height + 4);
  g.textAlign = 'right';
  g.fillText('high', bar.x + bar.width, bar.y + bar.height + 4);
  g.textAlign = 'left';

  g.font = f.captionFont;
  lines.forEach((line, i) => g.fillText(line, f.margin, layout.captionY + i * f.captionLineHeight));
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the browser could not write the PNG'))), 'image/png'),
  );
}
