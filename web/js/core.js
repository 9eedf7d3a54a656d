// The C++ core compiled to WebAssembly (wasm/bindings.cpp), loaded once per thread.
import createIscamCore from '../core/iscam_core.mjs';

let loading = null;

export function loadCore() {
  loading ??= createIscamCore();
  return loading;
}
