// The page's service worker: after the first visit the page works offline. Installing caches the
// files precache.json lists (the page, the core, ONNX Runtime's wasm build, the bundled models,
// the samples the page shows); from then on it answers from that cache first and caches any
// other file of this site it fetches (the WebGPU build where a browser uses it). What it serves
// carries the cross-origin isolation headers, so the page keeps its threads offline too.
// scripts/web-offline.mjs writes the build's content hash into VERSION: a new build is a new
// service worker, which replaces the previous build's cache.
const VERSION = 'dev';
const CACHE = `iscam-${VERSION}`;
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

async function install() {
  const response = await fetch('precache.json', { cache: 'no-cache' });
  if (!response.ok) throw new Error(`precache.json: HTTP ${response.status}`);
  const { files } = await response.json();
  await (await caches.open(CACHE)).addAll(files);
  await self.skipWaiting();
}

async function activate() {
  for (const key of await caches.keys()) if (key.startsWith('iscam-') && key !== CACHE) await caches.delete(key);
  await self.clients.claim();
}

// A host that does not send COOP/COEP still gets an isolated page once this worker serves it.
function withIsolation(response) {
  if (Object.keys(ISOLATION).every((name) => response.headers.has(name))) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION)) if (!headers.has(name)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function answer(request) {
  const cache = await caches.open(CACHE);
  // The page's address carries the view (?model=…&layer=…): one cached page answers them all.
  const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' });
  if (cached) return withIsolation(cached);
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(request, response.clone());
  return withIsolation(response);
}

self.addEventListener('install', (event) => event.waitUntil(install()));
self.addEventListener('activate', (event) => event.waitUntil(activate()));
self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || request.headers.has('range') || new URL(request.url).origin !== location.origin) return;
  event.respondWith(answer(request));
});
