// The sanity view's fast-mode choice (web/js/views/sanity.js): the checks are one explanation per
// re-drawn layer and two more, so they keep to the page's automatic-run limit by scoring fewer channels.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AUTO_RUN_LIMIT_MS, FAST_CHANNEL_CHOICES } from '../../web/js/run-budget.js';
import { sanityChannels } from '../../web/js/views/sanity.js';
import { loadCore } from './load-core.mjs';

const core = await loadCore();

const iscam = { iscamSamples: 10, sscamSamples: 35, sscamSigma: 2, seed: 0 };

test('exact when the checks fit the limit', () => {
  const r = sanityChannels(core, { method: 'scorecam', options: { ...iscam, channels: 0 }, layerChannels: 64, steps: 5 }, 1);
  assert.deepEqual(r, { channels: 0, ms: 7 * 65, exactMs: 7 * 65 });
});

test('the most channels that fit, else the fewest offered', () => {
  // 7 explanations of IS-CAM (N = 10) over 512 channels at 1 ms a pass: 7 · 5121 ms exact.
  const r = sanityChannels(core, { method: 'iscam', options: { ...iscam, channels: 0 }, layerChannels: 512, steps: 5 }, 1);
  assert.equal(r.exactMs, 7 * 5121);
  assert.equal(r.channels, 256);
  assert.ok(r.ms <= AUTO_RUN_LIMIT_MS);
  const slow = sanityChannels(core, { method: 'iscam', options: { ...iscam, channels: 0 }, layerChannels: 512, steps: 40 }, 20);
  assert.equal(slow.channels, FAST_CHANNEL_CHOICES[0]);
  assert.ok(slow.ms > AUTO_RUN_LIMIT_MS, 'nothing fits: the fewest channels, and the estimate says so');
});

test("the run's own fast mode stays when it fits, and is never widened", () => {
  const own = { method: 'iscam', options: { ...iscam, channels: 32 }, layerChannels: 512, steps: 5 };
  assert.equal(sanityChannels(core, own, 1).channels, 32);
  assert.equal(sanityChannels(core, own, 20).channels, 16);
});
