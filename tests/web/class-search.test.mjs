// The type-ahead over class names: part of a name finds the class, word starts first.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { matchClasses } from '../../web/js/class-search.js';
import { REPO } from './load-core.mjs';

const IMAGENET = JSON.parse(readFileSync(`${REPO}web/models/imagenet-labels.json`, 'utf8'));

test('part of a name finds the class, case aside', () => {
  assert.deepEqual(matchClasses(IMAGENET, 'TABB'), [{ index: 281, label: 'tabby' }]);
  const cats = matchClasses(IMAGENET, 'cat', 50).map((m) => m.label);
  assert.ok(cats.includes('tiger cat') && cats.includes('Persian cat') && cats.includes('Egyptian cat'), cats.join(', '));
  // A word that starts with the text comes before a name that merely holds it.
  const first = cats.indexOf('tiger cat');
  const inside = cats.findIndex((l) => !/(^|[\s-])cat/i.test(l));
  assert.ok(inside === -1 || first < inside, `word starts first: ${cats.join(', ')}`);
});

test('a number finds that class; nothing typed or nothing found gives no list; the limit holds', () => {
  assert.deepEqual(matchClasses(IMAGENET, '285')[0], { index: 285, label: 'Egyptian cat' });
  assert.deepEqual(matchClasses(IMAGENET, '   '), []);
  assert.deepEqual(matchClasses(IMAGENET, 'no such class'), []);
  assert.equal(matchClasses(IMAGENET, 'a').length, 8);
  assert.equal(matchClasses(IMAGENET, 'a', 3).length, 3);
});
