// Native and WASM agree: the same model and image through the native CLI (ONNX Runtime C++) and
// through the page's own path under node (the WASM core's decoder and preprocessing, the page's
// Classifier and ask/tell loop, ONNX Runtime Web's node build on its wasm backend), all three
// methods, SS-CAM with the same seed: every map value within 1e-5.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { Classifier } from '../../web/js/classifier.js';
import { runExplanation } from '../../web/js/explain-run.js';
import { resolvePreprocess } from '../../web/js/preprocess.js';
import { layerModel } from './layer-models.mjs';
import { loadCore, REPO } from './load-core.mjs';

const CLI = resolve(REPO, process.env.ISCAM_CLI ?? 'build/native/native/iscam');
const TOLERANCE = 1e-5;
const work = mkdtempSync(join(tmpdir(), 'iscam-native-wasm-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function runtime() {
  const ort = await import('../../node_modules/onnxruntime-web/dist/ort.node.min.mjs');
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return { ort, executionProviders: ['wasm'] };
}

function nativeMaps(model, image, layer, extra) {
  const out = join(work, 'native.json');
  execFileSync(CLI, ['explain', '-m', model, '-i', image, '--layer', layer, '--method', 'all', '--seed', '7', '--json', out, ...extra], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const json = JSON.parse(readFileSync(out, 'utf8'));
  return Object.fromEntries(json.results.map((r) => [r.method, r.map.flat()]));
}

// options: the explainer options over Score-CAM's, SS-CAM's (35, σ 2) and IS-CAM's (10) defaults.
async function wasmMaps(model, image, layer, choice, options = {}) {
  const core = await loadCore();
  const classifier = await Classifier.load(await runtime(), core, new Uint8Array(readFileSync(model)), [224, 224]);
  try {
    await classifier.selectLayer(layer);
    const sidecarPath = model.replace(/\.onnx$/, '.json');
    const sidecar = existsSync(sidecarPath) ? JSON.parse(readFileSync(sidecarPath, 'utf8')) : null;
    const preprocess = resolvePreprocess(classifier.input, sidecar, choice, (name) => core.preprocessPreset(name));
    const request = {
      image: core.decodeImage(readFileSync(image)),
      preprocess,
      methods: ['scorecam', 'sscam', 'iscam'],
      options: { iscamSamples: 10, sscamSamples: 35, sscamSigma: 2, seed: 7, ...options },
      classIndex: -1,
      batch: 32,
      labels: [],
      modelName: model,
    };
    const hooks = { predictions: () => {}, progress: () => {}, cancelled: () => false, yieldToEvents: async () => {} };
    const json = JSON.parse((await runExplanation(core, classifier, request, hooks)).json);
    return Object.fromEntries(json.results.map((r) => [r.method, r.map.flat()]));
  } finally {
    await classifier.dispose();
  }
}

function assertSameMaps(what, native, wasm) {
  assert.deepEqual(Object.keys(wasm).sort(), ['iscam', 'scorecam', 'sscam']);
  for (const method of Object.keys(wasm)) {
    assert.equal(wasm[method].length, native[method].length, method);
    const worst = Math.max(...wasm[method].map((v, i) => Math.abs(v - native[method][i])));
    console.log(`${what}, ${method}: ${wasm[method].length} map values, largest native−WASM difference ${worst.toExponential(1)}`);
    assert.ok(worst <= TOLERANCE, `${method}: native and WASM maps differ by ${worst}`);
  }
}

test('the bundled model: native and WASM maps agree for Score-CAM, SS-CAM and IS-CAM', async () => {
  const model = `${REPO}web/models/fashion-cnn.onnx`;
  const image = `${REPO}web/samples/fashion-0-ankle-boot.png`;
  const layer = '/pool2/MaxPool_output_0';
  assertSameMaps('fashion-cnn', nativeMaps(model, image, layer, []), await wasmMaps(model, image, layer, { preset: 'model' }));
});

// Token and channels-last layers (scripts/make_layer_models.py): the core reads them the same way
// through the WASM bindings as natively.
// Fast mode (a subset of channels scored) on the token layer too.
for (const [name, layer, channels] of [
  ['vit-cls', '/blocks/blocks.1/Add_1_output_0', 0],
  ['vit-cls', '/blocks/blocks.1/Add_1_output_0', 5],
  ['vit-wide', '/blocks/blocks.1/Add_1_output_0', 0],
  ['vit-token-major', '/blocks/blocks.1/Add_1_output_0', 0],
  ['cnn-channels-last', '/stage/act/Relu_output_0', 0],
]) {
  const kind = name.startsWith('vit') ? 'token' : 'channels-last';
  test(`${name}: native and WASM maps agree on a ${kind} layer${channels ? `, fast mode (${channels} channels)` : ''}`, async () => {
    const model = layerModel(name);
    const image = `${REPO}web/samples/chelsea.png`;
    const fast = channels ? ['--channels', String(channels)] : [];
    const native = nativeMaps(model, image, layer, ['--preset', 'imagenet', '--samples', '4', ...fast]);
    const options = { iscamSamples: 4, sscamSamples: 4, ...(channels ? { channels } : {}) };
    assertSameMaps(name, native, await wasmMaps(model, image, layer, { preset: 'imagenet' }, options));
  });
}

test('squeezenet1_1 at 224 on a colour photo: native and WASM maps agree', async () => {
  const model = `${REPO}build/models/squeezenet1_1.onnx`;
  assert.ok(existsSync(model), `missing ${model}: run scripts/export-test-models.sh (scripts/test.sh does)`);
  const image = `${REPO}web/samples/chelsea.png`;
  const layer = '/features/features.3/squeeze/Conv_output_0'; // 16 channels: few passes at 224
  const native = nativeMaps(model, image, layer, ['--preset', 'imagenet', '--samples', '4']);
  assertSameMaps('squeezenet1_1', native, await wasmMaps(model, image, layer, { preset: 'imagenet' }, { iscamSamples: 4, sscamSamples: 4 }));
});

test('squeezenet1_1: native and WASM maps agree in fast mode with screening', async () => {
  const model = `${REPO}build/models/squeezenet1_1.onnx`;
  assert.ok(existsSync(model), `missing ${model}: run scripts/export-test-models.sh (scripts/test.sh does)`);
  const image = `${REPO}web/samples/chelsea.png`;
  const layer = '/features/features.3/squeeze/Conv_output_0';
  const fast = ['--channels', '3', '--select', 'screen', '--screen-channels', '10'];
  const native = nativeMaps(model, image, layer, ['--preset', 'imagenet', '--samples', '4', ...fast]);
  const options = { iscamSamples: 4, sscamSamples: 4, channels: 3, select: 'screen', screenChannels: 10 };
  assertSameMaps('squeezenet1_1, screening', native, await wasmMaps(model, image, layer, { preset: 'imagenet' }, options));
});
