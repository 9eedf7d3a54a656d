// The view in the page's address: what a link needs to show the same map (bundled model, sample,
// layer, class, method, N, σ, seed, fast mode, colour map, opacity) and the page's own options
// (threads, backend, projector). Reading checks every value and says what it ignored.

const METHOD_CHOICES = ['iscam', 'scorecam', 'sscam', 'compare'];
const BACKENDS = ['auto', 'wasm', 'webgpu'];

const text = (v) => (v === '' ? undefined : v);
const wholeNumber = (min, max) => (v) => {
  const n = Number(v);
  return v !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};
const number = (min, max) => (v) => {
  const n = Number(v);
  return v !== '' && Number.isFinite(n) && n >= min && n <= max ? n : undefined;
};
const oneOf = (choices) => (v) => (choices.includes(v) ? v : undefined);

// [URL key, view field, parser]; the order of the keys in a written address.
const FIELDS = [
  ['model', 'model', text],
  ['sample', 'sample', text],
  ['layer', 'layer', text],
  ['class', 'classIndex', wholeNumber(0, 1e6)],
  ['method', 'method', oneOf(METHOD_CHOICES)],
  ['iscam-n', 'iscamSamples', wholeNumber(1, 10000)],
  ['sscam-n', 'sscamSamples', wholeNumber(1, 10000)],
  ['sigma', 'sigma', number(0, 100)],
  ['seed', 'seed', wholeNumber(0, Number.MAX_SAFE_INTEGER)],
  ['channels', 'channels', wholeNumber(0, 1e6)],
  ['select', 'select', oneOf(['screen', 'variance'])],
  ['colormap', 'colormap', text],
  ['opacity', 'opacity', number(0, 1)],
  ['threads', 'threads', wholeNumber(0, 64)],
  ['backend', 'backend', oneOf(BACKENDS)],
  ['projector', 'projector', (v) => (v === '1' ? true : v === '0' ? false : undefined)],
];

// search: location.search (or URLSearchParams). Returns {view, ignored}: the fields given and
// valid, and one "key=value" for each value that is not.
export function readView(search) {
  const params = new URLSearchParams(search);
  const view = {};
  const ignored = [];
  for (const [key, field, parse] of FIELDS) {
    if (!params.has(key)) continue;
    const value = parse(params.get(key).trim());
    if (value === undefined) ignored.push(`${key}=${params.get(key)}`);
    else view[field] = value;
  }
  return { view, ignored };
}

// The address's query ('?…', or '' for an empty view) of a view; fields that are undefined,
// null or false are left out. Keys not of the view (anything else in `search`) are kept.
export function writeView(view, search = '') {
  const params = new URLSearchParams(search);
  for (const [key] of FIELDS) params.delete(key);
  const kept = [...params];
  const out = new URLSearchParams();
  for (const [key, field] of FIELDS) {
    const value = view[field];
    if (value === undefined || value === null || value === false || value === '') continue;
    out.set(key, value === true ? '1' : String(value));
  }
  for (const [key, value] of kept) out.append(key, value);
  const query = out.toString();
  return query ? `?${query}` : '';
}
