import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseLabels, displayLabel, labelOf, parseLabelsFile } from '../../web/js/labels.js';

test('labels files: a JSON array, a sidecar object, or one name a line', () => {
  assert.deepEqual(parseLabelsFile('["cat", "dog"]'), { labels: ['cat', 'dog'], preprocess: undefined });
  const sidecar = parseLabelsFile('{"labels": ["a", "b"], "preprocess": {"size": [28, 28]}}');
  assert.deepEqual(sidecar.labels, ['a', 'b']);
  assert.deepEqual(sidecar.preprocess, { size: [28, 28] });
  assert.deepEqual(parseLabelsFile('cat\r\ndog  \n\nbird\n').labels, ['cat', 'dog', 'bird']);
});

test('bad labels files say what is wrong', () => {
  assert.throws(() => parseLabelsFile('[1, 2'), /not valid JSON/);
  assert.throws(() => parseLabelsFile('[1, 2]'), /array of strings/);
  assert.throws(() => parseLabelsFile('{"names": []}'), /array of strings/);
  assert.throws(() => parseLabelsFile(' \n '), /empty/);
});

test("the visitor's labels win, then the sidecar's, then ImageNet's for 1000 classes", () => {
  const imagenet = Array.from({ length: 1000 }, (_, i) => `n${i}`);
  assert.deepEqual(chooseLabels({ classCount: 2, sidecar: ['s0', 's1'], user: ['u0', 'u1'], imagenet }), ['u0', 'u1']);
  assert.deepEqual(chooseLabels({ classCount: 2, sidecar: ['s0', 's1'], user: null, imagenet }), ['s0', 's1']);
  assert.equal(chooseLabels({ classCount: 1000, sidecar: undefined, user: null, imagenet }), imagenet);
  assert.deepEqual(chooseLabels({ classCount: 10, sidecar: undefined, user: null, imagenet }), []);
});

test('an unknown class has an empty label (as in the CLI) and a readable display name', () => {
  assert.equal(labelOf(['a'], 0), 'a');
  assert.equal(labelOf(['a'], 3), '');
  assert.equal(displayLabel([], 3), 'class 3');
});

test('a labels file of the wrong type (a binary file) is refused, not read as names', async () => {
  const { readFileSync } = await import('node:fs');
  const png = new TextDecoder().decode(readFileSync(new URL('../../web/samples/fashion-0-ankle-boot.png', import.meta.url)));
  assert.throws(() => parseLabelsFile(png), /not text/);
  assert.throws(() => parseLabelsFile('cat\u0000\ndog'), /not text/);
});
