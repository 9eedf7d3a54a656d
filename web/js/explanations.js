// A sentence or two on each method, parameter and term of the page, behind a small "i" button
// next to it: shown on hover, on keyboard focus and on a tap, hidden with Escape; the control it
// explains is described by the same text (aria-describedby), so a screen reader reads it too.

export const EXPLANATIONS = {
  scorecam: {
    term: 'Score-CAM',
    text: "Score-CAM keeps the image only where one channel of the target layer fires, and lets the model's score for the class decide how much that channel counts; the map is the channels added up with those weights.",
  },
  sscam: {
    term: 'SS-CAM',
    text: 'SS-CAM (smoothed Score-CAM) adds random noise of strength σ to each mask N times and averages the N scores, so no single mask decides a weight.',
  },
  iscam: {
    term: 'IS-CAM',
    text: 'IS-CAM (integrated Score-CAM) shows the model each masked image at N growing strengths γ, from faded to exaggerated contrast, and averages the N scores, as integrated gradients do.',
  },
  compare: {
    term: 'Compare all three',
    text: 'Runs Score-CAM, SS-CAM and IS-CAM together: they share forward passes, so this costs less than three separate runs.',
  },
  iscamSamples: {
    term: "IS-CAM's N",
    text: "How many strengths γ_i = i(i+1)/(2N) each masked image goes through; each is one forward pass per channel. With N = 10, step 4 (γ = 1) is Score-CAM's pass.",
  },
  sscamSamples: {
    term: "SS-CAM's N",
    text: 'How many noisy copies of each mask are scored; each is one forward pass per channel.',
  },
  sigma: {
    term: 'σ',
    text: "SS-CAM's noise: the standard deviation of the random values added to each mask. Masks run from 0 to 1, so σ = 2 is strong noise.",
  },
  seed: {
    term: 'the seed',
    text: "Where SS-CAM's random noise starts: the same seed gives the same map.",
  },
  batch: {
    term: 'the batch size',
    text: 'How many masked images go to the model at once. Larger is faster until memory runs out; the map stays the same.',
  },
  channels: {
    term: 'channels scored',
    text: 'Fast mode scores only some channels in full, an approximation that is many times faster. “All” is the exact method.',
  },
  channelSelect: {
    term: 'chosen by',
    text: "Screening gives 8 times as many channels (a tenth of the layer at least) one pass each, scores the ones that weigh most in full and predicts the others' scores; activation variance scores the channels that vary most and gives the others weight 0.",
  },
  layer: {
    term: 'the target layer',
    text: 'The layer whose channels become the masks. Late layers see whole objects at a coarse resolution; earlier ones see smaller parts.',
  },
  preset: {
    term: 'preprocessing',
    text: "How pixels become the model's input (a mean and a standard deviation per colour). It must match how the model was trained.",
  },
  opacity: {
    term: 'the opacity',
    text: 'How strongly the heat map covers the image. Only the drawing changes, nothing is computed again.',
  },
  colormap: {
    term: 'the colour map',
    text: 'The colours from low (left) to high (right) importance. Only the drawing changes.',
  },
  baseline: {
    term: 'the baseline b',
    text: "b = f(X)_c, the model's score (logit) for the class on the whole image. Every channel's score is measured against it.",
  },
  score: {
    term: 'the score s_k',
    text: 'How much the class score changes when the model sees only what channel k keeps: f(U_k ⊙ X) − b, averaged over the N passes for SS-CAM and IS-CAM.',
  },
  weight: {
    term: 'the weight w_k',
    text: 'The softmax of the scores over all channels: the weights add up to 1, so the channels compete for importance.',
  },
  activation: {
    term: 'the activation map',
    text: "Channel k of the target layer scaled to 0..1 (Ā_k): where the feature it detects fires, at the layer's coarse resolution.",
  },
  masked: {
    term: 'the masked input',
    text: 'U_k ⊙ X: the image kept where channel k fires (U_k is Ā_k enlarged to the image) and faded to the mean colour elsewhere.',
  },
  buildUp: {
    term: 'the build-up',
    text: 'The map is the weighted sum of the channels, Σ w_k A_k, kept positive and scaled to 0..1. Step through it channel by channel, highest weight first.',
  },
  path: {
    term: "IS-CAM's path",
    text: "IS-CAM scales the masked input by γ_1 … γ_N and scores every step; the mean of the N scores is the channel's score s_k.",
  },
  noise: {
    term: "SS-CAM's noise",
    text: "SS-CAM adds fresh random noise δ (strength σ) to the mask for each of its N samples and scores (U_k + δ) ⊙ X; the mean of the N scores is s_k.",
  },
  lesson: {
    term: 'the lesson',
    text: "Both models have the same architecture. The shortcut model was trained on images where a coloured square in the corner always told the class, so it learned to look there instead of at the shape.",
  },
  lessonVit: {
    term: 'the ViT',
    text: 'The ViT (vision transformer) turns the scene into an 8×8 grid of patch tokens and lets every patch look at every other before it decides; its map reads the last block’s tokens as that grid. Both models were trained on the same scenes without markers.',
  },
};

// The page's own controls that get an explanation: [key, selector of the control].
const CONTROLS = [
  ['iscam', 'input[name="method"][value="iscam"]'],
  ['scorecam', 'input[name="method"][value="scorecam"]'],
  ['sscam', 'input[name="method"][value="sscam"]'],
  ['compare', 'input[name="method"][value="compare"]'],
  ['iscamSamples', '#iscam-samples'],
  ['sscamSamples', '#sscam-samples'],
  ['sigma', '#sigma'],
  ['seed', '#seed'],
  ['batch', '#batch'],
  ['channels', '#channels'],
  ['channelSelect', '#channel-select'],
  ['layer', '#layer'],
  ['preset', '#preset'],
  ['opacity', '#opacity'],
  ['colormap', '#colormap'],
];

let tips = 0;

// A span holding the "i" button and its tip; tipId names the tip for aria-describedby.
export function infoButton(key) {
  const { term, text } = EXPLANATIONS[key];
  const tipId = `info-tip-${++tips}`;
  const button = document.createElement('button');
  Object.assign(button, { type: 'button', className: 'info', textContent: 'i' });
  button.setAttribute('aria-label', `About ${term}`);
  button.setAttribute('aria-describedby', tipId);
  button.setAttribute('aria-expanded', 'false');
  const tip = Object.assign(document.createElement('span'), { id: tipId, className: 'info-tip', textContent: text, hidden: true });
  tip.setAttribute('role', 'tooltip');
  const wrap = Object.assign(document.createElement('span'), { className: 'info-wrap' });
  wrap.dataset.explains = key;
  wrap.append(button, tip);

  const reasons = new Set(); // hover, focus, tap
  const update = () => {
    const shown = reasons.size > 0;
    tip.hidden = !shown;
    button.setAttribute('aria-expanded', String(shown));
    if (!shown) return;
    tip.style.left = '';
    const overflow = tip.getBoundingClientRect().right - (document.documentElement.clientWidth - 8);
    if (overflow > 0) tip.style.left = `${-overflow}px`;
  };
  const set = (reason, on) => {
    if (on) reasons.add(reason);
    else reasons.delete(reason);
    update();
  };
  wrap.addEventListener('mouseenter', () => set('hover', true));
  wrap.addEventListener('mouseleave', () => set('hover', false));
  button.addEventListener('focus', () => set('focus', true));
  button.addEventListener('blur', () => {
    reasons.delete('tap');
    set('focus', false);
  });
  button.addEventListener('click', (event) => {
    event.preventDefault(); // inside a <label>: do not pick the radio or focus the field
    set('tap', !reasons.has('tap'));
  });
  wrap.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || reasons.size === 0) return;
    event.stopPropagation();
    reasons.clear();
    update();
  });
  return { wrap, tipId };
}

function describe(control, tipId) {
  const ids = (control.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  control.setAttribute('aria-describedby', [...ids, tipId].join(' '));
}

// Puts an "i" button in the label of each control the page has (once).
export function attachExplanations(root = document) {
  for (const [key, selector] of CONTROLS) {
    const control = root.querySelector(selector);
    if (!control) continue;
    const wrapping = control.closest('label');
    const label = wrapping ?? (control.id ? root.querySelector(`label[for="${control.id}"]`) : null);
    if (!label || label.querySelector(`[data-explains="${key}"]`)) continue;
    const { wrap, tipId } = infoButton(key);
    // "IS-CAM N (i) [field]"; a radio's label and a label beside its field end with the button.
    if (wrapping && control.type !== 'radio') label.insertBefore(wrap, control);
    else label.append(wrap);
    describe(control, tipId);
  }
}
