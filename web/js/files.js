// Files the visitor brings (picker, drop, paste): what kind each is, and the size limits.

// ONNX Runtime Web lives in 32-bit WebAssembly (4 GiB at most) and holds the model next to the
// patched copy it runs; beyond this the browser runs out of memory.
export const MAX_MODEL_BYTES = 512 * 1024 * 1024;

// An image file is read whole into memory before its header is measured (image-input.js).
export const MAX_IMAGE_BYTES = 256 * 1024 * 1024;

export function fileKind({ name = '', type = '' }) {
  if (/\.onnx$/i.test(name)) return 'model';
  if (/\.(json|txt)$/i.test(name) || type === 'application/json' || type === 'text/plain') return 'labels';
  return 'image';
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

export function checkModelSize(bytes) {
  if (bytes > MAX_MODEL_BYTES)
    throw new Error(
      `the model is ${formatBytes(bytes)}, too large for this page (at most ${formatBytes(MAX_MODEL_BYTES)}): ` +
        'ONNX Runtime Web runs in 32-bit WebAssembly memory. Use the native iscam command instead.',
    );
}

export function checkImageSize(bytes) {
  if (bytes > MAX_IMAGE_BYTES)
    throw new Error(
      `the image file is ${formatBytes(bytes)}, too large for this page (at most ${formatBytes(MAX_IMAGE_BYTES)}). ` +
        'Use the native iscam command instead.',
    );
}

// The files of a drop or paste (DataTransfer), in order.
export function transferFiles(transfer) {
  if (!transfer) return [];
  if (transfer.files?.length) return Array.from(transfer.files);
  return Array.from(transfer.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter(Boolean);
}
