// An ONNX image classifier prepared for explaining, in the worker: the core reads the model
// bytes and makes the engine models (float32 N×C×H×W in, float32 scores and layers out: see
// core/model_adapter.h), ONNX Runtime Web runs them. The steps are the native Classifier's, and
// so are the checks on every shape ONNX Runtime returns. An int8 model also gets its float form
// (core/onnx_dequantize.h): ONNX Runtime Web's int8 kernels can be slower than its float ones, so
// each layer's session is the form measured faster, and `form` says which one runs.

import { inputError, onnxRuntimeMessage } from './errors.js';

const BATCH_NOTE = "the model's graph fixes the batch size to 1, so masked inputs run one at a time";
export const EXTERNAL_DATA_MESSAGE =
  'this model keeps its weights in a separate file (ONNX external data), which a web page cannot open beside it. ' +
  "Re-save it as one file (Python: onnx.save(onnx.load('model.onnx'), 'one-file.onnx')), or use the native iscam command";

function product(dims) {
  return dims.reduce((a, b) => a * b, 1);
}

// float32 values of an output: float16 (as raw halves in a Uint16Array) and float64 converted.
function floatData(tensor) {
  if (tensor.type === 'float32') return tensor.data;
  if (tensor.type === 'float64') return Float32Array.from(tensor.data);
  if (tensor.type !== 'float16') return null;
  const halves = tensor.data;
  if (!(halves instanceof Uint16Array)) return Float32Array.from(halves); // a Float16Array
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; ++i) {
    const h = halves[i];
    const exponent = (h >> 10) & 0x1f;
    const mantissa = h & 0x3ff;
    const magnitude =
      exponent === 0 ? mantissa * 2 ** -24 : exponent === 31 ? (mantissa ? NaN : Infinity) : (1 + mantissa / 1024) * 2 ** (exponent - 15);
    out[i] = h & 0x8000 ? -magnitude : magnitude;
  }
  return out;
}

export class Classifier {
  // bytes: Uint8Array of the .onnx file; probeSize: [H, W] for a model whose input size is
  // symbolic; choices: {output, layout, tokens, grid, layerLayout} ('' or absent = by rule; the
  // last three say how target layers are read, as the sidecar's tokens, grid and layer_layout).
  static async load(runtime, core, bytes, probeSize, choices = {}) {
    const graph = new core.OnnxModel(bytes);
    let floatGraph = null;
    try {
      const classifier = new Classifier(runtime, core, graph, probeSize);
      if (graph.isQuantized()) {
        try {
          floatGraph = new core.OnnxModel(graph.floatForm());
          classifier.#floatGraph = floatGraph;
        } catch (e) {
          classifier.#floatNote = `int8 only: ${e.message}`;
        }
      }
      await classifier.setChoices(choices);
      return classifier;
    } catch (e) {
      floatGraph?.delete();
      graph.delete();
      throw e;
    }
  }

  #runtime;
  #core;
  #graph;
  #probeSize;
  #session = null;
  #layer = '';
  #layerChoices = {};
  #defaultIndex = -1;
  #defaultProblem = '';
  #floatGraph = null; // the float form of an int8 model, else null
  #floatPlan = null;
  #floatNote = ''; // why an int8 model has no float form
  #active = null; // {graph, plan} of the form the session runs
  #itemShape = []; // C×H×W of the inputs being explained

  constructor(runtime, core, graph, probeSize) {
    this.#runtime = runtime;
    this.#core = core;
    this.#graph = graph;
    this.#probeSize = probeSize;
    this.plan = null;
    this.layers = [];
    this.classCount = 0;
    this.maxBatch = 1;
    this.batchNote = '';
    this.form = null; // for an int8 model: {ran: 'float32' or 'int8', int8MsPerPass, float32MsPerPass, note}
  }

  get layer() {
    return this.#layer;
  }

  get input() {
    return this.plan.input;
  }

  // Analyses the model with these choices and probes its layers; on failure the previous state stays.
  async setChoices(choices) {
    const previous = { plan: this.plan, layers: this.layers, classCount: this.classCount };
    const previousLayerChoices = this.#layerChoices;
    try {
      // How layers are read stays as loaded unless these choices say otherwise (another output keeps it).
      const given = ['tokens', 'grid', 'layerLayout'].filter((key) => choices[key] !== undefined);
      this.#layerChoices = { ...this.#layerChoices, ...Object.fromEntries(given.map((key) => [key, choices[key]])) };
      const c = { output: choices.output ?? '', layout: choices.layout ?? '', ...this.#layerChoices };
      this.plan = this.#graph.analyse(c);
      this.#floatPlan = this.#floatGraph ? this.#analyseFloatForm(c) : null;
      if (this.plan.externalData) throw inputError(EXTERNAL_DATA_MESSAGE);
      const { channels, height, width } = this.plan.input;
      if (channels !== 1 && channels !== 3)
        throw inputError(`the model takes ${channels} input channels; an image gives 1 (gray) or 3 (RGB)`);
      this.probeShape = [1, channels, height > 0 ? height : this.#probeSize[0], width > 0 ? width : this.#probeSize[1]];
      await this.#releaseSession();
      this.classCount = 0;
      await this.#probe();
    } catch (e) {
      Object.assign(this, previous);
      this.#layerChoices = previousLayerChoices;
      throw e;
    }
  }

  // The float form's plan for these choices; a float form the core cannot plan is dropped.
  #analyseFloatForm(choices) {
    try {
      return this.#floatGraph.analyse(choices);
    } catch (e) {
      this.#floatGraph.delete();
      this.#floatGraph = null;
      this.#floatNote = `int8 only: ${e.message}`;
      return null;
    }
  }

  async #createSession(bytes) {
    const { ort, executionProviders } = this.#runtime;
    try {
      return await ort.InferenceSession.create(bytes, { executionProviders, graphOptimizationLevel: 'all' });
    } catch (e) {
      throw new Error(`ONNX Runtime cannot load this model: ${onnxRuntimeMessage(e)}`);
    }
  }

  #checkInput(shape, values) {
    const { channels, height, width } = this.plan.input;
    const fits =
      shape.length === 4 &&
      shape[1] === channels &&
      (height < 0 || shape[2] === height) &&
      (width < 0 || shape[3] === width) &&
      product(shape) === values;
    if (!fits) throw inputError(`the model takes inputs of ${channels} channels, not ${shape.join('×')}`);
  }

  async #run(session, data, shape, fetches) {
    this.#checkInput(shape, data.length);
    const { ort } = this.#runtime;
    const feeds = { [this.#runningPlan.engineInput]: new ort.Tensor('float32', data, shape) };
    try {
      return await session.run(feeds, fetches);
    } catch (e) {
      throw new Error(`ONNX Runtime failed to run the model: ${onnxRuntimeMessage(e)}`);
    }
  }

  // The score rows of a batch of n: the output must hold n × classes values ([n, …] for n > 1).
  #scores(tensor, n) {
    const data = floatData(tensor);
    const what = `the score tensor '${this.plan.score.tensor}'`;
    if (!data) throw inputError(`${what} is ${tensor.type}, not float`);
    const ok = n === 1 || (tensor.dims[0] === n && data.length % n === 0);
    const classes = ok ? data.length / n : 0;
    if (!ok || classes === 0 || (this.classCount && classes !== this.classCount))
      throw inputError(`${what} has shape ${tensor.dims.join('×')} for a batch of ${n}`);
    this.classCount = classes;
    return data;
  }

  // Runs the model once on zeros with every probe tensor exposed; keeps the layers the core
  // offers (core/layer_reading.h), with the default it picks.
  async #probe() {
    const probes = this.plan.probes;
    // Nothing to probe is the model's shape, not a run for ONNX Runtime to refuse.
    if (probes.length === 0)
      throw inputError('the model has no tensor that could be a target layer (no convolution, activation, pooling or DequantizeLinear output)');
    const session = await this.#createSession(this.#graph.engineModel(probes.map((p) => p.name), false));
    try {
      const exposed = probes.filter((p) => session.outputNames.includes(this.#graph.engineLayer(p.name)));
      const names = exposed.map((p) => this.#graph.engineLayer(p.name));
      const outputs = await this.#run(session, new Float32Array(product(this.probeShape)), this.probeShape, [
        this.plan.engineScore,
        ...names,
      ]);
      this.#scores(outputs[this.plan.engineScore], 1);
      const probed = exposed
        .map((p, i) => ({ ...p, tensor: outputs[names[i]] }))
        .filter(({ tensor }) => floatData(tensor))
        .map(({ name, op, type, quantized, tensor }) => ({ name, op, type, quantized, shape: Array.from(tensor.dims) }));
      // The core decides how each is read (maps, channels-last, token grid) and the default.
      const [, , height, width] = this.probeShape;
      const read = this.#graph.readLayers(probed, height, width);
      const byName = new Map(probed.map((p) => [p.name, p]));
      // shape: 1×K×h×w as read (the raw shape for a layer only an override reads)
      this.layers = read.layers.map(({ name, shape, reading, problem }) => ({
        ...byName.get(name),
        rawShape: shape,
        shape: reading ? [1, reading.channels, reading.height, reading.width] : shape,
        reading: reading ? reading.description : '',
        problem,
      }));
      this.#defaultIndex = read.defaultIndex;
      this.#defaultProblem = read.defaultProblem;
    } finally {
      await session.release();
    }
    if (this.#defaultIndex < 0)
      throw inputError(this.#defaultProblem || 'the model has no layer that reads as maps of the input, so there is nothing to explain');
  }

  get defaultLayer() {
    return this.layers[this.#defaultIndex].name;
  }

  // The plan of the form the session runs (the model's own until a layer is selected).
  get #runningPlan() {
    return this.#active?.plan ?? this.plan;
  }

  // The explain session for a layer: that layer exposed and, where the graph allows, batches;
  // for an int8 model, in the form that runs a pass faster.
  async selectLayer(layer) {
    if (layer === this.#layer) return;
    if (!this.layers.some((l) => l.name === layer)) throw inputError(`'${layer}' is not a candidate target layer of this model`);
    await this.#releaseSession();
    this.#active = { graph: this.#graph, plan: this.plan };
    this.#session = await this.#createSession(this.#graph.engineModel([layer], true));
    this.maxBatch = this.#core.limits().maxBatch;
    this.batchNote = '';
    try {
      const shape = [2, ...this.probeShape.slice(1)];
      const out = await this.#run(this.#session, new Float32Array(product(shape)), shape, [this.plan.engineScore]);
      const scores = out[this.plan.engineScore];
      if (scores.dims.length < 2 || scores.dims[0] !== 2) throw new Error('batch dimension not carried through');
    } catch {
      await this.#releaseSession();
      this.#active = { graph: this.#graph, plan: this.plan };
      this.#session = await this.#createSession(this.#graph.engineModel([layer], false));
      this.maxBatch = 1;
      this.batchNote = BATCH_NOTE;
    }
    this.#layer = layer;
    if (this.#floatGraph) await this.#chooseForm(layer);
    else if (this.#floatNote) this.form = { ran: 'int8', note: this.#floatNote };
  }

  // Times a pass of the int8 session and of the float form's, keeps the faster one.
  async #chooseForm(layer) {
    const int8 = { session: this.#session, active: this.#active };
    const int8Ms = await this.measurePass(2);
    const active = { graph: this.#floatGraph, plan: this.#floatPlan };
    let session;
    try {
      session = await this.#createSession(this.#floatGraph.engineModel([layer], this.maxBatch > 1));
    } catch (e) {
      this.form = { ran: 'int8', int8MsPerPass: int8Ms, note: `the float form does not load: ${e.message}` };
      return;
    }
    this.#session = session;
    this.#active = active;
    const floatMs = await this.measurePass(2);
    const floatFaster = floatMs < int8Ms;
    await (floatFaster ? int8.session : session).release();
    if (!floatFaster) {
      this.#session = int8.session;
      this.#active = int8.active;
    }
    this.form = { ran: floatFaster ? 'float32' : 'int8', int8MsPerPass: int8Ms, float32MsPerPass: floatMs, note: '' };
  }

  // Milliseconds a forward pass takes in batches of up to 8 (after one untimed run; the fastest
  // of `runs` batches), for ETAs and the choice of form.
  async measurePass(runs = 1) {
    const n = Math.min(8, this.maxBatch);
    const shape = [n, ...this.probeShape.slice(1)];
    const zeros = new Float32Array(product(shape));
    const score = this.#runningPlan.engineScore;
    await this.#run(this.#session, zeros.subarray(0, product(this.probeShape)), this.probeShape, [score]);
    let best = Infinity;
    for (let i = 0; i < runs; ++i) {
      const start = performance.now();
      await this.#run(this.#session, zeros, shape, [score]);
      best = Math.min(best, (performance.now() - start) / n);
    }
    return best;
  }

  // One input ({shape: [1, C, H, W], data}): its logits and the layer's activations, read as
  // 1×K×h×w by the core (channels-last maps and token grids included).
  async forwardWithLayer(input) {
    this.#itemShape = input.shape.slice(1);
    const { graph, plan } = this.#active;
    const engineLayer = graph.engineLayer(this.#layer);
    const out = await this.#run(this.#session, input.data, input.shape, [plan.engineScore, engineLayer]);
    const logits = this.#scores(out[plan.engineScore], 1);
    const activations = out[engineLayer];
    const data = floatData(activations);
    if (!data) throw inputError(`layer '${this.#layer}' is ${activations.type}, not float`);
    const maps = this.#graph.readActivations(this.#layer, Array.from(activations.dims), data, input.shape[2], input.shape[3]);
    return { logits, activations: { dims: maps.dims, data: maps.data } };
  }

  // Every logit of n inputs laid back to back in `batch`: n rows of classCount values (the
  // faithfulness metrics need whole rows for a softmax).
  async batchLogits(batch, n) {
    const score = this.#runningPlan.engineScore;
    const out = await this.#run(this.#session, batch, [n, ...this.#itemShape], [score]);
    return this.#scores(out[score], n);
  }

  // Class `cls` scores of n inputs laid back to back in `batch` (a view the tensor reads directly);
  // with `contrast` (a class, -1 = none) the score is f(·)_cls − f(·)_contrast, as the core defines it.
  async classScores(batch, n, cls, contrast = -1) {
    return this.#core.classScores(await this.batchLogits(batch, n), n, cls, contrast);
  }

  // The layers whose weights the sanity checks re-draw, layer 1 (nearest the output) first:
  // [{node, opType, tensors}] (core/weight_randomisation.h).
  randomisableLayers() {
    return this.#graph.randomisableLayers();
  }

  // This model with the weights of `layers` (numbers as randomisableLayers counts them) re-drawn
  // from `seed`, its layer selected: the same choices, shapes and layers, so it is not probed again.
  async randomised(layers, seed) {
    const graph = new this.#core.OnnxModel(this.#graph.randomised(layers, seed));
    const copy = new Classifier(this.#runtime, this.#core, graph, this.#probeSize);
    try {
      copy.plan = graph.analyse({ output: this.plan.score.output, layout: this.plan.input.layout, ...this.#layerChoices });
      copy.#layerChoices = this.#layerChoices;
      Object.assign(copy, { layers: this.layers, classCount: this.classCount, probeShape: this.probeShape });
      await copy.selectLayer(this.#layer);
      return copy;
    } catch (e) {
      await copy.dispose();
      throw e;
    }
  }

  async #releaseSession() {
    if (this.#session) await this.#session.release();
    this.#session = null;
    this.#active = null;
    this.#layer = '';
    this.form = null;
  }

  async dispose() {
    await this.#releaseSession();
    this.#floatGraph?.delete();
    this.#graph.delete();
  }
}
