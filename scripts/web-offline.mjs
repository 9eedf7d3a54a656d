// Makes a built page work offline after the first visit: writes OUT/precache.json (the files the
// service worker caches when it installs) and OUT/sw.js (web/sw.js with the build's content hash
// as its version, so that a new build replaces the cached one).
//
//   node scripts/web-offline.mjs build/web        (after the page is assembled there)
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ONNX Runtime's wasm build; the WebGPU build (27 MB) is cached only where a browser uses it.
const ORT_FILES = ['ort/ort.wasm.min.mjs', 'ort/ort-wasm-simd-threaded.mjs', 'ort/ort-wasm-simd-threaded.wasm'];
const NOT_CACHED = new Set(['sw.js', 'precache.json']);

// files: every file of the built page ('/'-separated paths); manifest: samples/index.json.
// The page and its modules, the core, the models, and the samples the page offers.
export function precacheFiles(files, manifest) {
  const has = new Set(files);
  const wanted = files.filter(
    (f) => (!f.includes('/') && !NOT_CACHED.has(f)) || f.startsWith('js/') || f.startsWith('core/') || f.startsWith('models/'),
  );
  const samples = ['samples/index.json', ...manifest.samples.map((s) => `samples/${s.file}`)];
  for (const f of [...ORT_FILES, ...samples]) if (!has.has(f)) throw new Error(`${f} is missing from the built page`);
  return ['./', ...[...wanted, ...ORT_FILES, ...samples].sort()];
}

// A hash of the cached files' names and bytes: the cache's version.
export function contentVersion(files, read) {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f}\0`).update(f === './' ? '' : read(f));
  return hash.digest('hex').slice(0, 16);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [out] = process.argv.slice(2);
  if (!out) {
    console.error('usage: web-offline.mjs BUILT_PAGE_DIR');
    process.exit(2);
  }
  const all = readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(out.replace(/\/$/, '').length + 1).split('\\').join('/'));
  const manifest = JSON.parse(readFileSync(join(out, 'samples/index.json'), 'utf8'));
  const files = precacheFiles(all, manifest);
  const version = contentVersion(files, (f) => readFileSync(join(out, f)));
  writeFileSync(join(out, 'precache.json'), JSON.stringify({ version, files }, null, 1) + '\n');
  const worker = readFileSync(fileURLToPath(new URL('../web/sw.js', import.meta.url)), 'utf8');
  if (!worker.includes("const VERSION = 'dev';")) throw new Error("web/sw.js has no \"const VERSION = 'dev';\" line");
  writeFileSync(join(out, 'sw.js'), worker.replace("const VERSION = 'dev';", `const VERSION = '${version}';`));
}
