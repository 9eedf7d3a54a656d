// Speed and fidelity of the page on the bundled int8 MobileNet v2, in headless Chromium: one line
// per method and mode (exact, then fast mode with each K): forward passes, time to the first
// partial map and to the final map of a run started with the Explain button, Pearson r of the map
// against the exact map of the same method, and the deletion AUC of both (the Faithfulness panel's,
// softmax probability). Which form of the int8 model ran (int8 or its float form) is printed first.
//
//   scripts/build-web.sh && node scripts/bench-page.mjs [--methods scorecam,iscam] [--channels 8,16,32]
//        [--select screen|variance] [--photo chelsea.png] [--threads 2]
// --select: how fast mode chooses its channels (the page's "Channel choice"; docs/math.md, "Fast mode").
// Exact runs are long here (IS-CAM: 12,721 passes; SS-CAM: 35 per channel); fast runs without an
// exact one print r as "–".
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { finishedRuns, launch, openPage, serve, waitForRun } from '../tests/e2e/harness.mjs';

const { values: args } = parseArgs({
  options: {
    methods: { type: 'string', default: 'scorecam,iscam' },
    channels: { type: 'string', default: '8,16,32' },
    select: { type: 'string', default: 'screen' },
    photo: { type: 'string', default: 'chelsea.png' },
    threads: { type: 'string', default: '2' },
    'no-exact': { type: 'boolean', default: false },
  },
});
const RUN_TIMEOUT_MS = 3_600_000;

function pearson(a, b) {
  const mean = (v) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a), mb = mean(b);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; ++i) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

async function details(page) {
  return page.$$eval('#run-details dt', (terms) =>
    Object.fromEntries(terms.map((dt) => [dt.textContent, { text: dt.nextElementSibling.textContent, ms: Number(dt.nextElementSibling.dataset.ms) }])),
  );
}

const startedRuns = (page) => page.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.endsWith('-start')).length);

// Does `action`, then waits for the run it may have started on its own.
async function settle(page, action) {
  const started = await startedRuns(page), finished = await finishedRuns(page);
  await action();
  await page.waitForTimeout(1000);
  if ((await startedRuns(page)) > started) await waitForRun(page, finished, RUN_TIMEOUT_MS);
}

// A run of `method` with `channels` (0: exact), started with Explain once any run the settings
// started on their own has finished; its details, map and deletion AUC.
async function measure(page, method, channels) {
  const choose = (selector, value) =>
    page.$eval(selector, (e, v) => {
      if (e.type === 'radio') e.checked = true;
      else e.value = v;
      e.dispatchEvent(new Event('change', { bubbles: true }));
    }, value);
  await settle(page, () => choose('#channel-select', args.select));
  await settle(page, () => choose('#channels', String(channels)));
  await settle(page, () => choose(`input[name="method"][value="${method}"]`, method));
  const previous = await page.locator('#faithfulness').getAttribute('data-metrics');
  const before = await finishedRuns(page);
  await page.click('#explain');
  await waitForRun(page, before, RUN_TIMEOUT_MS);
  const d = await details(page);
  await page.waitForFunction(
    (old) => {
      const now = document.getElementById('faithfulness').dataset.metrics;
      return now && now !== old;
    },
    previous,
    { timeout: 600_000 },
  );
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-json')]);
  const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
  const result = doc.results?.[0] ?? doc;
  return {
    passes: Number(d['Forward passes'].text.split(' ')[0]),
    firstS: d['First map after'].ms / 1000,
    finalS: d['Final map after'].ms / 1000,
    form: d['Model form']?.text ?? 'not an int8 model',
    map: result.map.flat(),
    deletion: (result.metrics ?? doc.metrics).deletion_auc,
  };
}

const { server, url } = await serve();
const browser = await launch();
try {
  const { page } = await openPage(browser, `${url}?model=mobilenetv2-12-int8&threads=${args.threads}`);
  await waitForRun(page, 0, 300_000);
  await settle(page, () => page.click(`#samples img[src="samples/${args.photo}"]`));
  console.log(`photo ${args.photo}, ${args.threads} threads, fast mode's channels by ${args.select}`);
  console.log('model                method    mode     passes  first map  final map  r vs exact  deletion AUC (exact)');
  for (const method of args.methods.split(',')) {
    const exact = args['no-exact'] ? null : await measure(page, method, 0);
    const rows = [];
    if (exact) rows.push(['exact', exact]);
    for (const k of args.channels.split(',').map(Number)) rows.push([`K=${k}`, await measure(page, method, k)]);
    console.log(`model form: ${rows[0][1].form}`);
    for (const [mode, m] of rows) {
      const r = exact ? pearson(m.map, exact.map).toFixed(3) : '–';
      const auc = `${m.deletion.toFixed(4)} (${exact ? exact.deletion.toFixed(4) : '–'})`;
      console.log(
        `mobilenetv2-12-int8  ${method.padEnd(9)} ${mode.padEnd(7)} ${String(m.passes).padStart(7)} ${`${m.firstS.toFixed(2)} s`.padStart(10)} ` +
          `${`${m.finalS.toFixed(2)} s`.padStart(10)} ${r.padStart(11)}  ${auc}`,
      );
    }
  }
} finally {
  await browser.close();
  server.close();
}
