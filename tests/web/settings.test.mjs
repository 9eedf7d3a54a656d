import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { METHODS, methodTitle, methodsFor, parseSettings } from '../../web/js/settings.js';
import { REPO, loadCore } from './load-core.mjs';

const form = { method: 'iscam', iscamSamples: '10', sscamSamples: '35', sigma: '2', seed: '0', batch: '16' };

test('the form becomes methods, options and a batch size', () => {
  assert.deepEqual(parseSettings(form), {
    methods: ['iscam'],
    options: { iscamSamples: 10, sscamSamples: 35, sscamSigma: 2, seed: 0 },
    batch: 16,
  });
  assert.deepEqual(methodsFor('compare'), ['scorecam', 'sscam', 'iscam']);
  assert.equal(methodTitle('sscam'), 'SS-CAM');
});

test('out-of-range parameters name themselves', () => {
  assert.throws(() => parseSettings({ ...form, iscamSamples: '0' }), /IS-CAM N/);
  assert.throws(() => parseSettings({ ...form, sscamSamples: '2.5' }), /SS-CAM N/);
  assert.throws(() => parseSettings({ ...form, sigma: '-1' }), /σ/);
  assert.throws(() => parseSettings({ ...form, seed: 'x' }), /seed/);
  assert.throws(() => parseSettings({ ...form, batch: '' }), /batch size/);
  assert.throws(() => parseSettings({ ...form, method: 'gradcam' }), /unknown method/);
});

// The page's list of methods (settings.js, the form's radio buttons) is the core's table
// (core/methods.h): a method added there fails here until the page lists it.
test("the page's methods are the core's, by name and title", async () => {
  const table = (await loadCore()).methods();
  const names = table.map((m) => m.name);
  assert.deepEqual(METHODS.map((m) => m.id).sort(), [...names].sort());
  for (const m of table) assert.equal(methodTitle(m.name), m.title);
  assert.deepEqual(methodsFor('compare'), names);
  const html = readFileSync(`${REPO}web/index.html`, 'utf8');
  const radios = [...html.matchAll(/name="method" value="([a-z]+)"/g)].map((m) => m[1]).filter((v) => v !== 'compare');
  assert.deepEqual(radios, METHODS.map((m) => m.id));
  assert.deepEqual(table.map((m) => m.bit), names.map((_, i) => 1 << i));
});
