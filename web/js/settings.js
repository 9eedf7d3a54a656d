// The method and its parameters, from the form's text values to an explain request's fields.

export const METHODS = [
  { id: 'iscam', title: 'IS-CAM' },
  { id: 'scorecam', title: 'Score-CAM' },
  { id: 'sscam', title: 'SS-CAM' },
];

export function methodTitle(id) {
  return METHODS.find((m) => m.id === id)?.title ?? id;
}

// 'compare' runs all three in one plan (they share passes); otherwise just the one.
export function methodsFor(choice) {
  if (choice === 'compare') return ['scorecam', 'sscam', 'iscam'];
  if (!METHODS.some((m) => m.id === choice)) throw new Error(`unknown method '${choice}'`);
  return [choice];
}

function integer(text, what, min, max) {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${what} must be a whole number from ${min} to ${max}`);
  return v;
}

// values: {method, iscamSamples, sscamSamples, sigma, seed, batch} as the form gives them (text).
// limits: the core's (core.limits(), core/run_limits.h).
export function parseSettings(values, limits) {
  const sigma = Number(values.sigma);
  if (!Number.isFinite(sigma) || sigma < 0 || sigma > 100) throw new Error('σ must be a number from 0 to 100');
  return {
    methods: methodsFor(values.method),
    options: {
      iscamSamples: integer(values.iscamSamples, 'IS-CAM N', 1, limits.maxSamples),
      sscamSamples: integer(values.sscamSamples, 'SS-CAM N', 1, limits.maxSamples),
      sscamSigma: sigma,
      seed: integer(values.seed, 'The seed', 0, Number.MAX_SAFE_INTEGER),
    },
    batch: integer(values.batch, 'The batch size', 1, limits.maxBatch),
  };
}

// What the form takes from the core rather than from index.html: the inputs' bounds and the
// samples' starting values (core.limits(), core.explainDefaults()), and the fast-mode choices.
// Returns {inputs: {name: {max, value?}}, channelOptions: [{value, text}]}.
export function formBounds(core, fastChoices) {
  const limits = core.limits();
  const defaults = core.explainDefaults();
  return {
    inputs: {
      iscamSamples: { max: limits.maxSamples, value: defaults.iscamSamples },
      sscamSamples: { max: limits.maxSamples, value: defaults.sscamSamples },
      batch: { max: limits.maxBatch },
    },
    channelOptions: [{ value: 0, text: 'All (exact)' }, ...fastChoices.map((k) => ({ value: k, text: `${k} (fast)` }))],
  };
}
