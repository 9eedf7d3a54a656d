// Loads the WASM core (build/wasm) under node. Emscripten 3.1.6's ES module still reaches for
// CommonJS `require` and `__dirname` when it sees node, so they are provided; the wasm bytes are
// handed over directly (its fetch-based loading does not take file paths).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../build/wasm/wasm/', import.meta.url));

let loading = null;

export function loadCore() {
  if (!loading) {
    globalThis.require ??= createRequire(import.meta.url);
    globalThis.__dirname ??= DIR;
    loading = import(`${DIR}iscam_core.mjs`).then(({ default: create }) =>
      create({ wasmBinary: readFileSync(`${DIR}iscam_core.wasm`) }),
    );
  }
  return loading;
}

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
