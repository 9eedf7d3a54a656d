import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contentVersion, precacheFiles } from '../../scripts/web-offline.mjs';

const BUILT = [
  'index.html', 'style.css', 'views.css', 'favicon.svg', 'sw.js', 'precache.json',
  'js/app.js', 'js/views/teaching.js', 'core/iscam_core.mjs', 'core/iscam_core.wasm',
  'ort/ort.wasm.min.mjs', 'ort/ort-wasm-simd-threaded.mjs', 'ort/ort-wasm-simd-threaded.wasm',
  'ort/ort.webgpu.min.mjs', 'ort/ort-wasm-simd-threaded.asyncify.wasm',
  'models/fashion-cnn.onnx', 'models/fashion-cnn.json',
  'samples/index.json', 'samples/fashion-0-ankle-boot.png', 'samples/shapes/images/0000-star.png', 'samples/shapes/masks/0000-star.png',
];
const MANIFEST = { samples: [{ file: 'fashion-0-ankle-boot.png' }, { file: 'shapes/images/0000-star.png' }] };

test("the cache holds the page, its modules, the core, ONNX Runtime's wasm build, the models and the samples offered", () => {
  const files = precacheFiles(BUILT, MANIFEST);
  assert.deepEqual(files, [
    './', 'core/iscam_core.mjs', 'core/iscam_core.wasm', 'favicon.svg', 'index.html', 'js/app.js', 'js/views/teaching.js',
    'models/fashion-cnn.json', 'models/fashion-cnn.onnx',
    'ort/ort-wasm-simd-threaded.mjs', 'ort/ort-wasm-simd-threaded.wasm', 'ort/ort.wasm.min.mjs',
    'samples/fashion-0-ankle-boot.png', 'samples/index.json', 'samples/shapes/images/0000-star.png',
    'style.css', 'views.css',
  ]);
});

test('a sample the page offers but the build lacks is an error', () => {
  assert.throws(() => precacheFiles(BUILT, { samples: [{ file: 'gone.png' }] }), /samples\/gone\.png is missing/);
});

test('the version changes with any byte of any cached file', () => {
  const bytes = { './': '', 'a.js': 'one', 'b.css': 'two' };
  const files = Object.keys(bytes);
  const v = contentVersion(files, (f) => bytes[f]);
  assert.match(v, /^[0-9a-f]{16}$/);
  assert.equal(contentVersion(files, (f) => bytes[f]), v);
  assert.notEqual(contentVersion(files, (f) => (f === 'b.css' ? 'twO' : bytes[f])), v);
});
