import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIGURE, captionParagraphs, figureLayout, wrapText } from '../../web/js/figure-export.js';

const width = (t) => t.length * 10; // a monospaced font of 10 px a character

test('wrapText fills lines word by word and splits a word wider than a line', () => {
  assert.deepEqual(wrapText('Layer: /a/b · fast mode', 120, width), ['Layer: /a/b', '· fast mode']);
  assert.deepEqual(wrapText('/features/features.12/Concat_output_0', 100, width), ['/features/', 'features.1', '2/Concat_o', 'utput_0']);
  assert.deepEqual(wrapText('short', 100, width), ['short']);
});

test('the caption says model, class, method with N (σ and seed for SS-CAM), layer and fast mode', () => {
  const options = { iscamSamples: 10, sscamSamples: 35, sscamSigma: 2, seed: 0 };
  const common = { model: 'Shapes CNN', classLabel: 'star', classIndex: 3, options, layer: '/relu4/Relu_output_0', layerShape: [1, 64, 8, 8] };
  assert.deepEqual(captionParagraphs({ ...common, methods: ['iscam'], channels: 0 }), [
    'Model: Shapes CNN · class: star (3)',
    'Method: IS-CAM (N = 10)',
    'Layer: /relu4/Relu_output_0 (64×8×8)',
  ]);
  const compare = captionParagraphs({ ...common, classLabel: '', methods: ['scorecam', 'sscam', 'iscam'], channels: 16 });
  assert.equal(compare[0], 'Model: Shapes CNN · class: class 3');
  assert.equal(compare[1], 'Methods: Score-CAM; SS-CAM (N = 35, σ = 2, seed 0); IS-CAM (N = 10)');
  assert.equal(compare[2], 'Layer: /relu4/Relu_output_0 (64×8×8) · fast mode: 16 of 64 channels scored');
});

test('the layout: panels side by side, titles, the colour bar, then the caption lines', () => {
  const at = figureLayout([{ width: 224, height: 224 }, { width: 224, height: 224 }], 3);
  const { margin, gap, titleHeight, barHeight, barLabelHeight, captionLineHeight } = FIGURE;
  assert.equal(at.width, 2 * margin + 2 * 224 + gap);
  assert.deepEqual(at.panels.map((p) => [p.x, p.y]), [[margin, margin], [margin + 224 + gap, margin]]);
  assert.equal(at.bar.y, margin + 224 + titleHeight + gap / 2);
  assert.equal(at.bar.width, 2 * 224 + gap);
  assert.equal(at.captionY, at.bar.y + barHeight + barLabelHeight + gap / 2);
  assert.equal(at.height, at.captionY + 3 * captionLineHeight + margin);
  // A narrow image is centred in the figure's least width.
  const narrow = figureLayout([{ width: 100, height: 300 }], 1);
  assert.equal(narrow.width, FIGURE.minWidth);
  assert.equal(narrow.panels[0].x, margin + (FIGURE.minWidth - 2 * margin - 100) / 2);
});
