// Loads the WASM core (build/wasm, or the folder in $ISCAM_WASM_BUILD) under node. Emscripten
// 3.1.6's ES module still reaches for CommonJS `require` and `__dirname` when it sees node, so
// they are provided; the wasm bytes are handed over directly (its fetch-based loading does not
// take file paths).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DIR = `${resolve(REPO, process.env.ISCAM_WASM_BUILD ?? 'build/wasm')}/wasm/`;

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
