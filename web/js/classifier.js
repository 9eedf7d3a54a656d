// An ONNX image classifier prepared for explaining, in the worker: the core reads and patches
// the model bytes, ONNX Runtime Web runs them. The steps are the native Classifier's.

import { onnxRuntimeMessage } from './errors.js';

const BATCH_NOTE = "the model's graph fixes the batch size to 1, so masked inputs run one at a time";

function product(dims) {
  return dims.reduce((a, b) => a * b, 1);
}

function inputError(message) {
  const e = new Error(message);
  e.name = 'InputError';
  return e;
}

export class Classifier {
  // bytes: Uint8Array of the .onnx file; probeSize: [H, W] for a model whose input size is symbolic.
  static async load(runtime, core, bytes, probeSize) {
    const graph = new core.OnnxModel(bytes);
    try {
      const classifier = new Classifier(runtime, core, graph, probeSize);
      await classifier.#probe();
      return classifier;
    } catch (e) {
      graph.delete();
      throw e;
    }
  }

  #runtime;
  #core;
  #graph;
  #session = null;
  #layer = '';
  #itemShape = []; // C×H×W of the inputs being explained

  constructor(runtime, core, graph, probeSize) {
    this.#runtime = runtime;
    this.#core = core;
    this.#graph = graph;
    this.input = graph.imageInput();
    this.logitsName = graph.outputNames()[0];
    // The probe runs at the model's own size, or `probeSize` where that is symbolic.
    this.probeShape = [
      1,
      this.input.channels,
      this.input.height > 0 ? this.input.height : probeSize[0],
      this.input.width > 0 ? this.input.width : probeSize[1],
    ];
    this.layers = [];
    this.classCount = 0;
    this.maxBatch = 1;
    this.batchNote = '';
  }

  get layer() {
    return this.#layer;
  }

  async #createSession(bytes) {
    const { ort, executionProviders } = this.#runtime;
    try {
      return await ort.InferenceSession.create(bytes, { executionProviders, graphOptimizationLevel: 'all' });
    } catch (e) {
      throw new Error(`ONNX Runtime cannot load this model: ${onnxRuntimeMessage(e)}`);
    }
  }

  async #run(session, data, shape, fetches) {
    const { ort } = this.#runtime;
    const feeds = { [this.input.name]: new ort.Tensor('float32', data, shape) };
    try {
      return await session.run(feeds, fetches);
    } catch (e) {
      throw new Error(`ONNX Runtime failed to run the model: ${onnxRuntimeMessage(e)}`);
    }
  }

  // Runs the model once on zeros with every probe tensor exposed; keeps the 4-D outputs with
  // spatial size > 1 (the last is torch-cam's default target layer).
  async #probe() {
    const probes = this.#graph.probeLayers();
    const session = await this.#createSession(this.#graph.patch(probes.map((p) => p.name), false));
    try {
      const exposed = probes.filter((p) => session.outputNames.includes(p.name));
      const outputs = await this.#run(session, new Float32Array(product(this.probeShape)), this.probeShape, [
        this.logitsName,
        ...exposed.map((p) => p.name),
      ]);
      this.classCount = outputs[this.logitsName].size;
      this.layers = exposed
        .filter((p) => outputs[p.name].type === 'float32')
        .map((p) => ({ name: p.name, op: p.op, shape: Array.from(outputs[p.name].dims) }))
        .filter((l) => this.#core.isCandidateShape(l.shape));
    } finally {
      await session.release();
    }
    if (this.layers.length === 0)
      throw inputError(
        'the model has no layer with a spatial map (no 4-D output with height or width above 1), so there is nothing to explain',
      );
  }

  get defaultLayer() {
    return this.layers.at(-1).name;
  }

  // The explain session for a layer: that layer exposed and, where the graph allows, batches.
  async selectLayer(layer) {
    if (layer === this.#layer) return;
    if (!this.layers.some((l) => l.name === layer)) throw inputError(`'${layer}' is not a candidate target layer of this model`);
    await this.#releaseSession();
    this.#session = await this.#createSession(this.#graph.patch([layer], true));
    this.maxBatch = 4096;
    this.batchNote = '';
    try {
      const shape = [2, ...this.probeShape.slice(1)];
      const out = await this.#run(this.#session, new Float32Array(product(shape)), shape, [this.logitsName]);
      if (out[this.logitsName].dims[0] !== 2) throw new Error('batch dimension not carried through');
    } catch {
      await this.#releaseSession();
      this.#session = await this.#createSession(this.#graph.patch([layer], false));
      this.maxBatch = 1;
      this.batchNote = BATCH_NOTE;
    }
    this.#layer = layer;
  }

  // One input ({shape: [1, C, H, W], data}): its logits and the layer's activations (1×K×h×w).
  async forwardWithLayer(input) {
    this.#itemShape = input.shape.slice(1);
    const out = await this.#run(this.#session, input.data, input.shape, [this.logitsName, this.#layer]);
    const activations = out[this.#layer];
    if (activations.dims.length !== 4)
      throw inputError(`layer '${this.#layer}' is not a 4-D tensor (N×K×h×w), it has ${activations.dims.length} dimensions`);
    return { logits: out[this.logitsName].data, activations: { dims: Array.from(activations.dims), data: activations.data } };
  }

  // Class `cls` scores of n inputs laid back to back in `batch` (a view the tensor reads directly).
  async classScores(batch, n, cls) {
    const out = await this.#run(this.#session, batch, [n, ...this.#itemShape], [this.logitsName]);
    const logits = out[this.logitsName].data;
    const stride = logits.length / n;
    const scores = new Float32Array(n);
    for (let i = 0; i < n; ++i) scores[i] = logits[i * stride + cls];
    return scores;
  }

  async #releaseSession() {
    if (this.#session) await this.#session.release();
    this.#session = null;
    this.#layer = '';
  }

  async dispose() {
    await this.#releaseSession();
    this.#graph.delete();
  }
}
