// The page in a room: projector mode (from the address and from its button) at 1920×1080 and
// 1024×768 shows the image, the map, the top-5 and Explain without scrolling, with text of at
// least 20 px; the normal page at 1920×1080 shows the map, the top-5 and Explain too; control
// borders and focus rings have at least 3:1 contrast in both modes. Screenshots in the test
// output folder.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OUTPUT, pageSession } from './harness.mjs';
import { outsideViewport, smallText, weakBorders, weakFocusRings } from './room-checks.mjs';

// The main controls: the method, its N, σ and seed, and Explain.
const ON_SCREEN = ['#image-canvas', '#map-iscam', '#predictions', '#settings .methods', '#iscam-samples', '#seed', '#explain'];

describe('projector mode', { timeout: 120_000 }, () => {
  const session = pageSession({ query: '?model=fashion-cnn&projector=1', viewport: { width: 1920, height: 1080 }, firstRun: true });

  for (const [width, height] of [
    [1920, 1080],
    [1024, 768],
  ])
    test(`at ${width}×${height}: image, map, top-5 and Explain on screen, text ≥ 20 px, borders and focus ≥ 3:1`, async () => {
      const { page } = session;
      await page.setViewportSize({ width, height });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${OUTPUT}/web-projector-${width}x${height}.png` });
      assert.deepEqual(await outsideViewport(page, ON_SCREEN), [], 'outside the viewport');
      assert.deepEqual(await smallText(page, 20), [], 'text under 20 px');
      assert.deepEqual(await weakBorders(page, 3), [], 'control borders under 3:1');
      assert.deepEqual(await weakFocusRings(page, 12, 3), [], 'focus rings');
    });

  test('the button leaves and enters projector mode, and the address follows', async () => {
    const { page } = session;
    await page.setViewportSize({ width: 1920, height: 1080 });
    assert.equal(await page.getAttribute('#projector', 'aria-pressed'), 'true');
    await page.click('#projector');
    assert.equal(await page.getAttribute('#projector', 'aria-pressed'), 'false');
    assert.ok(!(await page.evaluate(() => document.documentElement.classList.contains('projector'))));
    assert.ok(!new URL(page.url()).searchParams.has('projector'));
    await page.click('#projector');
    assert.equal(new URL(page.url()).searchParams.get('projector'), '1');
    await page.click('#projector');
  });

  test('the normal page at 1920×1080: map, top-5 and Explain on screen; borders and focus ≥ 3:1', async () => {
    const { page, problems } = session;
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${OUTPUT}/web-normal-1920x1080.png` });
    assert.deepEqual(await outsideViewport(page, ON_SCREEN), [], 'outside the viewport');
    assert.deepEqual(await weakBorders(page, 3), [], 'control borders under 3:1');
    assert.deepEqual(await weakFocusRings(page, 12, 3), [], 'focus rings');
    assert.deepEqual(problems.consoleErrors, []);
  });
});
