// How an image becomes the model's input: size, gray or colour, mean/std. The rules are the
// CLI's (a fixed input size wins, gray when the model takes one channel); the values of the
// named presets come from the core.

export const PRESETS = [
  { id: 'model', title: "The model's own (sidecar)" },
  { id: 'imagenet', title: 'ImageNet mean/std' },
  { id: 'unit', title: '[0, 1]' },
  { id: 'symmetric', title: '[−1, 1]' },
  { id: 'pixels', title: '0..255 pixels' },
  { id: 'custom', title: 'Custom mean/std' },
];

// "0.5" or "0.485, 0.456, 0.406" → three numbers.
export function parseTriple(text, what) {
  const parts = String(text).split(/[\s,;]+/).filter((p) => p.length > 0);
  const values = parts.map(Number);
  if (!(values.length === 1 || values.length === 3) || !values.every(Number.isFinite))
    throw new Error(`${what} needs one or three numbers, e.g. 0.5 or 0.485, 0.456, 0.406`);
  return values.length === 1 ? [values[0], values[0], values[0]] : values;
}

export function formatTriple(values) {
  return values.map((v) => String(Number(v.toPrecision(6)))).join(', ');
}

// The preset to start with: the sidecar's when it has one, else 0..255 pixels for a uint8 input
// (as the CLI), else ImageNet's.
export function defaultPreset(sidecar, input = null) {
  if (sidecar?.preprocess) return 'model';
  return input?.type === 'uint8' ? 'pixels' : 'imagenet';
}

// input: the model's image input ({channels, height, width}, -1 = symbolic);
// sidecar: the model's JSON ({preprocess: {size, gray, mean, std}}) or null;
// choice: {preset, mean, std (text, for custom), height, width (used when the input size is symbolic)};
// presetValues(name) → {mean, std}: the core's named presets.
export function resolvePreprocess(input, sidecar, choice, presetValues) {
  const side = sidecar?.preprocess ?? {};
  let mean;
  let std;
  if (choice.preset === 'model') {
    if (!sidecar?.preprocess) throw new Error('this model came without its own preprocessing; pick a preset');
    const named = side.preset ? presetValues(side.preset) : null;
    mean = side.mean ?? named?.mean ?? [0.485, 0.456, 0.406];
    std = side.std ?? named?.std ?? [0.229, 0.224, 0.225];
  } else if (choice.preset === 'custom') {
    mean = parseTriple(choice.mean, 'Mean');
    std = parseTriple(choice.std, 'Std');
  } else {
    ({ mean, std } = presetValues(choice.preset));
  }
  if (!std.every((s) => s > 0)) throw new Error('every std value must be positive');
  // A fixed input size wins; a symbolic one takes the visitor's size, else the sidecar's, else 224.
  const size = (fixed, chosen, fromSidecar) => (fixed > 0 ? fixed : chosen ?? fromSidecar ?? 224);
  const height = size(input.height, choice.height, side.size?.[0]);
  const width = size(input.width, choice.width, side.size?.[1]);
  if (!(Number.isInteger(height) && Number.isInteger(width) && height >= 1 && width >= 1 && height <= 8192 && width <= 8192))
    throw new Error('the input size must be between 1×1 and 8192×8192');
  // The sidecar's resize and channel order (core Preprocess): keep the aspect ratio and cut the
  // centre out (torchvision Resize + CenterCrop), B, G, R order.
  const shorter = side.resize !== undefined && side.resize !== 'stretch';
  const crop = shorter || side.crop === 'center' ? { centerCrop: true, shorterSide: Number.isInteger(side.resize) ? side.resize : 0 } : {};
  const bgr = side.channel_order === 'bgr' ? { bgr: true } : {};
  return { height, width, gray: input.channels === 1, mean: [...mean], std: [...std], ...crop, ...bgr };
}
