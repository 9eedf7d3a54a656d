// The camera through Chromium's fake capture device, fed a few frames of a sample photo
// (scripts/make_camera_y4m.py): a frame taken is explained; Live mode keeps explaining new
// frames, shows its refresh rate, and stops when the visitor stops it or leaves the tab.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { describe, test } from 'node:test';
import { OUTPUT, REPO, canvasStats, finishedRuns, pageSession, screenshot, waitForRun } from './harness.mjs';

const VIDEO = `${OUTPUT}/camera-chelsea.y4m`;
mkdirSync(OUTPUT, { recursive: true });
execFileSync('/usr/bin/python3', [`${REPO}scripts/make_camera_y4m.py`, `${REPO}web/samples/chelsea.png`, VIDEO]);

const liveMaps = (page) => page.$eval('#camera', (c) => Number(c.dataset.liveMaps ?? 0));

describe('the camera', { timeout: 170_000 }, () => {
  const session = pageSession({
    firstRun: true,
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${VIDEO}`],
  });

  test('Use camera takes a frame and explains it', async () => {
    const { page } = session;
    await page.click('#camera-toggle');
    await page.waitForFunction(() => document.getElementById('camera').dataset.camera === 'on');
    assert.ok(await page.locator('#camera-video').isVisible());
    const before = await finishedRuns(page);
    await page.click('#camera-snap');
    await waitForRun(page, before);
    assert.match(await page.getAttribute('#image-canvas', 'aria-label'), /a camera photo/);
    assert.deepEqual(await page.$eval('#image-canvas', (c) => [c.width, c.height]), [320, 240], "the camera's frame size");
    assert.match(await page.locator('#predictions [aria-pressed="true"] .label').textContent(), /^(tabby|tiger cat|Egyptian cat)$/, 'the fake camera films the cat');
    const method = await page.$eval('#settings', (f) => f.elements.method.value);
    assert.ok((await canvasStats(page, `map-${method}`)).std > 10, 'a map');
    assert.equal(await page.$eval('#samples', (s) => s.querySelector('[aria-pressed="true"]')), null, 'no sample is marked');
  });

  test('Live mode refreshes with its rate shown, and stops when stopped', async () => {
    const { page } = session;
    await page.click('#camera-live');
    assert.equal(await page.getAttribute('#camera-live', 'aria-pressed'), 'true');
    assert.equal(await page.$eval('#settings', (f) => f.elements.method.value), 'scorecam', 'fast Score-CAM to keep up');
    assert.equal(await page.inputValue('#channels'), '16');
    assert.equal(await page.inputValue('#channel-select'), 'variance', '17 passes a frame');
    await page.waitForFunction(() => Number(document.getElementById('camera').dataset.liveMaps) >= 3, null, { timeout: 90_000 });
    const rate = await page.locator('#camera-rate').textContent();
    assert.match(rate, /^Live: \d+\.\d maps a second\.$/);
    console.log(`live mode on the fake camera: ${rate}`);
    assert.match(await page.getAttribute('#image-canvas', 'aria-label'), /the camera \(live\)/);
    await screenshot(page, 'web-camera-live');
    await page.click('#camera-live');
    assert.equal(await page.getAttribute('#camera-live', 'aria-pressed'), 'false');
    const stopped = await liveMaps(page);
    const runs = await finishedRuns(page);
    await page.waitForTimeout(2000);
    assert.equal(await liveMaps(page), stopped, 'no map after Stop');
    assert.ok((await finishedRuns(page)) <= runs + 1, 'at most the run in flight finishes');
    assert.equal(await page.locator('#camera-rate').textContent(), 'Live stopped.');
  });

  test('leaving the tab stops Live mode and the camera', async () => {
    const { page, problems } = session;
    await page.click('#camera-live');
    await page.waitForFunction(() => Number(document.getElementById('camera').dataset.liveMaps) >= 1, null, { timeout: 60_000 });
    // Headless Chromium keeps the page visible: the tab being left is what the page is told.
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    assert.equal(await page.getAttribute('#camera', 'data-live'), 'off');
    assert.equal(await page.getAttribute('#camera', 'data-camera'), 'off');
    assert.equal(await page.locator('#camera-rate').textContent(), 'Live stopped: the tab was left.');
    assert.ok(await page.locator('#camera-video').isHidden());
    assert.equal(await page.evaluate(() => document.getElementById('camera-video').srcObject), null, 'the camera is released');
    const stopped = await liveMaps(page);
    await page.waitForTimeout(1500);
    assert.equal(await liveMaps(page), stopped);
    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
  });
});
