// Saving bytes or text as a file the visitor downloads.
export function download(data, fileName, type) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// "model.onnx", "cat photo.jpg", "iscam" → "model-cat-photo-iscam"
export function fileStem(...parts) {
  return parts
    .map((p) => String(p).replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, ''))
    .filter(Boolean)
    .join('-');
}
