import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readView, writeView } from '../../web/js/url-state.js';

const VIEW = {
  model: 'shapes-cnn',
  sample: 'shapes/images/0002-triangle.png',
  layer: '/conv4/Conv_output_0',
  classIndex: 1,
  method: 'sscam',
  iscamSamples: 10,
  sscamSamples: 4,
  sigma: 0.5,
  seed: 3,
  channels: 0,
  colormap: 'viridis',
  opacity: 0.7,
  threads: 1,
  backend: 'wasm',
  projector: true,
};

test('a view survives the round trip through the address', () => {
  const query = writeView(VIEW);
  assert.match(query, /^\?model=shapes-cnn&sample=shapes%2Fimages%2F0002-triangle\.png&layer=%2Fconv4%2FConv_output_0&class=1&method=sscam/);
  assert.deepEqual(readView(query), { view: VIEW, ignored: [] });
});

test('left out: undefined fields, false, the empty view; other keys of the address stay', () => {
  assert.equal(writeView({ method: 'iscam', classIndex: undefined, projector: false }), '?method=iscam');
  assert.equal(writeView({}), '');
  assert.equal(writeView({ seed: 2 }, '?seed=1&debug=yes'), '?seed=2&debug=yes');
});

test('values out of range or of the wrong kind are ignored and named', () => {
  const { view, ignored } = readView('?method=gradcam&iscam-n=0&sigma=abc&opacity=1.5&seed=-1&class=2.5&projector=maybe&layer=&seed=4');
  assert.deepEqual(view, {});
  assert.deepEqual(ignored, ['layer=', 'class=2.5', 'method=gradcam', 'iscam-n=0', 'sigma=abc', 'seed=-1', 'opacity=1.5', 'projector=maybe']);
  assert.deepEqual(readView('?projector=0&channels=16').view, { projector: false, channels: 16 });
});
