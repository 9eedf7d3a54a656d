// Shared pieces of the browser tests: the page's server, Debian's Chromium driven by
// playwright-core, and waiting for the page's own performance marks.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../web/serve.mjs';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
// ISCAM_WEB_OUT and ISCAM_TEST_OUTPUT move them (as scripts/build-web.sh's ISCAM_WEB_OUT does).
export const WEB_ROOT = resolve(REPO, process.env.ISCAM_WEB_OUT ?? 'build/web');
// What the page's runtime line says by default on this machine: one thread per core, at most 4.
export const RUNTIME_THREADS = new RegExp(`${Math.min(4, availableParallelism())} threads?, cross-origin isolated`);
export const OUTPUT = resolve(REPO, process.env.ISCAM_TEST_OUTPUT ?? 'build/test-output');

// A torchvision squeezenet1_1 at 224 (random weights, reproducible), exported once.
export function squeezenetModel() {
  const path = `${REPO}build/models/squeezenet1_1.onnx`;
  if (!existsSync(path))
    execFileSync('/usr/bin/python3', ['scripts/export_torchvision.py', '--arch', 'squeezenet1_1', '--out', path], {
      cwd: REPO,
      stdio: 'ignore',
    });
  return path;
}

// Small ONNX models made with Debian's python3-onnx, for the page's error paths.
const ONNX_MODELS = {
  // A valid image classifier that ONNX Runtime cannot run (a Reshape to an impossible shape).
  'reshape-fails': `
nodes = [helper.make_node('Relu', ['input'], ['features']), helper.make_node('Reshape', ['features', 'shape'], ['logits'])]
inits = [numpy_helper.from_array(np.array([7], dtype=np.int64), 'shape')]`,
  // A classifier with no spatial layer: global pooling straight away.
  'no-spatial-layer': `
nodes = [helper.make_node('GlobalAveragePool', ['input'], ['pooled']), helper.make_node('Flatten', ['pooled'], ['logits'])]
inits = []`,
};

export function onnxModel(name) {
  const path = `${REPO}build/models/${name}.onnx`;
  if (!existsSync(path))
    execFileSync('/usr/bin/python3', ['-c', `
import numpy as np, onnx
from onnx import TensorProto, helper, numpy_helper
${ONNX_MODELS[name]}
x = helper.make_tensor_value_info('input', TensorProto.FLOAT, [1, 3, 8, 8])
y = helper.make_tensor_value_info('logits', TensorProto.FLOAT, None)
model = helper.make_model(helper.make_graph(nodes, '${name}', [x], [y], inits), opset_imports=[helper.make_opsetid('', 13)])
model.ir_version = 7
onnx.save(model, '${path}')
`]);
  return path;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// args: more Chromium switches (the fake camera's).
export async function launch(args = []) {
  await mkdir(OUTPUT, { recursive: true });
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...args] });
}

export function serve(options = {}) {
  return startServer({ root: WEB_ROOT, port: 0, ...options });
}

// A page that records console errors, uncaught exceptions and requests to other origins.
export async function openPage(browser, url, { viewport = { width: 1366, height: 900 } } = {}) {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const problems = { consoleErrors: [], foreignRequests: [] };
  const origin = new URL(url).origin;
  page.on('console', (m) => m.type() === 'error' && problems.consoleErrors.push(m.text()));
  page.on('pageerror', (e) => problems.consoleErrors.push(`uncaught: ${e.message}`));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.origin !== origin && !['data:', 'blob:'].includes(u.protocol)) problems.foreignRequests.push(r.url());
  });
  await page.goto(url);
  return { page, problems };
}

// The page a describe block's tests share. Before them: serves the built page, launches
// Chromium (with `args`), opens the page (at `query`, in `viewport`) and, with `firstRun`, waits for its first
// explanation; after them: closes both. Returns the session the tests read once it has begun:
// {server, url, browser, page, problems}.
export function pageSession({ query = '', viewport, firstRun = false, args = [] } = {}) {
  const session = {};
  before(async () => {
    assert.ok(existsSync(`${WEB_ROOT}/index.html`), `the page is built in ${WEB_ROOT} (scripts/build-web.sh)`);
    Object.assign(session, await serve());
    session.browser = await launch(args);
    Object.assign(session, await openPage(session.browser, `${session.url}${query}`, { viewport }));
    if (firstRun) await waitForRun(session.page, 0);
  });
  after(async () => {
    await session.browser?.close();
    session.server?.close();
  });
  return session;
}

export function finishedRuns(page) {
  return page.evaluate(() => performance.getEntriesByType('mark').filter((m) => m.name.endsWith('-final')).length);
}

// Waits for an explanation to finish after `before` had (a count from finishedRuns); throws the
// page's error message if one shows instead.
export async function waitForRun(page, before, timeout = 120_000) {
  await page.waitForFunction(
    (n) =>
      performance.getEntriesByType('mark').filter((m) => m.name.endsWith('-final')).length > n ||
      !document.getElementById('error').hidden,
    before,
    { timeout },
  );
  if (await page.locator('#error').isVisible()) throw new Error(`the page shows: ${await page.locator('#error-text').textContent()}`);
}

export async function waitForError(page, timeout = 30_000) {
  await page.locator('#error').waitFor({ state: 'visible', timeout });
  return page.locator('#error-text').textContent();
}

// Colour statistics of a canvas: distinct colours and the mean per-channel standard deviation.
export function canvasStats(page, id) {
  return page.evaluate((canvasId) => {
    const c = document.getElementById(canvasId);
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const colours = new Set();
    const sum = [0, 0, 0];
    const sq = [0, 0, 0];
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      for (let k = 0; k < 3; ++k) {
        sum[k] += data[i + k];
        sq[k] += data[i + k] * data[i + k];
      }
    }
    const std = sum.map((s, k) => Math.sqrt(Math.max(0, sq[k] / n - (s / n) ** 2)));
    return { width: c.width, height: c.height, colours: colours.size, std: (std[0] + std[1] + std[2]) / 3 };
  }, id);
}

// Fraction of pixels where two same-size canvases differ.
export function canvasDifference(page, a, b) {
  return page.evaluate(
    ([idA, idB]) => {
      const get = (id) => {
        const c = document.getElementById(id);
        return c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      };
      const x = get(idA);
      const y = get(idB);
      if (x.length !== y.length) return 1;
      let differ = 0;
      for (let i = 0; i < x.length; i += 4) if (x[i] !== y[i] || x[i + 1] !== y[i + 1] || x[i + 2] !== y[i + 2]) ++differ;
      return differ / (x.length / 4);
    },
    [a, b],
  );
}

export function screenshot(page, name) {
  return page.screenshot({ path: `${OUTPUT}/${name}.png`, fullPage: true });
}
