import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkModelSize, fileKind, formatBytes, MAX_MODEL_BYTES, transferFiles } from '../../web/js/files.js';
import { onnxRuntimeMessage, readableError } from '../../web/js/errors.js';

test('files are told apart by name and type', () => {
  assert.equal(fileKind({ name: 'ResNet50.ONNX' }), 'model');
  assert.equal(fileKind({ name: 'labels.json' }), 'labels');
  assert.equal(fileKind({ name: 'synset.txt' }), 'labels');
  assert.equal(fileKind({ name: 'blob', type: 'application/json' }), 'labels');
  assert.equal(fileKind({ name: 'cat.jpg', type: 'image/jpeg' }), 'image');
  assert.equal(fileKind({ name: 'image.png' }), 'image');
});

test('a model too large for the browser is refused with a reason', () => {
  assert.doesNotThrow(() => checkModelSize(MAX_MODEL_BYTES));
  assert.throws(() => checkModelSize(MAX_MODEL_BYTES + 1), /too large for this page.*32-bit WebAssembly/);
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(5 * 1024 * 1024), '5.0 MiB');
});

test('dropped or pasted files come from files or from items', () => {
  const a = { name: 'a.png' };
  assert.deepEqual(transferFiles({ files: [a] }), [a]);
  const items = [{ kind: 'string' }, { kind: 'file', getAsFile: () => a }];
  assert.deepEqual(transferFiles({ files: [], items }), [a]);
  assert.deepEqual(transferFiles(null), []);
});

test('error messages: the core speaks for itself, memory failures get advice', () => {
  const input = Object.assign(new Error('cannot decode the image: corrupt'), { name: 'InputError' });
  assert.equal(readableError(input, "'x.png'"), "'x.png': cannot decode the image: corrupt");
  assert.match(readableError(new RangeError('Array buffer allocation failed')), /ran out of memory.*smaller model/);
  assert.equal(readableError('plain'), 'plain');
});

test("ONNX Runtime's messages lose their wrapper and source location", () => {
  const raw =
    'failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: /build/onnxruntime/core/providers/cpu/tensor/reshape_helper.h:93 ' +
    'onnxruntime::ReshapeHelper::ReshapeHelper(const TensorShape &, bool) input_shape_size == requested_shape_size was false. ' +
    'The input tensor cannot be reshaped to the requested shape. Input shape:{1,3,8,8}, requested shape:{7}';
  assert.equal(
    onnxRuntimeMessage(new Error(raw)),
    'The input tensor cannot be reshaped to the requested shape. Input shape:{1,3,8,8}, requested shape:{7}',
  );
  assert.equal(onnxRuntimeMessage(new Error('Unsupported model IR version')), 'Unsupported model IR version');
});
