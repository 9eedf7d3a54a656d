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
export function parseSettings(values) {
  const sigma = Number(values.sigma);
  if (!Number.isFinite(sigma) || sigma < 0 || sigma > 100) throw new Error('σ must be a number from 0 to 100');
  return {
    methods: methodsFor(values.method),
    options: {
      iscamSamples: integer(values.iscamSamples, 'IS-CAM N', 1, 10000),
      sscamSamples: integer(values.sscamSamples, 'SS-CAM N', 1, 10000),
      sscamSigma: sigma,
      seed: integer(values.seed, 'The seed', 0, Number.MAX_SAFE_INTEGER),
    },
    batch: integer(values.batch, 'The batch size', 1, 4096),
  };
}
