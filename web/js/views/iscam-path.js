// "IS-CAM's path" for the picked channel: the N scaled inputs γ_i · U_k ⊙ X with their scores
// f − b as a small chart, and their mean, which is the channel's score s_k. From the run's own
// passes when it ran IS-CAM; otherwise the channel is scored by IS-CAM on request (N passes).
import { methodTitle } from '../settings.js';
import { ChannelView } from './channel-view.js';
import { element, formatNumber, formatSigned, imageCanvas } from './dom.js';
import { scoreChart } from './score-chart.js';
import { spreadSteps } from './steps.js';

const IMAGES = 10;

// The inputs of some steps with their γ and score: [{step, image}] of a passes reply.
export function stepFigures(core, passes, caption) {
  return element(
    'ol',
    { className: 'step-images' },
    ...passes.images.map(({ step, image }) => {
      const s = passes.steps[step];
      const [first, second] = caption(s, step);
      const figure = element(
        'figure',
        { className: 'step' },
        imageCanvas(core, image, `${first}, ${second}`),
        element('figcaption', {}, first, element('br'), second),
      );
      figure.dataset.step = String(step);
      figure.dataset.score = String(s.score);
      return element('li', {}, figure);
    }),
  );
}

export class IscamPath extends ChannelView {
  #area = null;

  constructor(ctx) {
    super(ctx, {
      id: 'iscam-path',
      title: 'IS-CAM’s path: one channel scaled step by step',
      info: 'path',
      intro: 'IS-CAM scales the masked input U_k ⊙ X by γ_1 … γ_N, scores every step against the baseline and averages the N scores: the mean is the channel’s score s_k.',
      nothing: 'path',
      progress: "Progress of IS-CAM's path",
    });
  }

  layout(explain, picker) {
    this.#area = element('div', { className: 'path-area', id: 'iscam-path-area' });
    this.body.replaceChildren(explain, picker, this.#area);
  }

  async show(channel, current) {
    const { run } = this.ctx;
    const n = run.options.iscamSamples;
    const imageSteps = spreadSteps(n, IMAGES);
    if (run.methods.includes('iscam')) {
      const passes = await this.ctx.query({ what: 'passes', method: 'iscam', channel, imageSteps });
      if (current()) this.#render(passes, true);
      return;
    }
    this.#area.replaceChildren(
      element('p', { className: 'hint', textContent: `This run used ${run.methods.map(methodTitle).join(', ')}: IS-CAM’s path of channel ${channel} takes ${n} forward passes.` }),
      this.computeButton(`Compute IS-CAM’s path of channel ${channel}`, { method: 'iscam', channel, options: {}, imageSteps }, (passes) => {
        if (current()) this.#render(passes, false);
      }),
      this.probe.element,
    );
  }

  #render(passes, fromRun) {
    const { core } = this.ctx;
    const { channel, steps, mean } = passes;
    const gammas = steps.map((s) => s.gamma);
    const chart = scoreChart({
      series: [{ name: `channel ${channel}`, scores: steps.map((s) => s.score), mean, line: true }],
      xLabels: [`γ = ${formatNumber(gammas[0])}`, `γ = ${formatNumber(gammas.at(-1))}`],
      title: `IS-CAM’s path of channel ${channel}: the score f − b of each step γ`,
    });
    const figures = stepFigures(core, passes, (s, i) => [`step ${i + 1}: γ = ${formatNumber(s.gamma)}`, `f − b = ${formatSigned(s.score)}`]);
    const shown = passes.images.length < steps.length ? ` (${passes.images.length} of the ${steps.length} steps drawn)` : '';
    const children = [
      element('div', { className: 'chart-box' }, chart),
      element('h3', { textContent: `The inputs γ_i · U_k ⊙ X${shown}` }),
      figures,
      element(
        'p',
        { className: 'path-mean' },
        `Mean of the ${steps.length} scores: `,
        element('strong', { textContent: `s_${channel} = ${formatSigned(mean)}` }),
        fromRun ? ', the channel’s score in this run.' : ' (computed now: this run did not use IS-CAM).',
      ),
    ];
    if (passes.sharedZeroPass)
      children.push(element('p', { className: 'note', textContent: 'This channel is constant on this image, so its mask U_k is 0 everywhere: every step is the same pass, the image in its mean colour.' }));
    this.#area.replaceChildren(...children);
    Object.assign(this.#area.dataset, { channel: String(channel), mean: String(mean), scores: JSON.stringify(steps.map((s) => s.score)), source: fromRun ? 'run' : 'probe' });
  }
}
