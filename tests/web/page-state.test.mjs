import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findBundled, findSample } from '../../web/js/bundled-models.js';
import { linkNote, linkSubject, linkedClass, linkedSubject, preprocessChoice, settingsForm, threadsAddress } from '../../web/js/page-state.js';
import { readView, writeView } from '../../web/js/url-state.js';

const MANIFEST = {
  models: [
    { id: 'mobilenetv2-12-int8', file: 'mobilenetv2-12-int8.onnx', classes: 1000 },
    { id: 'shapes-cnn', file: 'shapes-cnn.onnx', classes: 6 },
  ],
  samples: [
    { file: 'coffee.png', title: 'Coffee', classes: 1000 },
    { file: 'shapes/images/0001-ring.png', title: 'Ring', models: ['shapes-cnn'] },
  ],
};
const FIND = { bundled: findBundled, sample: findSample };

// The page's state as it is after opening a bundled model and sample and picking a class.
const shown = (bundled, sample, classIndex) => ({ model: { bundled }, image: { sample }, classIndex });

test('the subject shown survives the address: model, sample and class come back', () => {
  const state = shown('shapes-cnn', 'shapes/images/0001-ring.png', 4);
  const { view, ignored } = readView(writeView(linkSubject(state)));
  assert.deepEqual(ignored, []);
  const { model, sample, problems } = linkedSubject(MANIFEST, view, FIND);
  assert.equal(model.id, 'shapes-cnn');
  assert.equal(sample.title, 'Ring');
  assert.deepEqual(problems, []);
  assert.deepEqual(linkedClass(view.classIndex, 6), { classIndex: 4, problem: null });
});

test('no subject before a model and an image are there; the visitor\'s image has no sample', () => {
  assert.equal(linkSubject({ model: null, image: { sample: 'coffee.png' }, classIndex: -1 }), null);
  assert.equal(linkSubject({ model: { bundled: 'shapes-cnn' }, image: null, classIndex: -1 }), null);
  assert.deepEqual(linkSubject(shown(null, undefined, -1)), { model: null, sample: null, classIndex: -1 });
});

test('an address naming what is not bundled opens the first model and says what it did not use', () => {
  const { model, sample, problems } = linkedSubject(MANIFEST, { model: 'gone', sample: 'nope.png' }, FIND);
  assert.equal(model.id, 'mobilenetv2-12-int8');
  assert.equal(sample, null);
  assert.deepEqual(problems, ['model=gone', 'sample=nope.png']);
  assert.equal(linkNote(problems), "Not used from this page's address: model=gone, sample=nope.png.");
  assert.equal(linkNote([]), '');
});

test('an empty address opens the first model with no sample and no problems', () => {
  assert.deepEqual(linkedSubject(MANIFEST, {}, FIND), { model: MANIFEST.models[0], sample: null, problems: [] });
  assert.deepEqual(linkedClass(undefined, 1000), { classIndex: undefined, problem: null });
});

test('a class the model does not have is left out and reported', () => {
  assert.deepEqual(linkedClass(6, 6), { classIndex: undefined, problem: 'class=6' });
  assert.deepEqual(linkedClass(0, 6), { classIndex: 0, problem: null });
});

test('the thread count goes into the address, 0 (the default) takes it out, other keys stay', () => {
  assert.equal(threadsAddress('https://x.test/iscam/?model=shapes-cnn#top', '2').href, 'https://x.test/iscam/?model=shapes-cnn&threads=2#top');
  assert.equal(threadsAddress('https://x.test/?threads=2&backend=wasm', '0').href, 'https://x.test/?backend=wasm');
});

test('the controls are read as the form holds them, sizes as numbers', () => {
  const elements = { method: { value: 'compare' }, iscamSamples: { value: '8' }, sscamSamples: { value: '4' }, sigma: { value: '0.5' }, seed: { value: '7' }, batch: { value: '16' } };
  const controls = { settings: { elements }, preset: { value: 'custom' }, mean: { value: '0.5' }, std: { value: '0.25' }, 'input-height': { value: '96' }, 'input-width': { value: '128' } };
  const $ = (id) => controls[id];
  assert.deepEqual(settingsForm($), { method: 'compare', iscamSamples: '8', sscamSamples: '4', sigma: '0.5', seed: '7', batch: '16' });
  assert.deepEqual(preprocessChoice($), { preset: 'custom', mean: '0.5', std: '0.25', height: 96, width: 128 });
});
