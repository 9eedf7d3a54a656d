// Lesson mode's models in the worker: the honest and the shortcut classifier, held by key beside
// the page's own model (which they never replace), explained with the same ask/tell loop. They
// are small (64×64 inputs); the page frees them when the lesson is closed.
import { Classifier } from './classifier.js';
import { runExplanation } from './explain-run.js';

export class LessonModels {
  #models = new Map(); // key → Classifier

  // request {key, bytes, probeSize} → what the page needs of the model.
  async load(runtime, core, { key, bytes, probeSize }) {
    const next = await Classifier.load(runtime, core, new Uint8Array(bytes), probeSize);
    await next.selectLayer(next.defaultLayer);
    await this.#models.get(key)?.dispose();
    this.#models.set(key, next);
    return { input: next.input, layer: next.layer, classCount: next.classCount };
  }

  // request {key, image, preprocess, methods, options, batch}: the map of the top-1 class and
  // the logits. hooks: {progress({done, total}), cancelled, yieldToEvents} (runExplanation's).
  async explain(core, { key, ...request }, hooks) {
    const classifier = this.#models.get(key);
    if (!classifier) throw new Error(`the lesson model '${key}' is not loaded`);
    let logits = null;
    const result = await runExplanation(core, classifier, { ...request, classIndex: -1, labels: [], modelName: key }, {
      ...hooks,
      predictions: (values) => (logits = Array.from(values)),
      progress: ({ done, total }) => hooks.progress({ done, total }),
    });
    if (result.cancelled) return result;
    const { map, height, width } = result.partials[0];
    return { map, height, width, classIndex: result.classIndex, logits, forwardPasses: result.forwardPasses };
  }

  async release() {
    for (const classifier of this.#models.values()) await classifier.dispose();
    this.#models.clear();
  }
}
