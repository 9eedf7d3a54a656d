// What the path and noise views have in common: one channel of the run, the shared picked one,
// with a channel picker and a probe bar; the channel asked for last is the one shown.
import { infoButton } from '../explanations.js';
import { element } from './dom.js';
import { ProbeBar, TeachingView, channelPicker } from './view-base.js';

export class ChannelView extends TeachingView {
  #texts;
  #shown = 0; // the latest channel asked for wins
  probe = null;

  // texts: {info: the explanation's key, intro: what the view shows, nothing: what there is
  // not to show when no channel was scored, progress: the probe bar's label}.
  constructor(ctx, { id, title, ...texts }) {
    super(ctx, { id, title });
    this.#texts = texts;
  }

  onReset() {
    this.probe?.stop();
    this.probe = null;
  }

  async load(current) {
    const ranked = await this.ctx.channels();
    const channel = await this.ctx.channel();
    if (!current()) return;
    const { info, intro, nothing, progress } = this.#texts;
    const explain = element('p', { className: 'hint' }, infoButton(info).wrap, ` ${intro}`);
    if (channel === null) {
      this.body.replaceChildren(explain, element('p', { className: 'note', textContent: `No channel of this run was scored, so there is no ${nothing} to show.` }));
      return;
    }
    this.probe = new ProbeBar(this.ctx, progress);
    const picker = channelPicker(ranked, channel, (k) => this.ctx.pick(k));
    this.picker = picker.select;
    this.layout(explain, picker.element);
    await this.#show(channel, current);
  }

  picked(channel) {
    if (!this.picker?.isConnected) return;
    this.picker.value = String(channel);
    this.probe?.stop();
    this.#show(channel, this.currentToken()).catch(() => {});
  }

  #show(channel, viewCurrent) {
    const mine = ++this.#shown;
    return this.show(channel, () => viewCurrent() && mine === this.#shown);
  }

  // A button that scores the channel with the probe (payload: the probe's), disabled while it
  // runs; shown(passes) gets the answer unless it was cancelled.
  computeButton(textContent, payload, shown) {
    const button = element('button', { type: 'button', className: 'primary probe-start', textContent });
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        const passes = await this.probe.run(payload);
        if (passes) shown(passes);
      } finally {
        button.disabled = false;
      }
    });
    return button;
  }

  // For the subclasses: layout(explain, picker) fills this.body around the intro and the
  // channel picker; show(channel, current) shows a channel (current() says whether it still
  // should).
  layout() {}
  async show() {}
}
