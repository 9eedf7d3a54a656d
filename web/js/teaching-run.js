// The last finished explanation, kept alive in the worker for the teaching views (js/views/):
// they read it with the core's teaching calls (wasm/bind_teaching.cpp) and may re-score one of
// its channels with other options (ChannelProbe, N forward passes, cancelled like a run). It is
// freed when the next run starts or the model changes; its batch buffer is freed at once.

import { inputError } from './errors.js';
import { PROGRESS_INTERVAL_MS } from './progress.js';

// The inputs of some of a probe's passes, as images: [{step, image}].
function stepImages(probe, steps, preprocess) {
  return steps.filter((i) => i < probe.totalPasses()).map((step) => ({ step, image: probe.image(step, preprocess) }));
}

export class KeptRun {
  #run = null; // {id, ex, methods, preprocess, classIndex, contrast, batch, shapes}

  // Takes over a finished run's explainer (explain-run.js's keep hook).
  keep(id, ex, request, { shapes, classIndex, contrast = -1 }) {
    this.release();
    ex.releaseBatch();
    this.#run = { id, ex, methods: request.methods, preprocess: request.preprocess, classIndex, contrast, batch: request.batch, shapes };
    return true;
  }

  release() {
    this.#run?.ex.delete();
    this.#run = null;
  }

  #current(runId) {
    if (!this.#run || this.#run.id !== runId)
      throw inputError('this run is no longer in memory (a newer run or another model replaced it): explain again');
    return this.#run;
  }

  // What a view reads of the run (no forward pass): request {runId, what, …}.
  query(core, { runId, what, method, count, channels, channel, imageSteps }) {
    const { ex, preprocess } = this.#current(runId);
    switch (what) {
      case 'channels':
        return core.teachingChannels(ex, method);
      case 'build-up':
        return { map: core.teachingBuildUp(ex, method, count) };
      case 'cells':
        return {
          cells: channels.map((k) => {
            const { activation, masked } = core.teachingChannel(ex, k, preprocess);
            return { channel: k, activation, masked };
          }),
        };
      case 'passes': {
        // The scores the run was told; the inputs of the steps to draw written again by a probe
        // with the run's options, which repeats the run's inputs exactly (no pass is run).
        const passes = core.teachingPasses(ex, method, channel, preprocess, 0);
        const probe = new core.ChannelProbe(ex, method, channel, {}, 1);
        try {
          return { ...passes, images: stepImages(probe, imageSteps, preprocess) };
        } finally {
          probe.delete();
        }
      }
      default:
        throw new Error(`unknown teaching query '${what}'`);
    }
  }

  // One channel scored again by `method` with `options` ({sscamSigma, sscamSamples, seed,
  // iscamSamples}; the run's where left out). request {runId, method, channel, options, imageSteps}.
  // hooks: {classifier, progress({done, total}), cancelled() → bool, yieldToEvents() → Promise}.
  // Returns {cancelled: true} or the probe's result with the inputs of imageSteps as images.
  async probe(core, { runId, method, channel, options, imageSteps }, hooks) {
    const { ex, preprocess, classIndex, contrast, batch, shapes } = this.#current(runId);
    const { classifier } = hooks;
    const probe = new core.ChannelProbe(ex, method, channel, options, Math.min(batch, classifier.maxBatch));
    try {
      const perInput = shapes.C * shapes.H * shapes.W;
      const total = probe.totalPasses();
      let done = 0;
      let lastPost = -Infinity;
      while (!probe.done()) {
        if (hooks.cancelled()) return { cancelled: true };
        const inputs = probe.nextBatch();
        const n = inputs.length / perInput;
        probe.tell(await classifier.classScores(inputs, n, classIndex, contrast));
        done += n;
        if (performance.now() - lastPost >= PROGRESS_INTERVAL_MS) {
          hooks.progress({ done, total });
          lastPost = performance.now();
        }
        await hooks.yieldToEvents();
      }
      return { ...probe.result(), images: stepImages(probe, imageSteps, preprocess), forwardPasses: total };
    } finally {
      probe.delete();
    }
  }
}
