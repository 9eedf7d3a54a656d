// The page's worker: ONNX Runtime Web and the WASM core, so the page never freezes.
// Requests from the page (each with an id) run one after another; 'cancel' is handled at once
// and stops a running explanation between two batches.
//
//   in:  init {threads, backend} · load-model {bytes, probeSize} · explain {…} · cancel {id}
//   out: ready · model · predictions · progress · result · cancelled · error   (all with the id)
import { Classifier } from './classifier.js';
import { loadCore } from './core.js';
import { readableError } from './errors.js';
import { runExplanation } from './explain-run.js';
import { loadRuntime } from './ort-runtime.js';

let runtime = null;
let core = null;
let classifier = null;
const cancelled = new Set();
let queue = Promise.resolve();

// A macrotask boundary, so that a 'cancel' message gets through between two batches.
const channel = new MessageChannel();
function yieldToEvents() {
  return new Promise((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  });
}

async function init({ threads, backend }) {
  [runtime, core] = await Promise.all([loadRuntime({ threads, backend }), loadCore()]);
  const { ort, backend: used, threads: count, isolated, notes } = runtime;
  return { type: 'ready', version: ort.env.versions?.web ?? '', backend: used, threads: count, isolated, notes };
}

// The new model replaces the current one only once it has loaded and been probed.
async function loadModel({ bytes, probeSize }) {
  const next = await Classifier.load(runtime, core, new Uint8Array(bytes), probeSize);
  await classifier?.dispose();
  classifier = next;
  return {
    type: 'model',
    input: classifier.input,
    classCount: classifier.classCount,
    layers: classifier.layers,
    defaultLayer: classifier.defaultLayer,
  };
}

async function explain(request) {
  if (!classifier) throw new Error('no model is loaded');
  await classifier.selectLayer(request.layer);
  const { id } = request;
  const result = await runExplanation(core, classifier, request, {
    predictions: (logits, classIndex) => postMessage({ type: 'predictions', id, logits: Array.from(logits), classIndex }),
    progress: (state) => postMessage({ type: 'progress', id, ...state }),
    cancelled: () => cancelled.has(id),
    yieldToEvents,
  });
  if (result.cancelled) return { type: 'cancelled' };
  return { type: 'result', ...result, batchNote: classifier.batchNote };
}

const handlers = { init, 'load-model': loadModel, explain };

async function handle(message) {
  const { id, type } = message;
  try {
    if (cancelled.has(id)) {
      postMessage({ type: 'cancelled', id });
      return;
    }
    const reply = await handlers[type](message);
    postMessage({ ...reply, id });
  } catch (e) {
    postMessage({ type: 'error', id, name: e?.name ?? 'Error', message: readableError(e) });
  } finally {
    cancelled.delete(id);
  }
}

self.onmessage = ({ data }) => {
  if (data.type === 'cancel') {
    cancelled.add(data.id);
    return;
  }
  queue = queue.then(() => handle(data));
};
