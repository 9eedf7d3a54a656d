// The sanity checks and ROAD through the page's path under node (the WASM core's bindings, the
// page's Classifier and sanity-run.js / road-run.js, ONNX Runtime Web's node build) against the
// native CLI (`iscam sanity --json`, `explain --road --json`) on the bundled Fashion model: the same
// seed gives the same re-drawn weights (checked tensor by tensor by scripts/reference_sanity.py),
// the same similarity values and the same ROAD curves, within 1e-5. Bad input is an InputError.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { Classifier } from '../../web/js/classifier.js';
import { runExplanation } from '../../web/js/explain-run.js';
import { resolvePreprocess } from '../../web/js/preprocess.js';
import { runRoad } from '../../web/js/road-run.js';
import { runSanity } from '../../web/js/sanity-run.js';
import { loadCore, REPO } from './load-core.mjs';

const CLI = resolve(REPO, process.env.ISCAM_CLI ?? 'build/native/native/iscam');
const MODEL = `${REPO}web/models/fashion-cnn.onnx`;
const IMAGE = `${REPO}web/samples/fashion-0-ankle-boot.png`;
const LAYER = '/pool2/MaxPool_output_0';
const TOLERANCE = 1e-5;
const SEED = 3;
const OPTIONS = { iscamSamples: 2, sscamSamples: 2, sscamSigma: 2, seed: SEED };
const work = mkdtempSync(join(tmpdir(), 'iscam-sanity-wasm-'));
let core;
let classifier;
let request;

async function runtime() {
  const ort = await import('../../node_modules/onnxruntime-web/dist/ort.node.min.mjs');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return { ort, executionProviders: ['wasm'] };
}

const quiet = { predictions: () => {}, progress: () => {}, stage: () => {}, cancelled: () => false, yieldToEvents: async () => {} };
const inputError = (pattern) => (e) => e instanceof Error && e.name === 'InputError' && pattern.test(e.message);

function cli(...args) {
  execFileSync(CLI, args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

before(async () => {
  core = await loadCore();
  classifier = await Classifier.load(await runtime(), core, new Uint8Array(readFileSync(MODEL)), [28, 28]);
  await classifier.selectLayer(LAYER);
  const sidecar = JSON.parse(readFileSync(MODEL.replace(/\.onnx$/, '.json'), 'utf8'));
  request = {
    image: core.decodeImage(readFileSync(IMAGE)),
    preprocess: resolvePreprocess(classifier.input, sidecar, { preset: 'model' }, (name) => core.preprocessPreset(name)),
    methods: ['scorecam', 'sscam', 'iscam'],
    options: OPTIONS,
    classIndex: -1,
    batch: 32,
    labels: [],
    modelName: MODEL,
    layer: LAYER,
    seed: SEED,
    cascade: true,
  };
});
after(async () => {
  await classifier?.dispose();
  rmSync(work, { recursive: true, force: true });
});

function worstDifference(a, b, what) {
  assert.equal(a.length, b.length, what);
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i])));
}

let largest = 0; // the largest native−WASM difference of a similarity value so far

function assertSimilarityAgrees(what, wasm, native) {
  assert.deepEqual(Object.keys(wasm).sort(), Object.keys(native).sort(), what);
  for (const method of Object.keys(native)) {
    const keys = ['spearman', 'spearman_abs', 'ssim', 'topk'];
    assert.deepEqual(Object.keys(wasm[method]).sort(), [...keys].sort());
    const worst = worstDifference(keys.map((k) => wasm[method][k]), keys.map((k) => native[method][k]), `${what} ${method}`);
    assert.ok(worst <= TOLERANCE, `${what}, ${method}: WASM ${JSON.stringify(wasm[method])}, native ${JSON.stringify(native[method])}`);
    largest = Math.max(largest, worst);
  }
}

test('the re-drawn weights are the reference’s, tensor by tensor, and other layers are untouched', () => {
  const layers = classifier.randomisableLayers();
  assert.deepEqual(layers.map((l) => l.opType), ['Gemm', 'Conv', 'Conv', 'Conv', 'Conv']);
  assert.deepEqual(layers[0], { node: '/fc/Gemm', opType: 'Gemm', tensors: ['fc.weight', 'fc.bias'] });
  for (const [list, seed] of [['1,2', SEED], ['4', 11]]) {
    const path = join(work, `randomised-${list}.onnx`);
    // The bytes ONNX Runtime Web would load; the reference re-draws the tensors from docs/math.md.
    const { OnnxModel } = core;
    const graph = new OnnxModel(new Uint8Array(readFileSync(MODEL)));
    try {
      writeFileSync(path, graph.randomised(list.split(',').map(Number), seed));
    } finally {
      graph.delete();
    }
    const reference = spawnSync('/usr/bin/python3', [
      `${REPO}scripts/reference_sanity.py`, 'weights', MODEL, path, '--seed', String(seed), '--layers', list,
    ], { encoding: 'utf8' });
    assert.equal(reference.status, 0, `layers ${list}: ${reference.stdout}${reference.stderr}`);
  }
});

test('cascading randomisation and the random-logit test: WASM equals `iscam sanity --json`', async () => {
  const out = join(work, 'sanity.json');
  cli('sanity', '-m', MODEL, '-i', IMAGE, '--layer', LAYER, '--method', 'all', '--samples', '2', '--seed', String(SEED), '--json', out);
  const native = JSON.parse(readFileSync(out, 'utf8'));
  const stages = [];
  const progress = [];
  const result = await runSanity(core, classifier, request, { ...quiet, stage: (s) => stages.push(s.kind), progress: (p) => progress.push(p) });
  const wasm = result.json;
  assert.deepEqual(stages, ['original', 'random-logit', 'layer', 'layer', 'layer', 'layer', 'layer']);
  assert.ok(progress.every((p) => p.runs === 7 && p.run < 7) && progress.at(-1).run === 6, 'progress counts the 7 explanations');
  for (const key of ['class', 'methods', 'randomisation', 'seed', 'topk_fraction', 'layer', 'forward_passes'])
    assert.deepEqual(wasm[key], native[key], key);
  assert.equal(wasm.random_logit.class, native.random_logit.class);
  assertSimilarityAgrees('random logit', wasm.random_logit.similarity, native.random_logit.similarity);
  assert.equal(wasm.steps.length, native.steps.length);
  wasm.steps.forEach((step, i) => {
    const { similarity, ...rest } = native.steps[i];
    assert.deepEqual({ ...step, similarity: undefined }, { ...rest, similarity: undefined });
    assertSimilarityAgrees(`layer ${step.layer}`, step.similarity, similarity);
  });
  const final = wasm.steps.at(-1).similarity.iscam.spearman;
  console.log(`fashion-cnn cascading, IS-CAM Spearman: ${wasm.steps.map((s) => s.similarity.iscam.spearman.toFixed(3)).join(' → ')}`);
  console.log(`largest native−WASM difference of a similarity value: ${largest.toExponential(1)}`);
  assert.ok(final < 0.9, 'the map changes once every layer is re-drawn');
});

test('independent randomisation of the top two layers agrees with the CLI’s first two steps', async () => {
  const out = join(work, 'independent.json');
  cli('sanity', '-m', MODEL, '-i', IMAGE, '--layer', LAYER, '--method', 'iscam', '--samples', '2', '--seed', String(SEED), '--independent', '--json', out);
  const native = JSON.parse(readFileSync(out, 'utf8'));
  const { json } = await runSanity(core, classifier, { ...request, methods: ['iscam'], cascade: false, steps: 2 }, quiet);
  assert.equal(json.randomisation, 'independent');
  assert.equal(json.steps.length, 2);
  json.steps.forEach((step, i) => assertSimilarityAgrees(`layer ${step.layer}`, step.similarity, native.steps[i].similarity));
});

test('ROAD: WASM equals `explain --road --json`', async () => {
  const out = join(work, 'road.json');
  cli('explain', '-m', MODEL, '-i', IMAGE, '--layer', LAYER, '--method', 'all', '--samples', '2', '--seed', String(SEED),
    '--road', '--road-percentages', '10,30,50,70,90', '--json', out);
  const native = JSON.parse(readFileSync(out, 'utf8')).results;
  const explained = await runExplanation(core, classifier, request, quiet);
  const road = await runRoad(core, classifier, {
    ...request,
    maps: explained.partials,
    classIndex: explained.classIndex,
    options: { percentages: '10,30,50,70,90', seed: SEED },
  }, quiet);
  assert.equal(road.forwardPasses, 1 + 3 * 10);
  road.road.forEach((r, i) => {
    const cliRoad = native[i].road;
    const { timings_ms: _, ...json } = r.json;
    const { timings_ms: __, ...expected } = cliRoad;
    assert.deepEqual(Object.keys(json).sort(), Object.keys(expected).sort());
    for (const key of ['percentages', 'score', 'noise', 'seed', 'imputation', 'forward_passes']) assert.deepEqual(json[key], expected[key], key);
    const worst = Math.max(
      worstDifference(r.morf, cliRoad.morf_curve, 'MoRF'),
      worstDifference(r.lerf, cliRoad.lerf_curve, 'LeRF'),
      ...['morf_auc', 'lerf_auc', 'morf_mean', 'lerf_mean', 'score_input'].map((k) => Math.abs(json[k] - expected[k])),
    );
    console.log(`ROAD ${r.method}: MoRF AUC ${r.morfAuc.toFixed(4)}, LeRF AUC ${r.lerfAuc.toFixed(4)}, largest native−WASM difference ${worst.toExponential(1)}`);
    assert.ok(worst <= TOLERANCE, `${r.method}: ROAD differs from the CLI's by ${worst}`);
  });
});

test('bad input is an InputError naming what is wrong', async () => {
  const graph = new core.OnnxModel(new Uint8Array(readFileSync(MODEL)));
  try {
    assert.throws(() => graph.randomised([6], 0), inputError(/layer/));
    assert.throws(() => graph.randomised([0], 0), inputError(/count from 1/));
    assert.throws(() => graph.randomised([1], -1), inputError(/seed/));
  } finally {
    graph.delete();
  }
  assert.throws(() => core.randomOtherClass(0, 0, 1), inputError(/2 or more classes/));
  assert.throws(() => core.randomOtherClass(0, 10, 10), inputError(/class 10 is out of range/));
  assert.throws(() => core.compareMaps(new Float32Array(36), new Float32Array(36), 6, 6), inputError(/7/));
  assert.throws(() => core.compareMaps(new Float32Array(49), new Float32Array(48), 7, 7), inputError(/map b/));
  const road = (options) => () =>
    new core.Road(options, { C: 1, H: 2, W: 2 }, new Float32Array(4), new Float32Array(4), { h: 2, w: 2 }, new Float32Array(2), 0, 1);
  assert.throws(road({ percentages: '0,50' }), inputError(/\(0, 100\)/));
  assert.throws(road({ percentages: '50,100' }), inputError(/\(0, 100\)/));
  assert.throws(road({ percentages: '50,20' }), inputError(/increase/));
  assert.throws(road({ score: 'prob' }), inputError(/softmax or logit/));
  await assert.rejects(runSanity(core, classifier, { ...request, steps: 6 }, quiet), inputError(/from 1 to 5/));
  await assert.rejects(runSanity(core, classifier, { ...request, classIndex: 10 }, quiet), /class 10 is out of range/);
});

test('a model with no randomisable layer is refused before any pass', async () => {
  const path = join(work, 'no-weights.onnx');
  execFileSync('/usr/bin/python3', ['-c', `
import onnx
from onnx import TensorProto, helper
nodes = [helper.make_node('Relu', ['input'], ['features']), helper.make_node('GlobalAveragePool', ['features'], ['pooled']),
         helper.make_node('Flatten', ['pooled'], ['logits'])]
x = helper.make_tensor_value_info('input', TensorProto.FLOAT, [1, 3, 8, 8])
y = helper.make_tensor_value_info('logits', TensorProto.FLOAT, None)
model = helper.make_model(helper.make_graph(nodes, 'no-weights', [x], [y]), opset_imports=[helper.make_opsetid('', 13)])
model.ir_version = 7
onnx.save(model, '${path}')
`]);
  const plain = await Classifier.load(await runtime(), core, new Uint8Array(readFileSync(path)), [8, 8]);
  try {
    await plain.selectLayer(plain.defaultLayer);
    let asked = 0;
    await assert.rejects(
      runSanity(core, plain, { ...request, modelName: 'no-weights.onnx', layer: plain.defaultLayer }, { ...quiet, cancelled: () => ++asked > 1e9 }),
      inputError(/^no-weights\.onnx has no randomisable layer/),
    );
    assert.equal(asked, 0);
  } finally {
    await plain.dispose();
  }
});

test('a cancelled run stops between two batches', async () => {
  let asked = 0;
  const result = await runSanity(core, classifier, request, { ...quiet, cancelled: () => ++asked > 3 });
  assert.deepEqual(result, { cancelled: true });
  assert.equal(asked, 4);
});
