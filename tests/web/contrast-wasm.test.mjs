// The contrastive map ("why A and not B?") of the page's path under node equals the map
// recomputed from its definition (docs/math.md): the core's Explainer told f(·)_A − f(·)_B of
// every masked input, each scored by a plain ONNX Runtime session of the model file (not the
// page's Classifier) in the form the page ran (the int8 file or its float form, whichever the
// classifier timed faster). The bundled int8 MobileNet v2 on chelsea, tabby against tiger cat, in
// fast mode (few passes), Score-CAM and IS-CAM.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Classifier } from '../../web/js/classifier.js';
import { runExplanation } from '../../web/js/explain-run.js';
import { resolvePreprocess } from '../../web/js/preprocess.js';
import { loadCore, REPO } from './load-core.mjs';

const MODEL = `${REPO}web/models/mobilenetv2-12-int8.onnx`;
const SIDECAR = JSON.parse(readFileSync(`${REPO}web/models/mobilenetv2-12-int8.json`, 'utf8'));
const TABBY = SIDECAR.labels.indexOf('tabby');
const TIGER_CAT = SIDECAR.labels.indexOf('tiger cat');
const METHODS = ['scorecam', 'iscam'];
const OPTIONS = { iscamSamples: 3, sscamSamples: 1, sscamSigma: 2, seed: 0, channels: 8 };
const BATCH = 16;
const TOLERANCE = 1e-6;

async function runtime() {
  const ort = await import('../../node_modules/onnxruntime-web/dist/ort.node.min.mjs');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return { ort, executionProviders: ['wasm'] };
}

const hooks = { predictions: () => {}, progress: () => {}, cancelled: () => false, yieldToEvents: async () => {} };
let core;
let ort;
let classifier;
let preprocess;

// One classifier for both tests: loading it probes every layer of the model.
before(async () => {
  core = await loadCore();
  const rt = await runtime();
  ort = rt.ort;
  classifier = await Classifier.load(rt, core, new Uint8Array(readFileSync(MODEL)), [224, 224]);
  await classifier.selectLayer(classifier.defaultLayer);
  preprocess = resolvePreprocess(classifier.input, SIDECAR, { preset: 'model' }, (name) => core.preprocessPreset(name));
});
after(() => classifier?.dispose());

const mapsOf = (json) => Object.fromEntries(JSON.parse(json).results.map((r) => [r.method, r.map.flat()]));

function modelBytesAsRun(core, classifier) {
  const bytes = new Uint8Array(readFileSync(MODEL));
  if (classifier.form?.ran !== 'float32') return bytes;
  const graph = new core.OnnxModel(bytes);
  try {
    return graph.floatForm();
  } finally {
    graph.delete();
  }
}

// The definition, step by step: the baseline and every masked input scored as logit A − logit B.
async function mapsFromDefinition(core, ort, classifier, input, a, b) {
  const session = await ort.InferenceSession.create(modelBytesAsRun(core, classifier));
  const [C, H, W] = input.shape.slice(1);
  const difference = async (data, n) => {
    const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', data, [n, C, H, W]) });
    const logits = out[session.outputNames[0]].data;
    const classes = logits.length / n;
    return Float32Array.from({ length: n }, (_, i) => logits[i * classes + a] - logits[i * classes + b]);
  };
  const { activations } = await classifier.forwardWithLayer(input);
  const [, K, h, w] = activations.dims;
  const [baseline] = await difference(input.data, 1);
  const ex = new core.Explainer(METHODS, OPTIONS, { K, h, w, C, H, W }, activations.data, input.data, baseline, BATCH);
  try {
    while (!ex.done()) {
      const batch = ex.nextBatch();
      ex.tell(await difference(batch, batch.length / (C * H * W)));
    }
    return Object.fromEntries(METHODS.map((m) => [m, Array.from(ex.partial(m).map)]));
  } finally {
    ex.delete();
    await session.release();
  }
}

test('the contrastive map (tabby − tiger cat) equals the map recomputed from its definition', async () => {
  assert.ok(TABBY >= 0 && TIGER_CAT >= 0, 'ImageNet names tabby and tiger cat');
  const image = core.decodeImage(readFileSync(`${REPO}web/samples/chelsea.png`));
  const request = { image, preprocess, methods: METHODS, options: OPTIONS, classIndex: TABBY, batch: BATCH, labels: SIDECAR.labels, modelName: 'mobilenet' };
  const page = await runExplanation(core, classifier, { ...request, contrastIndex: TIGER_CAT }, hooks);
  const plain = await runExplanation(core, classifier, request, hooks);
  const json = JSON.parse(page.json);
  assert.equal(json.contrast_class, TIGER_CAT);
  assert.equal(json.contrast_label, 'tiger cat');
  for (const r of json.results) assert.deepEqual([r.class, r.contrast_class, r.contrast_label], [TABBY, TIGER_CAT, 'tiger cat']);

  const expected = await mapsFromDefinition(core, ort, classifier, core.inputTensor(image, preprocess), TABBY, TIGER_CAT);
  const got = mapsOf(page.json);
  const ofA = mapsOf(plain.json);
  for (const m of METHODS) {
    assert.equal(got[m].length, expected[m].length, m);
    const worst = Math.max(...got[m].map((v, i) => Math.abs(v - expected[m][i])));
    const fromA = Math.max(...got[m].map((v, i) => Math.abs(v - ofA[m][i])));
    console.log(`${m}: contrast vs definition ${worst.toExponential(1)}, contrast vs map of tabby alone ${fromA.toFixed(3)}`);
    assert.ok(worst <= TOLERANCE, `${m}: the contrastive map differs from its definition by ${worst}`);
    assert.ok(fromA > 0.01, `${m}: the contrastive map is not just the map of tabby`);
  }
});

test('a contrast needs two different classes in range', async () => {
  const image = core.decodeImage(readFileSync(`${REPO}web/samples/coffee.png`));
  const request = { image, preprocess, methods: ['scorecam'], options: OPTIONS, classIndex: TABBY, batch: BATCH, labels: [], modelName: 'm' };
  await assert.rejects(runExplanation(core, classifier, { ...request, contrastIndex: TABBY }, hooks), /two different classes/);
  await assert.rejects(runExplanation(core, classifier, { ...request, contrastIndex: 1000 }, hooks), /out of range/);
});
