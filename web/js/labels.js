// Class names: from the model's sidecar, a labels file the visitor gives, or ImageNet's for a
// 1000-class model (the CLI's rules, in the same order).

// A labels file: a JSON array of names, a sidecar-like JSON object ({labels, preprocess}),
// or text with one name a line. Returns {labels, preprocess} (preprocess may be undefined).
export function parseLabelsFile(text) {
  // A binary file (a model, an image) decodes to NULs and U+FFFD: its "lines" are not names.
  if (/[\u0000\uFFFD]/.test(text))
    throw new Error('the labels file is not text: give a JSON array of names or a text file with one name a line');
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new Error('the labels file is not valid JSON');
    }
    const labels = Array.isArray(json) ? json : json.labels;
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string'))
      throw new Error('the labels file needs an array of strings (or an object with one under "labels")');
    return { labels, preprocess: Array.isArray(json) ? undefined : json.preprocess };
  }
  const labels = text.split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l.length > 0);
  if (labels.length === 0) throw new Error('the labels file is empty');
  return { labels };
}

// The visitor's labels win over the sidecar's; ImageNet's only fill in for 1000 classes.
export function chooseLabels({ classCount, sidecar, user, imagenet }) {
  if (user?.length) return user;
  if (sidecar?.length) return sidecar;
  if (classCount === 1000 && imagenet?.length === 1000) return imagenet;
  return [];
}

// The class name as the JSON result carries it ('' when unknown, like the CLI).
export function labelOf(labels, index) {
  return labels?.[index] ?? '';
}

export function displayLabel(labels, index) {
  return labelOf(labels, index) || `class ${index}`;
}
