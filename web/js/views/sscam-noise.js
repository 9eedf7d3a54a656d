// "SS-CAM's noise" for the picked channel: a few of the noisy inputs (U_k + δ) ⊙ X with their
// scores, all N scores as a chart with their mean s_k, and the effect of σ: the channel scored
// again with another σ (ChannelProbe: N forward passes, with progress and Cancel), side by side
// with the run's. A run without SS-CAM gets the run's σ on request too.
import { infoButton } from '../explanations.js';
import { methodTitle } from '../settings.js';
import { ChannelView } from './channel-view.js';
import { element, formatSigned } from './dom.js';
import { stepFigures } from './iscam-path.js';
import { scoreChart } from './score-chart.js';
import { spreadSteps } from './steps.js';

const IMAGES = 6;
const MAX_SERIES = 4; // the run's and the latest probes'

const sigmaText = (sigma) => String(+sigma.toPrecision(3));

// A σ to try first: a clearly different one.
export function contrastingSigma(sigma) {
  return sigma >= 1 ? +(sigma / 4).toPrecision(3) : +(sigma * 4 || 1).toPrecision(3);
}

export class SscamNoise extends ChannelView {
  #results = []; // [{sigma, passes, fromRun}] of the shown channel
  #channel = null;
  #parts = null; // {baseArea, chartBox, table, rows, rescore}

  constructor(ctx) {
    super(ctx, {
      id: 'sscam-noise',
      title: 'SS-CAM’s noise: one channel’s noisy masks, and the effect of σ',
      info: 'noise',
      intro: 'SS-CAM adds fresh random noise δ of strength σ to the mask for each of its N samples and scores (U_k + δ) ⊙ X; the mean of the N scores is the channel’s score s_k.',
      nothing: 'noise',
      progress: "Progress of SS-CAM's samples",
    });
  }

  onReset() {
    super.onReset();
    this.#results = [];
    this.#parts = null;
  }

  layout(explain, picker) {
    const { run } = this.ctx;
    const sigma = element('input', { type: 'number', id: 'noise-sigma', min: 0, max: 100, step: 0.1, value: contrastingSigma(run.options.sscamSigma) });
    const rescore = element('button', { type: 'button', id: 'noise-rescore', className: 'probe-start' });
    rescore.addEventListener('click', () => this.#rescore(Number(sigma.value), sigma, rescore));
    this.#parts = {
      baseArea: element('div', { className: 'noise-base', id: 'noise-base' }),
      chartBox: element('div', { className: 'chart-box', id: 'noise-chart' }),
      table: element('table', { className: 'noise-table', id: 'noise-table' }),
      rows: element('div', { className: 'noise-rows', id: 'noise-rows' }),
      rescore,
    };
    const label = element('label', { htmlFor: 'noise-sigma' }, 'Another σ', infoButton('sigma').wrap);
    this.body.replaceChildren(
      explain,
      picker,
      this.#parts.baseArea,
      element('h3', { textContent: 'The effect of σ' }),
      element('p', { className: 'hint', textContent: `Score the same channel again with another σ: ${run.options.sscamSamples} forward passes, the same N and seed.` }),
      element('div', { className: 'sigma-row' }, element('div', {}, label, sigma), rescore),
      this.probe.element,
      this.#parts.chartBox,
      this.#parts.table,
      this.#parts.rows,
    );
  }

  async show(channel, current) {
    const { run } = this.ctx;
    this.#channel = channel;
    this.#results = [];
    this.#parts.rescore.textContent = `Score channel ${channel} with this σ`;
    this.#renderResults();
    const imageSteps = spreadSteps(IMAGES, IMAGES);
    if (run.methods.includes('sscam')) {
      this.#parts.baseArea.replaceChildren();
      const passes = await this.ctx.query({ what: 'passes', method: 'sscam', channel, imageSteps });
      if (!current()) return;
      this.#results.push({ sigma: run.options.sscamSigma, passes, fromRun: true });
      this.#renderResults();
      return;
    }
    const payload = { method: 'sscam', channel, options: {}, imageSteps };
    this.#parts.baseArea.replaceChildren(
      element('p', { className: 'hint', textContent: `This run used ${run.methods.map(methodTitle).join(', ')}: SS-CAM’s ${run.options.sscamSamples} samples of channel ${channel} take as many forward passes.` }),
      this.computeButton(`Compute SS-CAM’s samples of channel ${channel} with σ = ${sigmaText(run.options.sscamSigma)}`, payload, (passes) => {
        if (!current()) return;
        this.#results.unshift({ sigma: run.options.sscamSigma, passes, fromRun: false });
        this.#renderResults();
        this.#parts.baseArea.replaceChildren();
      }),
    );
  }

  async #rescore(sigma, input, button) {
    if (!(Number.isFinite(sigma) && sigma >= 0 && sigma <= 100)) {
      this.probe.text.textContent = 'σ must be a number from 0 to 100.';
      input.focus();
      return;
    }
    const current = this.currentToken();
    const channel = this.#channel;
    button.disabled = true;
    try {
      const passes = await this.probe.run({ method: 'sscam', channel, options: { sscamSigma: sigma }, imageSteps: spreadSteps(IMAGES, IMAGES) });
      if (!passes || !current() || channel !== this.#channel) return;
      this.#results.push({ sigma, passes, fromRun: false });
      if (this.#results.length > MAX_SERIES) this.#results.splice(this.#results[0].fromRun ? 1 : 0, 1);
      this.#renderResults();
    } catch {
      // the bar says why
    } finally {
      button.disabled = false;
    }
  }

  #renderResults() {
    const { core } = this.ctx;
    const { chartBox, table, rows } = this.#parts;
    const results = this.#results;
    const channel = this.#channel;
    const name = (r) => `σ = ${sigmaText(r.sigma)}${r.fromRun ? ' (the run)' : ''}`;
    if (results.length === 0) {
      chartBox.replaceChildren();
      table.replaceChildren();
      rows.replaceChildren();
      return;
    }
    chartBox.replaceChildren(
      scoreChart({
        series: results.map((r) => ({ name: name(r), scores: r.passes.steps.map((s) => s.score), mean: r.passes.mean, line: false })),
        xLabels: ['sample 1', `sample ${Math.max(...results.map((r) => r.passes.steps.length))}`],
        title: `SS-CAM’s samples of channel ${channel}: the score f − b of each noisy mask`,
      }),
    );
    table.replaceChildren(
      element('caption', { textContent: `Channel ${channel}: its score s_k for each σ` }),
      element('thead', {}, element('tr', {}, ...['σ', 's_k (the mean)', 'scores from', 'to'].map((t) => element('th', { scope: 'col', textContent: t })))),
      element(
        'tbody',
        {},
        ...results.map((r) => {
          const scores = r.passes.steps.map((s) => s.score);
          const row = element(
            'tr',
            {},
            element('th', { scope: 'row', textContent: name(r) }),
            element('td', { textContent: formatSigned(r.passes.mean) }),
            element('td', { textContent: formatSigned(Math.min(...scores)) }),
            element('td', { textContent: formatSigned(Math.max(...scores)) }),
          );
          Object.assign(row.dataset, { sigma: String(r.sigma), mean: String(r.passes.mean), samples: String(scores.length), source: r.fromRun ? 'run' : 'probe' });
          return row;
        }),
      ),
    );
    rows.replaceChildren(
      ...results.map((r) =>
        element(
          'div',
          { className: 'noise-row' },
          element('h3', { textContent: `Noisy inputs (U_k + δ) ⊙ X with ${name(r)}` }),
          stepFigures(core, r.passes, (s, i) => [`sample ${i + 1}`, `f − b = ${formatSigned(s.score)}`]),
        ),
      ),
    );
  }
}
