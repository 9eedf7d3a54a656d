// The page's controls read into plain values, and the page's state turned into what its address
// keeps (view-link.js, url-state.js). $: the element getter (id -> element), so node can pass
// plain objects.

// The run's settings as typed, for parseSettings (settings.js).
export function settingsForm($) {
  const form = $('settings');
  return {
    method: form.elements.method.value,
    iscamSamples: form.elements.iscamSamples.value,
    sscamSamples: form.elements.sscamSamples.value,
    sigma: form.elements.sigma.value,
    seed: form.elements.seed.value,
    batch: form.elements.batch.value,
  };
}

// Fast mode: the number of channels scored, 0 for all (exact).
export function fastChannels($) {
  return Number($('channels').value);
}

// Fast mode's options: {channels, select} ('screen' or 'variance', core/methods.h ChannelSelect);
// exact mode ({channels: 0}) has no channel choice, and the core refuses one.
export function fastOptions($) {
  const channels = fastChannels($);
  return channels > 0 ? { channels, select: fastSelect($) } : { channels };
}

// How fast mode would choose its channels: the control's value, also while exact mode is picked.
export function fastSelect($) {
  return $('channel-select').value;
}

// The preprocessing asked for, for resolvePreprocess (preprocess.js).
export function preprocessChoice($) {
  const height = Number($('input-height').value);
  const width = Number($('input-width').value);
  return { preset: $('preset').value, mean: $('mean').value, std: $('std').value, height, width };
}

// What the address keeps of the subject shown (ViewLink.update), or null before there is one.
export function linkSubject(state) {
  if (!state.model || !state.image) return null;
  return { model: state.model.bundled, sample: state.image.sample ?? null, classIndex: state.classIndex };
}

// The address that restarts the page with another thread count ('0': the default).
export function threadsAddress(href, threads) {
  const url = new URL(href);
  if (threads === '0') url.searchParams.delete('threads');
  else url.searchParams.set('threads', threads);
  return url;
}

// What a linked view opens: the bundled model and sample it names (a model not bundled falls
// back to the first), with a "key=value" for each it named but cannot open.
// find: {bundled(manifest, id), sample(manifest, file)} (bundled-models.js).
export function linkedSubject(manifest, wanted, find) {
  const problems = [];
  const model = find.bundled(manifest, wanted.model) ?? manifest.models[0];
  if (wanted.model !== undefined && model.id !== wanted.model) problems.push(`model=${wanted.model}`);
  const sample = wanted.sample === undefined ? null : find.sample(manifest, wanted.sample);
  if (wanted.sample !== undefined && !sample) problems.push(`sample=${wanted.sample}`);
  return { model, sample, problems };
}

// The linked class if the model has it: {classIndex (undefined: keep the top-1), problem (or null)}.
export function linkedClass(wantedIndex, classCount) {
  if (wantedIndex < classCount) return { classIndex: wantedIndex, problem: null };
  return { classIndex: undefined, problem: wantedIndex === undefined ? null : `class=${wantedIndex}` };
}

// The note under the page for what the address asked and the page could not use ('' for none).
export function linkNote(problems) {
  return problems.length ? `Not used from this page's address: ${problems.join(', ')}.` : '';
}
