// Times the page in headless Chromium, for the figures of the closing note: time to the first
// partial map and to the final map for the default model (IS-CAM) and a torchvision
// squeezenet1_1 at 224 (Score-CAM on its last Fire module), with 1 and 2 ONNX Runtime threads;
// the WASM core's share; and the size of every file the page downloads.
//
//   scripts/build-web.sh && node scripts/bench-web.mjs [squeezenet1_1.onnx, default: exported to build/models]
import { finishedRuns, launch, openPage, serve, squeezenetModel, waitForRun } from '../tests/e2e/harness.mjs';

const squeezenet = process.argv[2] ?? squeezenetModel();

async function details(page) {
  return page.$$eval('#run-details dt', (terms) =>
    Object.fromEntries(terms.map((dt) => [dt.textContent, Number(dt.nextElementSibling.dataset.ms)])),
  );
}

// The first run's marks, from the moment the page was opened (performance's time origin).
async function sinceOpening(page) {
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime]));
  const at = (suffix) => marks.find(([name]) => name.endsWith(suffix))[1];
  return { first: at('-first-map'), final: at('-final') };
}

async function run(page, action) {
  const before = await finishedRuns(page);
  await action();
  await waitForRun(page, before, 600_000);
  return details(page);
}

const ms = (v) => `${Math.round(v)} ms`.padStart(9);

function row(what, threads, first, final, core = '') {
  console.log(`${what.padEnd(36)} ${String(threads).padStart(7)} ${ms(first)} ${ms(final)} ${core}`);
}

// A row from the page's run details: the run's own times and the WASM core's share of it.
function detailsRow(what, threads, d) {
  const total = d['ONNX Runtime inference'] + d['WASM core'] + d['Other (messages, scheduling)'];
  const share = `${((100 * d['WASM core']) / total).toFixed(1)} %`.padStart(7);
  row(what, threads, d['First map after'], d['Final map after'], `${ms(d['WASM core'])} ${share}`);
}

const { server, url } = await serve();
const browser = await launch();
try {
  console.log(`${'run'.padEnd(36)} threads first map final map WASM core   share`);
  for (const threads of [1, 2]) {
    const { page } = await openPage(browser, `${url}?threads=${threads}`);
    await waitForRun(page, 0, 120_000);
    const opened = await sinceOpening(page);
    row('default model, IS-CAM, page opened', threads, opened.first, opened.final);
    detailsRow('default model, IS-CAM, first run', threads, await details(page));
    detailsRow('default model, IS-CAM, again', threads, await run(page, () => page.click('#explain')));
    await run(page, () => page.check('input[name="method"][value="scorecam"]'));
    const loaded = page.waitForFunction(() => /squeezenet/.test(document.getElementById('model-name').textContent));
    await page.setInputFiles('#model-file', squeezenet);
    await loaded;
    const features = await page.$$eval('#layer option', (options) =>
      options.filter((o) => o.textContent.includes('Concat') && o.textContent.includes('512×13×13')).at(-1).value,
    );
    detailsRow('squeezenet1_1 224, Score-CAM', threads, await run(page, () => page.selectOption('#layer', features)));
    await page.close();
  }

  const downloads = new Map();
  const { page } = await openPage(browser, url, (p) =>
    p.on('response', async (r) => downloads.set(new URL(r.url()).pathname, (await r.body()).length)),
  );
  await waitForRun(page, 0, 120_000);
  console.log('\nfiles the page downloads to show the default explanation (wasm backend):');
  let total = 0;
  for (const [path, bytes] of [...downloads].sort((a, b) => b[1] - a[1])) {
    console.log(`${String(bytes).padStart(10)}  ${path}`);
    total += bytes;
  }
  console.log(`${String(total).padStart(10)}  total`);
} finally {
  await browser.close();
  server.close();
}
