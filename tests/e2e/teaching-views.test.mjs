// The teaching views in headless Chromium on the default model (one page load): "Inside the
// method" shows the run's channels with the JSON's scores and weights and builds up the page's
// own map; IS-CAM's path averages to the channel's score; SS-CAM's noise re-scores a channel
// with another σ (progress, Cancel); the views follow new runs (Score-CAM, compare with fast
// mode) and the colour map; the explanations open on hover, focus and tap and close on Escape.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { canvasDifference, finishedRuns, OUTPUT, pageSession, waitForRun } from './harness.mjs';

// Waits until a view has loaded after the latest run; throws what it shows if it failed.
async function viewReady(page, id, timeout = 30_000) {
  await page.waitForSelector(`#${id}[data-state="ready"], #${id}[data-state="error"]`, { timeout });
  if ((await page.getAttribute(`#${id}`, 'data-state')) === 'error') throw new Error(`${id}: ${await page.locator(`#${id} .teaching-body`).innerText()}`);
}

async function explainAndWait(page, action) {
  const before = await finishedRuns(page);
  await action();
  await waitForRun(page, before);
}

const cards = (page) =>
  page.$$eval('#channel-grid > li', (items) => items.map((li) => ({ channel: Number(li.dataset.channel), score: Number(li.dataset.score), weight: Number(li.dataset.weight) })));

const shot = (page, selector, name) => page.locator(selector).screenshot({ path: `${OUTPUT}/${name}.png` });

describe('the teaching views', { timeout: 170_000 }, () => {
  const session = pageSession({ query: '?model=fashion-cnn', firstRun: true });

  test("inside the method: the run's channels, scores and weights, and its map built up", async () => {
    const { page } = session;
    await page.click('#inside-method > summary');
    await viewReady(page, 'inside-method');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
    const json = JSON.parse(await readFile(await download.path(), 'utf8'));
    const shown = await cards(page);
    assert.equal(shown.length, 12, 'the first twelve channels');
    for (const [i, c] of shown.entries()) {
      assert.ok(Math.abs(c.score - json.scores[c.channel]) < 1e-4, `channel ${c.channel}: s ${c.score} vs ${json.scores[c.channel]}`);
      assert.ok(Math.abs(c.weight - json.weights[c.channel]) < 1e-6, `channel ${c.channel}: w`);
      if (i > 0) assert.ok(c.weight <= shown[i - 1].weight, 'highest weight first');
    }
    const scored = json.scores.filter((s) => s !== null).length;
    assert.match(await page.innerText('#teaching-channel-count'), new RegExp(`^${json.channels} channels of 7×7 at the target layer: ${scored} scored; ${json.channels_skipped} never fire`));
    assert.match(await page.innerText('#teaching-baseline'), /Baseline b.*“Ankle boot”.*: \d+\.\d/);
    assert.equal(await page.locator('#channel-grid canvas.activation').first().evaluate((c) => [c.width, c.height].join('×')), '7×7');

    // All channels: the page's own map, pixel for pixel; one channel: another map.
    assert.equal(await page.getAttribute('#build-up-canvas', 'data-count'), String(scored));
    assert.equal(await canvasDifference(page, 'build-up-canvas', 'map-iscam'), 0);
    await page.fill('#build-up-count', '1');
    await page.waitForSelector('#build-up-canvas[data-count="1"]');
    assert.match(await page.innerText('#build-up-text'), /^The 1 channel of highest weight \(together w = 0\.\d+\) of \d+\.$/);
    assert.ok((await canvasDifference(page, 'build-up-canvas', 'map-iscam')) > 0.05);
    await page.click('#build-up-more');
    await page.waitForSelector('#build-up-canvas[data-count="2"]');
    await page.fill('#build-up-count', String(scored - 3));
    await page.waitForSelector(`#build-up-canvas[data-count="${scored - 3}"]`);
    await page.click('#build-up-play');
    await page.waitForSelector(`#build-up-canvas[data-count="${scored}"]`, { timeout: 10_000 });
    await page.waitForSelector('#build-up-play[aria-pressed="false"]');
    assert.equal(await page.innerText('#build-up-text'), `All ${scored} scored channels: the final map.`);

    // A colour map change redraws the views too.
    await page.selectOption('#colormap', 'viridis');
    await page.waitForTimeout(300);
    assert.equal(await canvasDifference(page, 'build-up-canvas', 'map-iscam'), 0);

    await page.click('.channel-more');
    await page.waitForFunction(() => document.querySelectorAll('#channel-grid > li').length === 24);
    await shot(page, '#inside-method', 'teaching-inside-method');
  });

  test("IS-CAM's path of the picked channel: its mean is the channel's score", async () => {
    const { page } = session;
    const second = (await cards(page))[1];
    await page.click('#channel-grid > li:nth-child(2) button');
    assert.equal(await page.getAttribute('#channel-grid > li:nth-child(2) button', 'aria-pressed'), 'true');
    await page.click('#iscam-path > summary');
    await viewReady(page, 'iscam-path');
    await page.waitForSelector(`#iscam-path-area[data-channel="${second.channel}"]`);
    const area = await page.$eval('#iscam-path-area', (e) => ({ ...e.dataset }));
    const scores = JSON.parse(area.scores);
    assert.equal(scores.length, 10, 'N = 10 steps');
    assert.equal(area.source, 'run');
    assert.ok(Math.abs(scores.reduce((a, b) => a + b) / 10 - Number(area.mean)) < 1e-4, 'the mean of the steps');
    assert.equal(Number(area.mean), second.score, "exactly the grid's s_k");
    assert.equal(await page.locator('#iscam-path .step-images canvas').count(), 10);
    assert.equal(await page.locator('#iscam-path svg.score-chart circle').count(), 10);
    assert.match(await page.innerText('#iscam-path .step-images li:nth-child(4) figcaption'), /step 4: γ = 1\.00\nf − b = [+−]/);
    await shot(page, '#iscam-path', 'teaching-iscam-path');
  });

  test("SS-CAM's noise: the channel's samples on request, another σ, Cancel", async () => {
    const { page } = session;
    const channel = (await cards(page))[1].channel;
    await page.click('#sscam-noise > summary');
    await viewReady(page, 'sscam-noise');
    assert.equal(await page.inputValue('#sscam-noise .channel-select'), String(channel), 'the picked channel');
    await page.click('#noise-base button');
    const rows = page.locator('#noise-table tbody tr');
    await rows.first().waitFor();
    const first = await rows.first().evaluate((r) => ({ ...r.dataset }));
    assert.deepEqual([first.sigma, first.samples, first.source], ['2', '35', 'probe'], "the run's σ and N, computed now");
    assert.match(await page.innerText('#sscam-noise .probe-bar .progress-text'), /^35 forward passes in/);

    await page.fill('#noise-sigma', '0.5');
    await page.click('#noise-rescore');
    await rows.nth(1).waitFor();
    const [wide, narrow] = await rows.evaluateAll((rs) => rs.map((r) => Number(r.dataset.mean)));
    assert.equal(await rows.nth(1).getAttribute('data-sigma'), '0.5');
    assert.notEqual(narrow, wide, 'another σ, another score');
    assert.equal(await page.locator('#noise-chart svg .series').count(), 2);
    assert.equal(await page.locator('#noise-rows .noise-row').count(), 2);
    assert.equal(await page.locator('#noise-rows .noise-row:first-child canvas').count(), 6);

    // Cancelled before the worker starts it: no row, and the next probe still runs.
    await page.fill('#noise-sigma', '4');
    await page.evaluate(() => {
      document.getElementById('noise-rescore').click();
      document.querySelector('#sscam-noise .probe-cancel').click();
    });
    await page.waitForTimeout(500);
    assert.equal(await page.innerText('#sscam-noise .probe-bar .progress-text'), 'Cancelled.');
    assert.equal(await rows.count(), 2);
    await page.click('#noise-rescore');
    await rows.nth(2).waitFor();
    await shot(page, '#sscam-noise', 'teaching-sscam-noise');
  });

  test('a Score-CAM run: the views reload; IS-CAM’s path is computed on request', async () => {
    const { page } = session;
    await explainAndWait(page, () => page.check('input[name="method"][value="scorecam"]'));
    await viewReady(page, 'inside-method');
    await viewReady(page, 'iscam-path');
    assert.match(await page.innerText('#teaching-baseline'), /Score-CAM scores every channel/);
    const top = (await cards(page))[0];
    assert.equal(await page.inputValue('#iscam-path .channel-select'), String(top.channel), 'a new run starts at its top channel');
    await page.click('#iscam-path-area .probe-start');
    await page.waitForSelector('#iscam-path-area[data-source="probe"]');
    assert.equal(JSON.parse(await page.getAttribute('#iscam-path-area', 'data-scores')).length, 10);
    // IS-CAM's step 4 (γ = 1) is Score-CAM's pass: its score is the grid's s_k.
    const step4 = Number(await page.getAttribute('#iscam-path .step-images li:nth-child(4) figure', 'data-score'));
    assert.ok(Math.abs(step4 - top.score) < 1e-5, `${step4} vs ${top.score}`);
  });

  test('compare with fast mode: a method to pick, channels left out, SS-CAM from the run', async () => {
    const { page } = session;
    await page.fill('#sscam-samples', '5');
    await page.fill('#iscam-samples', '3');
    await page.selectOption('#channels', '16');
    await explainAndWait(page, () => page.check('input[name="method"][value="compare"]'));
    await viewReady(page, 'inside-method');
    // Screening (the default): 64 channels, 16 scored, the 4 all-zero ones skipped, the other 44
    // screened with their scores predicted.
    assert.match(await page.innerText('#teaching-channel-count'), /: 16 scored; 44 with scores predicted from one screening pass each .*; 4 never fire /);
    await explainAndWait(page, () => page.selectOption('#channel-select', 'variance'));
    await viewReady(page, 'inside-method');
    await viewReady(page, 'sscam-noise');
    // By variance: the other 44 left out.
    assert.match(await page.innerText('#teaching-channel-count'), /: 16 scored; 4 never fire .*; 44 left out by fast mode/);
    await page.selectOption('#inside-method-choice', 'sscam');
    await viewReady(page, 'inside-method');
    assert.match(await page.innerText('#teaching-baseline'), /SS-CAM scores every channel/);
    const scored = await cards(page);
    assert.ok(scored.length <= 16);
    const row = page.locator('#noise-table tbody tr').first();
    await row.waitFor();
    assert.equal(await row.getAttribute('data-source'), 'run');
    assert.equal(await row.getAttribute('data-samples'), '5');
    const channel = Number(await page.inputValue('#sscam-noise .channel-select'));
    assert.ok(scored.some((c) => c.channel === channel), 'a scored channel');
    await page.selectOption('#channel-select', 'screen');
    await page.selectOption('#channels', '0');
  });

  test('explanations: on hover, keyboard focus and tap; Escape closes; the control is described', async () => {
    const { page } = session;
    const sigmaInfo = page.locator('label:has(#sigma) .info');
    const tip = page.locator('label:has(#sigma) .info-tip');
    assert.equal(await tip.isVisible(), false);
    await sigmaInfo.hover();
    assert.match(await tip.innerText(), /standard deviation/);
    await page.mouse.move(0, 0);
    assert.equal(await tip.isVisible(), false);
    await sigmaInfo.focus();
    assert.equal(await tip.isVisible(), true);
    assert.equal(await sigmaInfo.getAttribute('aria-expanded'), 'true');
    await page.keyboard.press('Escape');
    assert.equal(await tip.isVisible(), false);
    const describedBy = await page.getAttribute('#sigma', 'aria-describedby');
    assert.equal(await page.locator(`#${describedBy}`).textContent(), await tip.textContent());
    for (const m of ['iscam', 'scorecam', 'sscam', 'compare'])
      assert.equal(await page.locator(`label:has(input[value="${m}"]) .info`).count(), 1, m);
    const checked = await page.isChecked('input[value="compare"]');
    await page.click('label:has(input[value="iscam"]) .info');
    assert.equal(await page.isChecked('input[value="compare"]'), checked, 'the button does not pick the method');
    assert.equal(await page.locator('label:has(input[value="iscam"]) .info-tip').isVisible(), true);
    await page.locator('.controls form').screenshot({ path: `${OUTPUT}/teaching-explanation.png` });
    await page.keyboard.press('Escape');
  });

  test('no console errors, no foreign requests', () => {
    const { problems } = session;
    assert.deepEqual(problems.consoleErrors, []);
    assert.deepEqual(problems.foreignRequests, []);
  });
});
