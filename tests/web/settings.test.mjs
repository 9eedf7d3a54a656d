import assert from 'node:assert/strict';
import { test } from 'node:test';
import { methodTitle, methodsFor, parseSettings } from '../../web/js/settings.js';

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
