// Messages a visitor can act on, from whatever failed: the core's InputError (already written
// for people), ONNX Runtime Web's errors, or the browser running out of memory.

const MEMORY = /out of memory|allocation failed|bad_alloc|OOM|Cannot enlarge memory|WebAssembly\.Memory/i;

// An error caused by the input, with a message written for people (as the core's InputError).
export function inputError(message) {
  return Object.assign(new Error(message), { name: 'InputError' });
}

export function readableError(error, context = '') {
  const message = String(error?.message ?? error ?? 'unknown error').trim();
  const prefix = context ? `${context}: ` : '';
  if (error?.name === 'InputError') return prefix + message;
  if (MEMORY.test(message))
    return `${prefix}the browser ran out of memory (${message}). Try a smaller model or batch size, or the native iscam command.`;
  return prefix + message;
}

// ONNX Runtime's own message without its wrapper and source location:
// "failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: /…/reshape_helper.h:93 … was false. The input …"
export function onnxRuntimeMessage(error) {
  return String(error?.message ?? error)
    .replace(/^.*ERROR_MESSAGE:\s*/s, '')
    .replace(/^\S+:\d+ .*? was false\.\s*/s, '')
    .trim();
}
