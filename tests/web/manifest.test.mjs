import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleManifest, sampleTitle } from '../../scripts/web-manifest.mjs';

test("samples of the default model's dataset come first, in natural order, with titles", () => {
  const m = sampleManifest(['LICENSE.md', 'coffee.png', 'fashion-18-bag.png', 'fashion-2-trouser.png', 'chelsea.png'], 'fashion');
  assert.deepEqual(m.samples.map((s) => s.file), ['fashion-2-trouser.png', 'fashion-18-bag.png', 'chelsea.png', 'coffee.png']);
  assert.equal(sampleTitle('fashion-0-ankle-boot.png', 'fashion'), 'Ankle boot');
  assert.equal(sampleTitle('my_cat.jpg', 'fashion'), 'My cat');
});
