// The bundled models the page offers (samples/index.json, written by scripts/web-manifest.mjs)
// and the samples that go with the model loaded: each bundled model its own, the photos with
// 1000-class models only, none with other models of the visitor's.

// model: {bundled: id or null, classCount}.
export function samplesFor(manifest, { bundled, classCount }) {
  if (bundled) return manifest.samples.filter((s) => s.models?.includes(bundled));
  return classCount === 1000 ? manifest.samples.filter((s) => s.classes === 1000) : [];
}

export function findBundled(manifest, id) {
  return manifest.models.find((m) => m.id === id) ?? null;
}

export function findSample(manifest, file) {
  return manifest.samples.find((s) => s.file === file) ?? null;
}

// The model selector: the bundled models, and the visitor's own model (selected) once one is loaded.
export function renderModelChoice(select, manifest, model) {
  const options = manifest.models.map(({ id, name }) => new Option(`${name} (bundled)`, id));
  if (!model.bundled) options.push(new Option(`${model.title} (yours)`, ''));
  select.replaceChildren(...options);
  select.value = model.bundled ?? '';
}
