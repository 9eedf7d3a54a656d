// Large images in the page (headless Chromium): a 12000×12000 photo (which froze the page for
// 25 s at 4.4 GB when the core decoded it whole) is measured from its header, downsized by the
// browser to 16 megapixels with a message, and explained; an absurd header is refused at once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pngFile } from '../png-file.mjs';
import { finishedRuns, pageSession, waitForError } from './harness.mjs';

// An RGB PNG of width×height: a horizontal colour ramp, every row alike (compresses to ~1 MB).
function rampPng(width, height, rows = height) {
  const row = Buffer.alloc(1 + 3 * width);
  for (let x = 0; x < width; ++x) row.set([(255 * x) / width, 128, 255 - (255 * x) / width], 1 + 3 * x);
  return pngFile({ width, height, colour: 2, raw: Buffer.concat(Array.from({ length: rows }, () => row)), level: 1 });
}

describe('large images in the page', { timeout: 170_000 }, () => {
  const session = pageSession({ query: '?model=fashion-cnn', firstRun: true });

  test('a 12000×12000 image is downsized by the browser, with a message, and explained', async () => {
    const { page } = session;
    const runs = await finishedRuns(page);
    const started = Date.now();
    await page.setInputFiles('#image-file', { name: 'huge.png', mimeType: 'image/png', buffer: rampPng(12000, 12000) });
    await page.waitForFunction((n) => performance.getEntriesByType('mark').filter((m) => m.name.endsWith('-final')).length > n, runs, {
      timeout: 120_000,
    });
    console.log(`12000×12000 PNG: shown and explained ${((Date.now() - started) / 1000).toFixed(1)} s after it was picked`);
    // The note stays through the run that follows (explain() clears errors, not this note).
    assert.match(await page.locator('#image-note').textContent(), /'huge\.png': the image is 12000×12000 \(144\.0 megapixels\): downsized to 4000×4000 for this page/);
    assert.ok(await page.locator('#image-note').isVisible(), 'the note is visible');
    const shown = await page.evaluate(() => {
      const c = document.getElementById('image-canvas');
      return [c.width, c.height];
    });
    assert.ok(shown[0] === shown[1] && shown[0] <= 1024, `the image is shown at ${shown}`);
  });

  test('a header claiming 18000×18000 is refused before anything is decoded', async () => {
    const { page, problems } = session;
    // Only the first rows exist: the header alone decides.
    await page.setInputFiles('#image-file', { name: 'absurd.png', mimeType: 'image/png', buffer: rampPng(18000, 18000, 1) });
    assert.match(await waitForError(page), /'absurd\.png': the image is 18000×18000 \(324\.0 megapixels\), too large for a browser/);
    assert.deepEqual(problems.consoleErrors, []);
  });
});
