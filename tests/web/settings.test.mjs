import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { FAST_CHANNEL_CHOICES } from '../../web/js/run-budget.js';
import { METHODS, formBounds, methodTitle, methodsFor, parseSettings } from '../../web/js/settings.js';
import { REPO, loadCore } from './load-core.mjs';

const core = await loadCore();
const limits = core.limits();

const form = { method: 'iscam', iscamSamples: '10', sscamSamples: '35', sigma: '2', seed: '0', batch: '16' };

test('the form becomes methods, options and a batch size', () => {
  assert.deepEqual(parseSettings(form, limits), {
    methods: ['iscam'],
    options: { iscamSamples: 10, sscamSamples: 35, sscamSigma: 2, seed: 0 },
    batch: 16,
  });
  assert.deepEqual(methodsFor('compare'), ['scorecam', 'sscam', 'iscam']);
  assert.equal(methodTitle('sscam'), 'SS-CAM');
});

test('out-of-range parameters name themselves', () => {
  assert.throws(() => parseSettings({ ...form, iscamSamples: '0' }, limits), /IS-CAM N/);
  assert.throws(() => parseSettings({ ...form, sscamSamples: '2.5' }, limits), /SS-CAM N/);
  assert.throws(() => parseSettings({ ...form, sigma: '-1' }, limits), /σ/);
  assert.throws(() => parseSettings({ ...form, seed: 'x' }, limits), /seed/);
  assert.throws(() => parseSettings({ ...form, batch: '' }, limits), /batch size/);
  assert.throws(() => parseSettings({ ...form, method: 'gradcam' }, limits), /unknown method/);
});

// The page's list of methods (settings.js, the form's radio buttons) is the core's table
// (core/methods.h): a method added there fails here until the page lists it.
test("the page's methods are the core's, by name and title", async () => {
  const table = core.methods();
  const names = table.map((m) => m.name);
  assert.deepEqual(METHODS.map((m) => m.id).sort(), [...names].sort());
  for (const m of table) assert.equal(methodTitle(m.name), m.title);
  assert.deepEqual(methodsFor('compare'), names);
  const html = readFileSync(`${REPO}web/index.html`, 'utf8');
  const radios = [...html.matchAll(/name="method" value="([a-z]+)"/g)].map((m) => m[1]).filter((v) => v !== 'compare');
  assert.deepEqual(radios, METHODS.map((m) => m.id));
  assert.deepEqual(table.map((m) => m.bit), names.map((_, i) => 1 << i));
});

// The bounds are the core's (core/run_limits.h, ExplainOptions), not a copy in the page.
test("the form's bounds, starting values and fast-mode choices come from the core", () => {
  assert.deepEqual(limits, { maxBatch: 4096, maxSamples: 10000, maxMetricSteps: 100000 });
  assert.throws(() => parseSettings({ ...form, batch: '4097' }, limits), /batch size must be a whole number from 1 to 4096/);
  assert.throws(() => parseSettings({ ...form, iscamSamples: '10001' }, limits), /IS-CAM N must be a whole number from 1 to 10000/);
  assert.equal(parseSettings({ ...form, sscamSamples: '10000' }, limits).options.sscamSamples, 10000);
  const bounds = formBounds(core, FAST_CHANNEL_CHOICES);
  assert.deepEqual(bounds.inputs, {
    iscamSamples: { max: 10000, value: 10 },
    sscamSamples: { max: 10000, value: 35 },
    batch: { max: 4096 },
  });
  assert.deepEqual(bounds.channelOptions.map((o) => o.value), [0, 6, 8, 16, 32, 64, 128, 256]);
  assert.equal(bounds.channelOptions[1].text, '6 (fast)');
  const html = readFileSync(`${REPO}web/index.html`, 'utf8');
  assert.doesNotMatch(html, /4096|10000/);
  assert.doesNotMatch(html, /\(fast\)<\/option>/);
});
