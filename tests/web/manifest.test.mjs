import assert from 'node:assert/strict';
import { test } from 'node:test';
import { samplesFor } from '../../web/js/bundled-models.js';
import { REPO } from './load-core.mjs';
import { bundledModels, pageManifest, sampleTitle } from '../../scripts/web-manifest.mjs';

const MODELS = [
  { id: 'mobilenetv2-12-int8', name: 'MobileNet v2 (ImageNet, int8)', classes: 1000 },
  { id: 'fashion-cnn', name: 'Fashion-MNIST CNN', classes: 10 },
  { id: 'shapes-cnn', name: 'Shapes CNN', classes: 6 },
  { id: 'shapes-shortcut-cnn', name: 'Shapes CNN, shortcut', classes: 6 },
  { id: 'shapes-vit', name: 'Shapes ViT', classes: 6 },
];
const FILES = [
  'LICENSE.md', 'astronaut.png', 'coffee.png', 'fashion-18-bag.png', 'fashion-2-trouser.png', 'chelsea.png',
  'shapes/images/0000-star.png', 'shapes/images/0001-ring.png', 'shapes/images/0006-triangle.png',
  'shapes/marked/0000-star.png', 'shapes/masks/0000-star.png', 'shapes/README.md',
];

test('each bundled model gets its samples, the default model first; photos go with 1000 classes', () => {
  const m = pageManifest(FILES, MODELS);
  assert.deepEqual(m.models.map((x) => [x.id, x.file, x.classes]), [
    ['mobilenetv2-12-int8', 'mobilenetv2-12-int8.onnx', 1000],
    ['fashion-cnn', 'fashion-cnn.onnx', 10],
    ['shapes-cnn', 'shapes-cnn.onnx', 6],
    ['shapes-shortcut-cnn', 'shapes-shortcut-cnn.onnx', 6],
    ['shapes-vit', 'shapes-vit.onnx', 6],
  ]);
  assert.deepEqual(m.samples.map((s) => s.file), [
    'chelsea.png', 'astronaut.png', 'coffee.png',
    'fashion-2-trouser.png', 'fashion-18-bag.png',
    'shapes/images/0000-star.png', 'shapes/images/0001-ring.png', 'shapes/marked/0000-star.png',
  ]);
  // The photo model opens on chelsea, which it gets right, though astronaut sorts first.
  assert.deepEqual(m.samples[0], { file: 'chelsea.png', title: 'Chelsea', models: ['mobilenetv2-12-int8'], classes: 1000 });
  const star = m.samples.find((s) => s.file === 'shapes/images/0000-star.png');
  assert.deepEqual(star, { file: star.file, title: 'Star', models: ['shapes-cnn', 'shapes-shortcut-cnn', 'shapes-vit'], twin: 'shapes/marked/0000-star.png' });
  const marked = m.samples.find((s) => s.file === 'shapes/marked/0000-star.png');
  assert.equal(marked.title, 'Star, with marker');
  assert.equal(marked.marked, true);
  assert.equal(marked.twin, 'shapes/images/0000-star.png');
  assert.equal(m.samples.find((s) => s.file === 'shapes/images/0001-ring.png').twin, undefined, 'no twin file, no twin');

  const files = (list) => list.map((s) => s.file);
  assert.deepEqual(files(samplesFor(m, { bundled: 'mobilenetv2-12-int8', classCount: 1000 })), ['chelsea.png', 'astronaut.png', 'coffee.png']);
  assert.deepEqual(files(samplesFor(m, { bundled: 'fashion-cnn', classCount: 10 })), ['fashion-2-trouser.png', 'fashion-18-bag.png']);
  assert.deepEqual(files(samplesFor(m, { bundled: 'shapes-shortcut-cnn', classCount: 6 })), files(samplesFor(m, { bundled: 'shapes-cnn' })));
  assert.deepEqual(files(samplesFor(m, { bundled: 'shapes-vit', classCount: 6 })), files(samplesFor(m, { bundled: 'shapes-cnn' })));
  assert.deepEqual(files(samplesFor(m, { bundled: null, classCount: 1000 })), ['chelsea.png', 'astronaut.png', 'coffee.png']);
  const classroom = pageManifest(FILES, MODELS.slice(1));
  assert.deepEqual(files(samplesFor(classroom, { bundled: null, classCount: 1000 })), ['astronaut.png', 'chelsea.png', 'coffee.png'], 'photos without the bundled ImageNet model too');
  assert.deepEqual(samplesFor(m, { bundled: null, classCount: 10 }), [], "no photos for another model of the visitor's");
});

test('titles', () => {
  assert.equal(sampleTitle('fashion-0-ankle-boot.png'), 'Ankle boot');
  assert.equal(sampleTitle('shapes/images/0003-cross.png'), 'Cross');
  assert.equal(sampleTitle('my_cat.jpg'), 'My cat');
});

test("the bundled models' names and class counts come from their sidecars", () => {
  assert.deepEqual(bundledModels(`${REPO}web/models`).map((m) => m.id), MODELS.map((m) => m.id));
  assert.deepEqual(bundledModels(`${REPO}web/models`).map((m) => m.classes), [1000, 10, 6, 6, 6]);
});
