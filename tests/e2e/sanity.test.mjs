// "Is the map about the model?" in headless Chromium on the bundled Fashion model: after a run the
// view re-draws the top layers and shows each map beside the original with the similarity curve and
// the random-logit map, as the CLI's `iscam sanity` computes them; Cancel stops it, and bad input
// is one sentence with the page still usable. Score-CAM and two layers keep it short.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { OUTPUT, REPO, WEB_ROOT, canvasStats, finishedRuns, pageSession, screenshot, waitForRun } from './harness.mjs';

const CLI = process.env.ISCAM_CLI ?? `${REPO}build/native/native/iscam`;

async function sanityResult(page) {
  await page.waitForFunction(() => document.getElementById('sanity-panels').dataset.result, null, { timeout: 60_000 });
  return JSON.parse(await page.locator('#sanity-panels').getAttribute('data-result'));
}

describe('the sanity checks view', { timeout: 170_000 }, () => {
  const session = pageSession({ query: '?model=fashion-cnn', firstRun: true });

  test('re-draws the top two layers: the maps, the curve and the random class, as the CLI computes them', async () => {
    const { page } = session;
    const before = await finishedRuns(page);
    await page.check('input[name="method"][value="scorecam"]');
    await waitForRun(page, before);
    assert.match(await page.locator('#sanity-status').textContent(), /^5 layers with weights can be re-drawn/);
    assert.equal(await page.locator('#sanity-steps').inputValue(), '5');
    await page.fill('#sanity-steps', '2');
    await page.click('#sanity-run');
    const json = await sanityResult(page);
    assert.equal(json.randomisation, 'cascading');
    assert.deepEqual(json.methods, ['scorecam']);
    assert.deepEqual(json.steps.map((s) => s.node), ['/fc/Gemm', '/conv4/Conv']);

    const kinds = await page.$$eval('#sanity-panels figure', (f) => f.map((x) => x.dataset.kind));
    assert.deepEqual(kinds, ['original', 'random-logit', 'layer', 'layer']);
    for (const i of [0, 1, 2, 3]) assert.ok((await canvasStats(page, `sanity-map-${i}`)).std > 10, `sanity panel ${i} is a map`);
    const captions = await page.$$eval('#sanity-panels figcaption', (c) => c.map((x) => x.textContent));
    assert.match(captions[1], /^Random other class: .+ · Spearman −?\d/);
    assert.match(captions[3], /^layers 1–2 re-drawn \(down to \/conv4\/Conv\) · Spearman −?\d.* · SSIM −?\d/);
    for (const measure of ['spearman', 'ssim']) {
      const points = await page.locator(`#sanity-chart polyline[data-measure="${measure}"]`).getAttribute('points');
      assert.equal(points.split(' ').length, 3, `${measure}: the original and two steps`);
    }
    assert.match(await page.locator('#sanity-summary').textContent(), /^With 2 layers re-drawn: Spearman .* The random other class: Spearman/);
    assert.match(await page.locator('#sanity-text').textContent(), /forward passes in/);
    await screenshot(page, 'web-sanity');

    assert.ok(existsSync(CLI), `the native CLI is built at ${CLI}`);
    const manifest = JSON.parse(await readFile(`${WEB_ROOT}/samples/index.json`, 'utf8'));
    const sample = manifest.samples.find((s) => s.models?.includes('fashion-cnn')).file;
    const out = `${OUTPUT}/cli-sanity.json`;
    execFileSync(CLI, ['sanity', '--model', `${REPO}web/models/fashion-cnn.onnx`, '--image', `${REPO}web/samples/${sample}`,
      '--method', 'scorecam', '--json', out]);
    const cli = JSON.parse(await readFile(out, 'utf8'));
    assert.equal(json.class, cli.class);
    assert.equal(json.random_logit.class, cli.random_logit.class);
    const pairs = [[json.random_logit.similarity, cli.random_logit.similarity], ...json.steps.map((s, i) => [s.similarity, cli.steps[i].similarity])];
    let worst = 0;
    for (const [page_, native] of pairs)
      for (const key of ['spearman', 'spearman_abs', 'ssim', 'topk']) worst = Math.max(worst, Math.abs(page_.scorecam[key] - native.scorecam[key]));
    assert.ok(worst <= 1e-4, `largest difference to the CLI ${worst}`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#sanity-json')]);
    assert.deepEqual(JSON.parse(await readFile(await download.path(), 'utf8')), json);
  });

  test('Cancel stops the checks; the view runs again afterwards', async () => {
    const { page } = session;
    // SS-CAM's 35 noisy passes a channel keep the checks running for seconds, so Cancel lands mid-run
    // once the first explanation's panels have settled the layout.
    const before = await finishedRuns(page);
    await page.check('input[name="method"][value="sscam"]');
    await waitForRun(page, before);
    await page.fill('#sanity-steps', '5');
    await page.click('#sanity-run');
    await page.waitForFunction(() => /^explanation [2-9]/.test(document.getElementById('sanity-text').textContent));
    await page.click('#sanity-cancel');
    assert.equal(await page.locator('#sanity-status').textContent(), 'Cancelled.');
    assert.ok(await page.locator('#sanity-run').isEnabled());
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#sanity-panels').getAttribute('data-result'), null);
  });

  test('bad input is one sentence and the page stays usable', async () => {
    const { page } = session;
    await page.fill('#sanity-steps', '9');
    await page.click('#sanity-run');
    assert.equal(await page.locator('#sanity-status').textContent(), 'Layers must be a whole number from 1 to 5, not “9”.');
    assert.ok(await page.locator('#sanity-run').isEnabled());
    assert.equal(await page.locator('#sanity-panels figure').count(), 0);
    const before = await finishedRuns(page);
    await page.click('#explain');
    await waitForRun(page, before);
    await page.fill('#sanity-steps', '1');
    await page.click('#sanity-run');
    assert.equal((await sanityResult(page)).steps.length, 1);
  });

  test('no console errors, no foreign requests', () => {
    const { problems } = session;
    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
  });
});
