// The page's worker: ONNX Runtime Web and the WASM core, so the page never freezes.
// Requests from the page (each with an id) run one after another; 'cancel' is handled at once
// and stops a running explanation between two batches.
//
//   in:  init {threads, backend} · load-model {bytes, probeSize, choices} · set-choices {choices} ·
//        explain {…, contrastIndex, aside} · metrics {…, road} · cancel {id} ·
//        teaching {runId, what, …} (answered at once: it reads the kept run) · probe {runId, …} ·
//        lesson-load {key, bytes, probeSize} · lesson-explain {key, …} · lesson-release ·
//        sanity {…}
//   out: ready · model · predictions · progress · stage (of sanity) · result · cancelled · error
//        (all with the id)
import { Classifier } from './classifier.js';
import { loadCore } from './core.js';
import { readableError } from './errors.js';
import { runExplanation } from './explain-run.js';
import { runFaithfulness } from './faithfulness-run.js';
import { LessonModels } from './lesson-run.js';
import { loadRuntime } from './ort-runtime.js';
import { runRoad } from './road-run.js';
import { runSanity } from './sanity-run.js';
import { KeptRun } from './teaching-run.js';

let runtime = null;
let core = null;
let classifier = null;
const kept = new KeptRun(); // the last finished run, for the teaching views
const lesson = new LessonModels();
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

// What every cancellable run is given: its progress posted with its id, its cancel flag.
function runHooks(id) {
  return {
    progress: (state) => postMessage({ type: 'progress', id, ...state }),
    cancelled: () => cancelled.has(id),
    yieldToEvents,
  };
}

async function init({ threads, backend }) {
  [runtime, core] = await Promise.all([loadRuntime({ threads, backend }), loadCore()]);
  const { ort, backend: used, threads: count, isolated, notes } = runtime;
  return { type: 'ready', version: ort.env.versions?.web ?? '', backend: used, threads: count, isolated, notes };
}

// What the page shows of the model, and the time of one forward pass on the default layer
// (for the ETA that decides whether a run may start on its own).
async function modelReply() {
  await classifier.selectLayer(classifier.defaultLayer);
  return {
    type: 'model',
    input: classifier.input,
    plan: classifier.plan,
    classCount: classifier.classCount,
    layers: classifier.layers,
    defaultLayer: classifier.defaultLayer,
    randomisableLayers: classifier.randomisableLayers(),
    msPerPass: await classifier.measurePass(),
    form: classifier.form,
  };
}

// The new model replaces the current one only once it has loaded and been probed.
async function loadModel({ bytes, probeSize, choices }) {
  const next = await Classifier.load(runtime, core, new Uint8Array(bytes), probeSize, choices);
  kept.release();
  await classifier?.dispose();
  classifier = next;
  return modelReply();
}

// Another score output or input layout for the current model ({output, layout}).
async function setChoices({ choices }) {
  if (!classifier) throw new Error('no model is loaded');
  kept.release();
  await classifier.setChoices(choices);
  return modelReply();
}

// An `aside` run (another class, a contrastive map) leaves the kept run to the teaching views.
async function explain(request) {
  if (!classifier) throw new Error('no model is loaded');
  if (!request.aside) kept.release();
  await classifier.selectLayer(request.layer);
  const { id } = request;
  const result = await runExplanation(core, classifier, request, {
    ...runHooks(id),
    predictions: (logits, classIndex) => postMessage({ type: 'predictions', id, logits: Array.from(logits), classIndex }),
    keep: request.aside ? undefined : (ex, info) => kept.keep(id, ex, request, info),
  });
  if (result.cancelled) return { type: 'cancelled' };
  return { type: 'result', ...result, batchNote: classifier.batchNote };
}

// One channel of the kept run scored again (teaching-run.js); cancelled like an explanation.
async function probe(request) {
  if (!classifier) throw new Error('no model is loaded');
  const result = await kept.probe(core, request, { classifier, ...runHooks(request.id) });
  return result.cancelled ? { type: 'cancelled' } : { type: 'result', ...result };
}

const lessonLoad = async (request) => ({ type: 'result', ...(await lesson.load(runtime, core, request)) });
async function lessonExplain(request) {
  const result = await lesson.explain(core, request, runHooks(request.id));
  return result.cancelled ? { type: 'cancelled' } : { type: 'result', ...result };
}
const lessonRelease = async () => ({ type: 'result', ...(await lesson.release()) });

// The faithfulness metrics of finished maps (faithfulness-run.js) and, with `road` (its options),
// ROAD of each (road-run.js, its progress marked phase 'road'); cancelled like an explanation.
async function metrics(request) {
  if (!classifier) throw new Error('no model is loaded');
  await classifier.selectLayer(request.layer);
  const hooks = runHooks(request.id);
  const result = await runFaithfulness(core, classifier, request, hooks);
  if (result.cancelled || !request.road) return result.cancelled ? { type: 'cancelled' } : { type: 'result', ...result };
  const progress = (p) => hooks.progress({ ...p, phase: 'road' });
  const road = await runRoad(core, classifier, { ...request, options: request.road }, { ...hooks, progress });
  if (road.cancelled) return { type: 'cancelled' };
  result.metrics.forEach((m, i) => (m.road = road.road[i]));
  result.forwardPasses += road.forwardPasses;
  result.timings.totalMs += road.timings.totalMs;
  return { type: 'result', ...result };
}

// The sanity checks (sanity-run.js): a map per randomised copy of the model, each posted as done.
async function sanity(request) {
  if (!classifier) throw new Error('no model is loaded');
  await classifier.selectLayer(request.layer);
  const { id } = request;
  const stage = (s) => postMessage({ type: 'stage', id, ...s });
  const result = await runSanity(core, classifier, request, { ...runHooks(id), stage });
  return result.cancelled ? { type: 'cancelled' } : { type: 'result', ...result };
}

const teaching = async (request) => ({ type: 'result', ...kept.query(core, request) });

const handlers = {
  init,
  'load-model': loadModel,
  'set-choices': setChoices,
  explain,
  metrics,
  sanity,
  teaching,
  probe,
  'lesson-load': lessonLoad,
  'lesson-explain': lessonExplain,
  'lesson-release': lessonRelease,
};

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
  // The teaching views read the kept run without a forward pass: no need to wait for a run.
  if (data.type === 'teaching') handle(data);
  else queue = queue.then(() => handle(data));
};
