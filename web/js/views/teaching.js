// "How the method works": the teaching views of the last finished run, each its own module
// (inside-method.js, iscam-path.js, sscam-noise.js). They read the run the worker keeps
// (teaching-run.js) and draw with the core; a view loads when it is opened, so a closed view
// costs nothing. They share the picked channel. page-run.js tells this module when a run starts,
// finishes or is cancelled, nothing more.
import { EXPLANATIONS } from '../explanations.js';
import { element } from './dom.js';
import { InsideMethod } from './inside-method.js';
import { IscamPath } from './iscam-path.js';
import { SscamNoise } from './sscam-noise.js';

// The shared state and the worker, as the views see them.
class TeachingContext {
  run = null; // {id, methods, label, base, options}
  picked = null; // the channel the path and noise views show
  #options;
  #channels = new Map(); // method → Promise of teachingChannels
  #onPick = () => {};

  constructor(options, onPick) {
    this.#options = options;
    this.#onPick = onPick;
  }

  get core() {
    return this.#options.core();
  }

  display() {
    return this.#options.display();
  }

  setRun(run) {
    this.run = run;
    this.picked = null;
    this.#channels.clear();
  }

  // A query of the kept run (no forward pass): resolves with the worker's reply.
  query(payload) {
    const runId = this.run.id;
    return this.#options.client().request('teaching', { ...payload, runId }).done;
  }

  // The channels of the run ranked by `method`'s weights (one query per method).
  channels(method = this.rankingMethod) {
    if (!this.#channels.has(method)) {
      const pending = this.query({ what: 'channels', method });
      pending.catch(() => this.#channels.delete(method));
      this.#channels.set(method, pending);
    }
    return this.#channels.get(method);
  }

  // IS-CAM's ranking where the run has it, else its first method's.
  get rankingMethod() {
    return this.run.methods.includes('iscam') ? 'iscam' : this.run.methods[0];
  }

  // The picked channel, else the run's highest-weighted one (null when none was scored).
  async channel() {
    if (this.picked !== null) return this.picked;
    const { channels } = await this.channels();
    return channels[0]?.channel ?? null;
  }

  pick(channel) {
    this.picked = channel;
    this.#onPick(channel);
  }

  // A channel scored again (N forward passes, queued in the worker): {id, done}; progress({done, total}).
  probe(payload, progress) {
    return this.#options.client().request('probe', { ...payload, runId: this.run.id }, { handlers: { progress } });
  }

  cancel(id) {
    this.#options.client().cancel(id);
  }
}

export class TeachingViews {
  #context;
  #views;
  #note;

  // root: an empty <section>; options: {core(), client(), display() → {colormap, opacity},
  // displayInputs: the controls that change the display}.
  constructor(root, options) {
    this.#context = new TeachingContext(options, (channel) => this.#views.forEach((v) => v.picked(channel)));
    this.#views = [new InsideMethod(this.#context), new IscamPath(this.#context), new SscamNoise(this.#context)];
    this.#note = element('p', { className: 'hint teaching-note', id: 'teaching-note' });
    this.#note.setAttribute('role', 'status');
    root.classList.add('teaching');
    root.setAttribute('aria-labelledby', 'teaching-title');
    root.replaceChildren(
      element('h2', { id: 'teaching-title', textContent: 'How the method works' }),
      element('p', { className: 'hint', textContent: `${EXPLANATIONS.scorecam.text} Open a view to look inside the last run.` }),
      this.#note,
      ...this.#views.map((v) => v.element),
    );
    // 'input' only: a slider and a <select> fire it on every change ('change' would redraw again).
    for (const input of options.displayInputs ?? []) input.addEventListener('input', () => this.#views.forEach((v) => v.redraw()));
    this.clear('The views open after the first explanation.');
  }

  // A run started, was cancelled or failed, or the model changed: the views wait for a finished run.
  clear(message) {
    this.#context.setRun(null);
    this.#note.textContent = message;
    for (const v of this.#views) v.reset();
  }

  // A run finished; run: {id (the explain request's), methods, label (the class), base (the image
  // the page draws maps on), options (the run's N, σ, seed, channels)}.
  showRun(run) {
    this.#context.setRun(run);
    this.#note.textContent = `The views show the last run: ${run.label}.`;
    for (const v of this.#views) v.reset();
    for (const v of this.#views) v.runReady();
  }
}
