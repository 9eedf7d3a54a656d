import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPageRun, mapModelText, runnerUp } from '../../web/js/page-run.js';
import { loadCore } from './load-core.mjs';

const core = await loadCore();

// The worker's handle as the run sees it: each request answers when the test settles it.
function workerClient() {
  const runs = new Map();
  const client = {
    cancelled: [],
    requests: [],
    request(type, payload) {
      const id = client.requests.push({ type, payload });
      let settle;
      const done = new Promise((resolve) => (settle = resolve));
      runs.set(id, settle);
      return { id, done };
    },
    cancel(id) {
      client.cancelled.push(id);
    },
    answer(id, message) {
      runs.get(id)(message);
    },
  };
  return client;
}

// The page's controls, panels and view helpers as plain objects that keep what they are told.
function page({ sigma = '0.5' } = {}) {
  const elements = { method: { value: 'iscam' }, iscamSamples: { value: '4' }, sscamSamples: { value: '2' }, sigma: { value: sigma }, seed: { value: '0' }, batch: { value: '8' } };
  const controls = { settings: { elements }, channels: { value: '0' }, layer: { value: 'features' }, preset: { value: 'unit' }, 'input-height': { value: '8' }, 'input-width': { value: '8' }, progress: { value: 0.5 } };
  const $ = (id) => (controls[id] ??= {});
  const calls = [];
  const view = new Proxy({}, { get: (_, name) => (...args) => calls.push([name, ...args]) });
  const panel = { stop() {}, clear() {}, measure() {}, showRun() {} };
  const state = {
    core,
    client: workerClient(),
    model: { title: 'tiny.onnx', labels: [], sidecar: null, info: { input: { channels: 3, height: 8, width: 8 }, layers: [{ name: 'features', shape: [1, 4, 2, 2] }], msPerPass: 1, classCount: 3 } },
    image: { title: 'dot.png', decoded: {}, display: {}, regions: new Map() },
    classIndex: -1,
    run: null,
    modelFailure: null,
    shown: null,
  };
  const run = createPageRun({ state, $, view, panels: { faithfulness: panel, teaching: panel, contrast: panel, sanity: panel }, redraw() {}, updateLink() {}, fail: () => (error) => calls.push(['fail', error]) });
  const said = () => calls.filter(([name]) => name === 'setStatus').map(([, text]) => text);
  return { state, run, calls, said };
}

test('a new run cancels the one before, whose late answer is then ignored', async () => {
  const { state, run, said } = page();
  const first = run.explain();
  assert.equal(state.run.id, 1);
  assert.equal(state.client.requests[0].payload.layer, 'features');
  const second = run.explain();
  assert.deepEqual(state.client.cancelled, [1]);
  assert.equal(state.run.id, 2);
  state.client.answer(1, { type: 'cancelled' });
  assert.equal(await first, false);
  assert.equal(state.run.id, 2, 'the newer run is still the one in progress');
  assert.ok(!said().some((text) => text.startsWith('Cancelled')), 'the old run says nothing');
  state.client.answer(2, { type: 'cancelled' });
  assert.equal(await second, false);
  assert.equal(state.run, null);
});

test('Cancel asks the worker and the run ends when the worker says it is cancelled', async () => {
  const { state, run, calls, said } = page();
  const running = run.explain();
  run.requestCancel();
  assert.deepEqual(state.client.cancelled, [1]);
  assert.equal(state.run.id, 1, 'still running until the worker answers');
  assert.equal(said().at(-1), 'Cancelling…');
  state.client.answer(1, { type: 'cancelled' });
  assert.equal(await running, false);
  assert.equal(state.run, null);
  assert.equal(said().at(-1), 'Cancelled. The map shown is the partial one.');
  assert.deepEqual(calls.filter(([name]) => name === 'setRunning').map(([, on]) => on), [true, false]);
});

test('a model change cancels the run at once; with nothing running nothing is cancelled', () => {
  const { state, run } = page();
  run.cancelRun();
  run.requestCancel();
  assert.deepEqual(state.client.cancelled, []);
  run.explain();
  run.cancelRun();
  assert.deepEqual(state.client.cancelled, [1]);
  assert.equal(state.run, null);
});

test('invalid settings are reported and no run is sent to the worker', async () => {
  const { state, run, calls } = page({ sigma: 'lots' });
  assert.equal(await run.explain(), false);
  assert.equal(state.client.requests.length, 0);
  assert.deepEqual(calls.find(([name]) => name === 'showError'), ['showError', 'σ must be a number from 0 to 100']);
});

test('without a model or an image there is nothing to explain', async () => {
  const { state, run } = page();
  state.image = null;
  assert.equal(await run.explain(), false);
  assert.equal(state.client.requests.length, 0);
});

test('the map says when a newer model failed to load', () => {
  const state = { model: { title: 'a.onnx' }, modelFailure: null };
  assert.deepEqual(mapModelText(state, 'Explained with', 'conv'), ['Explained with a.onnx · layer conv', false]);
  state.modelFailure = { title: 'b.onnx' };
  assert.deepEqual(mapModelText(state, 'Explained with', 'conv'), [
    "Explained with a.onnx · layer conv. b.onnx did not load, so this is the previous model's map.",
    true,
  ]);
});

test("the contrast's class B: the top class, or the runner-up when the top one was explained", () => {
  const logits = [0.1, 3, 2];
  assert.equal(runnerUp(logits, 1, []), 2);
  assert.equal(runnerUp(logits, 0, []), 1);
  assert.equal(runnerUp([5], 0, []), -1);
});
