// Offline after the first visit: the service worker caches the page, and with the server gone and
// the browser offline the page reloads from that cache, still cross-origin isolated (two
// threads) and explaining; a host that does not send COOP/COEP gets them from the service worker.
// Opened as a file, the page says how to serve it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WEB_ROOT, canvasStats, launch, screenshot, serve, waitForRun, RUNTIME_THREADS } from './harness.mjs';

describe('the page offline', { timeout: 90_000 }, () => {
  let browser;
  let server;

  before(async () => {
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    server?.close();
  });

  test('after the first visit it works offline, cross-origin isolated with its threads', async () => {
    let url;
    ({ server, url } = await serve());
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}?model=shapes-cnn&method=scorecam`);
    await waitForRun(page, 0);
    await page.waitForFunction(() => /Saved for offline use/.test(document.getElementById('offline').textContent), null, { timeout: 60_000 });

    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    server = null;
    await context.setOffline(true);
    const fromCache = [];
    page.on('response', (r) => fromCache.push(r.fromServiceWorker()));
    await page.reload();
    await waitForRun(page, 0);
    assert.ok(await page.evaluate(() => crossOriginIsolated), 'the page served by the service worker is cross-origin isolated');
    assert.match(await page.locator('#runtime').textContent(), RUNTIME_THREADS);
    assert.match(await page.locator('#model-name').textContent(), /shapes-cnn/);
    const stats = await canvasStats(page, 'map-scorecam');
    assert.ok(stats.colours > 100 && stats.std > 10, 'a real heat map');
    assert.ok(fromCache.length > 10 && fromCache.every(Boolean), 'every response came from the service worker');
    assert.deepEqual(errors, []);
    await screenshot(page, 'web-offline');
    await context.close();
  });

  test('on a host without the COOP/COEP headers, the service worker makes the next visit isolated', async () => {
    const plain = await serve({ isolated: false });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${plain.url}?model=shapes-cnn&method=scorecam`);
      await waitForRun(page, 0);
      assert.match(await page.locator('#runtime').textContent(), /1 thread\b/);
      await page.waitForFunction(() => /Saved for offline use/.test(document.getElementById('offline').textContent), null, { timeout: 60_000 });
      await page.reload();
      await waitForRun(page, 0);
      assert.match(await page.locator('#runtime').textContent(), RUNTIME_THREADS);
    } finally {
      await context.close();
      plain.server.close();
    }
  });

  test('opened as a file, it says in one sentence how to serve it', async () => {
    const page = await browser.newPage();
    await page.goto(`file://${WEB_ROOT}/index.html`);
    const error = page.locator('#error-text');
    await error.waitFor();
    assert.match(await error.textContent(), /^Opened as a file, this page cannot run: serve it over HTTP with “node web\/serve\.mjs”.*\.$/);
    assert.match(await page.locator('#runtime').textContent(), /serve it over HTTP/);
    await screenshot(page, 'web-file-protocol');
    await page.close();
  });
});
