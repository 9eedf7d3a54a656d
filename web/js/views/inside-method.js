// "Inside the method": the run's channels ranked by weight, each with its activation map Ā_k, its
// masked input U_k ⊙ X, its score s_k and weight w_k; the baseline score b; and the map built up
// channel by channel (highest weight first) with step and play controls. Everything is read from
// the kept run (teaching-run.js); clicking a channel picks it for the path and noise views.
import { infoButton } from '../explanations.js';
import { drawImage } from '../overlay.js';
import { methodTitle } from '../settings.js';
import { element, formatNumber, formatSigned, imageCanvas, mapImage } from './dom.js';
import { buildUpSchedule } from './steps.js';
import { TeachingView } from './view-base.js';

const PAGE = 12; // channels shown at first, and added by "Show more"
const PLAY_STEP_MS = 450;

function term(text, key) {
  return element('span', { className: 'term' }, text, infoButton(key).wrap);
}

export class InsideMethod extends TeachingView {
  #method = null;
  #ranked = null; // teachingChannels of #method
  #grid = null;
  #more = null;
  #buildUp = null; // {canvas, slider, text, play, map, n, token, playing}

  constructor(ctx) {
    super(ctx, { id: 'inside-method', title: 'Inside the method: every channel’s mask, score and weight' });
  }

  onReset() {
    if (this.#buildUp) this.#buildUp.playing = false;
    this.#buildUp = null;
    this.#grid = null;
    this.#ranked = null;
  }

  async load(current) {
    const { run } = this.ctx;
    if (!run.methods.includes(this.#method)) this.#method = this.ctx.rankingMethod;
    const ranked = await this.ctx.channels(this.#method);
    if (!current()) return;
    this.#ranked = ranked;
    this.#grid = element('ol', { className: 'channel-grid', id: 'channel-grid' });
    this.#more = element('button', { type: 'button', className: 'channel-more', textContent: `Show ${PAGE} more channels` });
    this.#more.addEventListener('click', () => this.#showMore(this.currentToken()));
    this.body.replaceChildren(
      ...this.#methodChoice(run),
      this.#facts(ranked, run),
      this.#buildUpBlock(ranked, current),
      element('h3', { textContent: 'The channels, highest weight first' }),
      element(
        'p',
        { className: 'hint' },
        'Each card: ',
        term('the activation map Ā_k', 'activation'),
        ' (left, the layer’s own grid), ',
        term('the masked input U_k ⊙ X', 'masked'),
        ' (right), ',
        term('the score s_k', 'score'),
        ' and ',
        term('the weight w_k', 'weight'),
        '. Pick a card to follow that channel in IS-CAM’s path and SS-CAM’s noise below.',
      ),
      this.#grid,
      this.#more,
    );
    await Promise.all([this.#showBuildUp(ranked.channels.length, current), this.#showMore(current)]);
  }

  #methodChoice(run) {
    if (run.methods.length < 2) return [];
    const id = 'inside-method-choice';
    const select = element(
      'select',
      { id },
      ...run.methods.map((m) => element('option', { value: m, textContent: methodTitle(m) })),
    );
    select.value = this.#method;
    select.addEventListener('change', () => {
      this.#method = select.value;
      this.reload();
    });
    return [element('div', { className: 'channel-picker' }, element('label', { htmlFor: id, textContent: 'Scores and weights of' }), select)];
  }

  #facts(ranked, run) {
    const predicted = ranked.predicted ?? 0;
    const scored = ranked.channels.length - predicted;
    const parts = [`${ranked.channelCount} channels of ${ranked.height}×${ranked.width} at the target layer: ${scored} scored`];
    if (predicted > 0) parts.push(`${predicted} with scores predicted from one screening pass each (fast mode, screening)`);
    if (ranked.skipped > 0) parts.push(`${ranked.skipped} never fire on this image (all zero: no forward pass, weight 0)`);
    if (ranked.leftOut > 0) parts.push(`${ranked.leftOut} left out by fast mode (weight 0, not listed)`);
    const facts = element(
      'div',
      { className: 'teaching-facts' },
      element(
        'p',
        { className: 'baseline', id: 'teaching-baseline' },
        term('Baseline b', 'baseline'),
        ` = f(X) for “${run.label}” on the whole image: `,
        element('strong', { textContent: formatNumber(ranked.baseline) }),
        `. ${methodTitle(this.#method)} scores every channel against it.`,
      ),
      element('p', { id: 'teaching-channel-count' }, `${parts.join('; ')}.`),
    );
    facts.dataset.baseline = String(ranked.baseline);
    return facts;
  }

  // ---- the map, channel by channel -------------------------------------------------------------

  #buildUpBlock(ranked, current) {
    const count = ranked.channels.length;
    const canvas = element('canvas', { id: 'build-up-canvas', className: 'build-up-canvas' });
    canvas.setAttribute('role', 'img');
    const slider = element('input', { type: 'range', id: 'build-up-count', min: 0, max: count, step: 1, value: count });
    const text = element('p', { id: 'build-up-text', className: 'build-up-text' });
    text.setAttribute('aria-live', 'polite');
    const fewer = element('button', { type: 'button', id: 'build-up-fewer', textContent: '◀ One fewer' });
    const more = element('button', { type: 'button', id: 'build-up-more', textContent: 'One more ▶' });
    const play = element('button', { type: 'button', id: 'build-up-play', textContent: '▶ Play' });
    play.setAttribute('aria-pressed', 'false');
    this.#buildUp = { canvas, slider, text, play, map: null, n: count, token: 0, playing: false };
    slider.addEventListener('input', () => this.#showBuildUp(Number(slider.value), current));
    fewer.addEventListener('click', () => this.#showBuildUp(Math.max(0, this.#buildUp.n - 1), current));
    more.addEventListener('click', () => this.#showBuildUp(Math.min(count, this.#buildUp.n + 1), current));
    play.addEventListener('click', () => (this.#buildUp.playing ? this.#pause() : this.#play(count, current)));
    return element(
      'div',
      { className: 'build-up' },
      element('h3', {}, term('The map, channel by channel', 'buildUp')),
      element('div', { className: 'build-up-row' },
        element('figure', { className: 'panel build-up-figure' }, canvas),
        element(
          'div',
          { className: 'build-up-controls' },
          element('label', { htmlFor: 'build-up-count', textContent: 'Channels in the map' }),
          slider,
          element('div', { className: 'build-up-buttons' }, fewer, play, more),
          text,
        ),
      ),
    );
  }

  async #showBuildUp(n, current) {
    const b = this.#buildUp;
    if (!b || !current()) return;
    b.n = n;
    b.slider.value = String(n);
    const token = ++b.token;
    const { map } = await this.ctx.query({ what: 'build-up', method: this.#method, count: n });
    if (!current() || token !== b.token) return;
    b.map = map;
    const weights = this.#ranked.channels.slice(0, n).reduce((sum, c) => sum + c.weight, 0);
    const count = this.#ranked.channels.length;
    b.text.textContent =
      n === count
        ? `All ${count} scored channels: the final map.`
        : `The ${n} channel${n === 1 ? '' : 's'} of highest weight (together w = ${formatNumber(weights)}) of ${count}.`;
    b.canvas.dataset.count = String(n);
    this.#drawBuildUp();
  }

  async #play(count, current) {
    const b = this.#buildUp;
    const schedule = buildUpSchedule(count);
    let i = b.n >= count ? 0 : schedule.findIndex((n) => n > b.n);
    b.playing = true;
    b.play.textContent = '❚❚ Pause';
    b.play.setAttribute('aria-pressed', 'true');
    while (b.playing && current() && i >= 0 && i < schedule.length) {
      await this.#showBuildUp(schedule[i++], current);
      if (i < schedule.length) await new Promise((resolve) => setTimeout(resolve, PLAY_STEP_MS));
    }
    if (b === this.#buildUp) this.#pause();
  }

  #pause() {
    const b = this.#buildUp;
    b.playing = false;
    b.play.textContent = '▶ Play';
    b.play.setAttribute('aria-pressed', 'false');
  }

  // A colour map or opacity change: the build-up and the activation maps are drawn again.
  redraw() {
    this.#drawBuildUp();
    if (!this.#grid || !this.#ranked) return;
    const { core } = this.ctx;
    const { colormap } = this.ctx.display();
    for (const item of this.#grid.children) {
      if (item.colormap === colormap) continue; // an opacity change: the activations have none
      const old = item.querySelector('canvas.activation');
      const image = mapImage(core, item.activation, this.#ranked.height, this.#ranked.width, colormap);
      old.replaceWith(imageCanvas(core, image, old.getAttribute('aria-label'), 'activation'));
      item.colormap = colormap;
    }
  }

  #drawBuildUp() {
    const b = this.#buildUp;
    if (!b?.map) return;
    const { colormap, opacity } = this.ctx.display();
    const { base, label } = this.ctx.run;
    const { height, width } = this.#ranked;
    drawImage(this.ctx.core, b.canvas, this.ctx.core.overlayImage(b.map, height, width, base, colormap, opacity));
    b.canvas.setAttribute('aria-label', `${methodTitle(this.#method)} map of “${label}” from ${b.n} of ${this.#ranked.channels.length} channels`);
  }

  // ---- the grid ----------------------------------------------------------------------------------

  async #showMore(current) {
    if (!current()) return;
    const shown = this.#grid.children.length;
    const next = this.#ranked.channels.slice(shown, shown + PAGE);
    if (next.length === 0) return;
    this.#more.disabled = true;
    const { cells } = await this.ctx.query({ what: 'cells', channels: next.map((c) => c.channel) });
    if (!current()) return;
    const colormap = this.ctx.display().colormap;
    cells.forEach((cell, i) => this.#grid.append(this.#card(next[i], shown + i + 1, cell, colormap)));
    const left = this.#ranked.channels.length - this.#grid.children.length;
    this.#more.hidden = left === 0;
    this.#more.disabled = false;
    this.#more.textContent = `Show ${Math.min(PAGE, left)} more channels (${left} left)`;
  }

  #card({ channel, score, weight }, rank, cell, colormap) {
    const { core } = this.ctx;
    const { height, width } = this.#ranked;
    const activation = imageCanvas(core, mapImage(core, cell.activation, height, width, colormap), `activation map of channel ${channel}`, 'activation');
    const masked = imageCanvas(core, cell.masked, `the input masked by channel ${channel}`, 'masked');
    const button = element(
      'button',
      { type: 'button', className: 'channel-cell' },
      element('span', { className: 'cell-images' }, activation, masked),
      element('span', { className: 'cell-title', textContent: `#${rank} · channel ${channel}` }),
      element('span', { className: 'cell-numbers' }, `s = ${formatSigned(score)}`, element('br'), `w = ${formatNumber(weight)}`),
    );
    button.setAttribute('aria-label', `Rank ${rank}: channel ${channel}, score ${formatSigned(score)}, weight ${formatNumber(weight)}. Pick it.`);
    button.setAttribute('aria-pressed', String(channel === this.ctx.picked));
    button.addEventListener('click', () => this.ctx.pick(channel));
    const item = element('li', {}, button);
    Object.assign(item.dataset, { channel: String(channel), score: String(score), weight: String(weight) });
    item.activation = cell.activation; // for a colour map change
    item.colormap = colormap;
    return item;
  }

  picked(channel) {
    for (const item of this.#grid?.children ?? [])
      item.querySelector('button').setAttribute('aria-pressed', String(Number(item.dataset.channel) === channel));
  }
}
