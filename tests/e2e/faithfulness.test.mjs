// The page's Faithfulness panel in headless Chromium: after the default explanation it draws the
// deletion and insertion curves and the numbers, which agree with the native CLI's
// `explain --metrics`; compare mode draws one curve per method; the panel can be switched off.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { OUTPUT, REPO, WEB_ROOT, finishedRuns, pageSession, screenshot, waitForRun } from './harness.mjs';

const CLI = process.env.ISCAM_CLI ?? `${REPO}build/native/native/iscam`;

// Waits for the panel's metrics of the latest run; returns them (the `metrics` objects by method).
async function panelMetrics(page) {
  await page.waitForFunction(() => document.getElementById('faithfulness').dataset.metrics, null, { timeout: 60_000 });
  return JSON.parse(await page.locator('#faithfulness').getAttribute('data-metrics'));
}

describe('the Faithfulness panel', { timeout: 170_000 }, () => {
  const session = pageSession({ query: '?model=fashion-cnn' });

  test('shows the curves and numbers of the default map, as the CLI computes them', async () => {
    const { page } = session;
    await waitForRun(page, 0);
    const [metrics] = await panelMetrics(page);
    assert.equal(metrics.method, 'iscam');
    const plots = page.locator('#faithfulness svg.faithfulness-plot');
    assert.equal(await plots.count(), 2);
    for (const i of [0, 1]) {
      const points = (await plots.nth(i).locator('polyline').getAttribute('points')).split(' ');
      assert.equal(points.length, 21, 'one point per count: 20 steps');
    }
    assert.match(await plots.nth(0).getAttribute('aria-label'), /Deletion.*IS-CAM area 0\.\d{3}/);
    assert.equal(await page.locator('#faithfulness tbody tr').count(), 1);
    assert.equal(await page.locator('#faithfulness .faithfulness-notes li').count(), 4);
    assert.match(await page.locator('#faithfulness-text').textContent(), /41 forward passes/);
    await screenshot(page, 'web-faithfulness');

    assert.ok(existsSync(CLI), `the native CLI is built at ${CLI}`);
    const manifest = JSON.parse(await readFile(`${WEB_ROOT}/samples/index.json`, 'utf8'));
    const out = `${OUTPUT}/cli-faithfulness.json`;
    execFileSync(CLI, [
      'explain', '--model', `${REPO}web/models/fashion-cnn.onnx`, '--image', `${REPO}web/samples/${manifest.samples.find((s) => s.models?.includes('fashion-cnn')).file}`,
      '--method', 'iscam', '--metrics', '--json', out,
    ]);
    const cli = JSON.parse(await readFile(out, 'utf8')).metrics;
    for (const key of ['score', 'baseline', 'steps', 'fractions', 'forward_passes', 'increase_in_confidence'])
      assert.deepEqual(metrics[key], cli[key], key);
    // The page's map differs from the CLI's by float rounding (WASM vs native ONNX Runtime).
    let worst = 0;
    for (const key of ['deletion_curve', 'insertion_curve'])
      cli[key].forEach((v, i) => (worst = Math.max(worst, Math.abs(v - metrics[key][i]))));
    for (const key of ['deletion_auc', 'insertion_auc', 'average_drop', 'score_input', 'score_masked'])
      worst = Math.max(worst, Math.abs(cli[key] - metrics[key]));
    assert.ok(worst <= 1e-4, `largest difference to the CLI ${worst}`);

    // Download JSON carries the metrics measured, where the CLI's --metrics puts them.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    const json = JSON.parse(await readFile(await download.path(), 'utf8'));
    const { method, ...measured } = metrics;
    assert.deepEqual(json.metrics, measured);
    assert.deepEqual(Object.keys(json.metrics).sort(), Object.keys(cli).sort());
  });

  test('compare mode draws a curve for each method', async () => {
    const { page } = session;
    await page.fill('#sscam-samples', '2');  // a short run: the curves, not the maps, are tested here
    await page.fill('#iscam-samples', '2');
    const before = await finishedRuns(page);
    await page.check('input[name="method"][value="compare"]');
    await waitForRun(page, before);
    const metrics = await panelMetrics(page);
    assert.deepEqual(metrics.map((m) => m.method), ['scorecam', 'sscam', 'iscam']);
    assert.equal(await page.locator('#faithfulness svg.faithfulness-plot').first().locator('polyline').count(), 3);
    assert.equal(await page.locator('#faithfulness tbody tr').count(), 3);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    const json = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.deepEqual(json.results.map((r) => r.metrics.deletion_auc), metrics.map((m) => m.deletion_auc));
    await screenshot(page, 'web-faithfulness-compare');
  });

  test('with ROAD, the table adds its MoRF and LeRF areas, as `explain --road` computes them', async () => {
    const { page } = session;
    await page.check('#road-on');
    const before = await finishedRuns(page);
    await page.check('input[name="method"][value="iscam"]');
    await waitForRun(page, before);
    await page.waitForFunction(() => document.getElementById('faithfulness').dataset.road, null, { timeout: 60_000 });
    const [road] = JSON.parse(await page.locator('#faithfulness').getAttribute('data-road'));
    assert.equal(road.method, 'iscam');
    assert.equal(await page.locator('#faithfulness thead th').count(), 7);
    assert.equal(await page.locator('#faithfulness tbody td').nth(4).textContent(), road.morf_auc.toFixed(3));
    const manifest = JSON.parse(await readFile(`${WEB_ROOT}/samples/index.json`, 'utf8'));
    const out = `${OUTPUT}/cli-road.json`;
    execFileSync(CLI, [
      'explain', '--model', `${REPO}web/models/fashion-cnn.onnx`, '--image', `${REPO}web/samples/${manifest.samples.find((s) => s.models?.includes('fashion-cnn')).file}`,
      '--method', 'iscam', '--samples', '2', '--road', '--json', out,
    ]);
    const cli = JSON.parse(await readFile(out, 'utf8')).road;
    for (const key of ['percentages', 'score', 'seed', 'noise', 'forward_passes']) assert.deepEqual(road[key], cli[key], key);
    let worst = Math.max(Math.abs(road.morf_auc - cli.morf_auc), Math.abs(road.lerf_auc - cli.lerf_auc));
    for (const key of ['morf_curve', 'lerf_curve']) cli[key].forEach((v, i) => (worst = Math.max(worst, Math.abs(v - road[key][i]))));
    assert.ok(worst <= 1e-4, `largest difference to the CLI ${worst}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    const { method, timings_ms: _, ...measured } = road;
    const { timings_ms: __, ...downloaded } = JSON.parse(await readFile(await download.path(), 'utf8')).road;
    assert.deepEqual(downloaded, measured);
    await page.uncheck('#road-on');
  });

  test('switched off, the panel measures nothing', async () => {
    const { page } = session;
    await page.uncheck('#faithfulness-on');
    assert.match(await page.locator('#faithfulness-body').textContent(), /Switched off/);
    const before = await finishedRuns(page);
    await page.check('input[name="method"][value="scorecam"]');
    await waitForRun(page, before);
    await page.waitForTimeout(500);
    assert.equal(await page.locator('#faithfulness').getAttribute('data-metrics'), null);
    assert.equal(await page.locator('#faithfulness svg').count(), 0);
    await page.check('#faithfulness-on');
  });

  test('no console errors, no foreign requests', () => {
    const { problems } = session;
    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
  });
});
