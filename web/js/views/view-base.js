// What the teaching views have in common: a <details> that loads when it is opened and a run is
// there (a newer run or a reset makes older answers stale), the channel picker, and the bar of
// a probe (one channel scored again: progress and Cancel).
import { readableError } from '../errors.js';
import { formatDuration, progressText } from '../progress.js';
import { element, formatNumber, formatSigned } from './dom.js';

export class TeachingView {
  #generation = 0;
  #loaded = false;

  // ctx: the views' TeachingContext (teaching.js); id: the element's; title: the summary's text.
  constructor(ctx, { id, title }) {
    this.ctx = ctx;
    this.body = element('div', { className: 'teaching-body' });
    this.element = element('details', { className: 'teaching-view', id }, element('summary', { textContent: title }), this.body);
    this.element.addEventListener('toggle', () => this.#maybeLoad());
  }

  // A function telling whether answers that arrive now still belong on screen.
  currentToken() {
    const generation = this.#generation;
    return () => generation === this.#generation;
  }

  reset() {
    ++this.#generation;
    this.#loaded = false;
    this.onReset();
    this.element.dataset.state = 'waiting';
    this.body.replaceChildren(element('p', { className: 'hint', textContent: 'Waiting for a finished run.' }));
  }

  runReady() {
    this.#maybeLoad();
  }

  // Loads again (another method or channel chosen inside the view).
  reload() {
    ++this.#generation;
    this.#loaded = false;
    this.onReset();
    this.#maybeLoad();
  }

  #maybeLoad() {
    if (!this.element.open || !this.ready() || this.#loaded) return;
    this.#loaded = true;
    this.#load();
  }

  async #load() {
    const current = this.currentToken();
    this.element.dataset.state = 'loading';
    this.body.replaceChildren(element('p', { className: 'hint', textContent: 'Reading the run…' }));
    try {
      await this.load(current);
      if (current()) this.element.dataset.state = 'ready';
    } catch (error) {
      if (!current()) return;
      this.element.dataset.state = 'error';
      this.body.replaceChildren(element('p', { className: 'note', textContent: readableError(error) }));
    }
  }

  // For the subclasses: ready() says whether there is something to show (a run); load(current)
  // fills this.body; picked(channel) follows the shared channel; redraw() redraws after a colour
  // map or opacity change; onReset() drops running work.
  ready() {
    return Boolean(this.ctx.run);
  }

  async load() {}
  picked() {}
  redraw() {}
  onReset() {}
}

const MAX_LISTED = 100;
let pickers = 0;

// A <select> of the run's scored channels, highest weight first (the first MAX_LISTED).
export function channelPicker(ranked, channel, onChange) {
  const listed = ranked.channels.slice(0, MAX_LISTED);
  if (!listed.some((c) => c.channel === channel)) listed.push(...ranked.channels.filter((c) => c.channel === channel));
  const select = element(
    'select',
    { className: 'channel-select' },
    ...listed.map((c, i) =>
      element('option', { value: String(c.channel), textContent: `channel ${c.channel} · rank ${i + 1} · w ${formatNumber(c.weight)} · s ${formatSigned(c.score)}` }),
    ),
  );
  select.value = String(channel);
  select.addEventListener('change', () => onChange(Number(select.value)));
  const id = `channel-select-${++pickers}`;
  select.id = id;
  const more = ranked.channels.length > MAX_LISTED ? ` (the ${MAX_LISTED} of highest weight of ${ranked.channels.length} scored)` : '';
  return {
    select,
    element: element('div', { className: 'channel-picker' }, element('label', { htmlFor: id, textContent: `Channel${more}` }), select),
  };
}

// The bar of a probe: progress, a text, Cancel.
export class ProbeBar {
  #ctx;
  #id = null;

  constructor(ctx, label) {
    this.#ctx = ctx;
    this.bar = element('progress', { max: 1, value: 0 });
    this.bar.setAttribute('aria-label', label);
    this.text = element('span', { className: 'progress-text' });
    this.text.setAttribute('role', 'status');
    this.cancelButton = element('button', { type: 'button', textContent: 'Cancel', disabled: true, className: 'probe-cancel' });
    this.cancelButton.addEventListener('click', () => {
      this.stop();
      this.text.textContent = 'Cancelled.';
    });
    this.element = element('div', { className: 'run-bar probe-bar' }, this.bar, this.text, this.cancelButton);
  }

  get running() {
    return this.#id !== null;
  }

  // Runs the probe; resolves with its result, or null when cancelled or stopped (errors throw).
  async run(payload) {
    this.stop();
    const started = performance.now();
    const { id, done } = this.#ctx.probe(payload, ({ done: count, total }) => {
      if (this.#id !== id) return;
      this.bar.value = total ? count / total : 0;
      this.text.textContent = progressText({ done: count, total, elapsedMs: performance.now() - started });
    });
    this.#id = id;
    this.bar.value = 0;
    this.cancelButton.disabled = false;
    this.text.textContent = 'Waiting for the model…';
    try {
      const reply = await done;
      if (this.#id !== id || reply.type === 'cancelled') return null;
      this.bar.value = 1;
      this.text.textContent = `${reply.forwardPasses} forward passes in ${formatDuration(performance.now() - started)}`;
      return reply;
    } catch (error) {
      if (this.#id === id) this.text.textContent = `Failed: ${readableError(error)}`;
      throw error;
    } finally {
      if (this.#id === id) {
        this.#id = null;
        this.cancelButton.disabled = true;
      }
    }
  }

  stop() {
    if (this.#id !== null) this.#ctx.cancel(this.#id);
    this.#id = null;
    this.cancelButton.disabled = true;
  }
}
