// A tiny static server for the page, bound to 127.0.0.1. It exists because the page needs the
// COOP/COEP headers (cross-origin isolation, for ONNX Runtime Web's threads), which python's
// http.server cannot send.
//
//   node web/serve.mjs [--port 8080] [--root build/web]     (PORT in the environment works too)
import { createServer } from 'node:http';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const DEFAULT_ROOT = fileURLToPath(new URL('../build/web/', import.meta.url));

const inside = (root, path) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

// The file a URL path names, or null: it must lie inside the root by name and, symbolic links
// followed, by its real path too (a link in the root to /etc serves nothing).
async function fileFor(root, urlPath) {
  let path;
  try {
    path = normalize(join(root, decodeURIComponent(urlPath)));
  } catch {
    return null;
  }
  if (!inside(root, path)) return null;
  try {
    const real = await realpath(path);
    if (!inside(await realpath(root), real)) return null;
    const s = await stat(real);
    if (s.isDirectory()) return fileFor(root, join(urlPath, 'index.html'));
    return s.isFile() ? { path: real, size: s.size } : null;
  } catch {
    return null;
  }
}

// Resolves with {server, url} once listening; port 0 picks a free port. `isolated: false` leaves
// out the COOP/COEP headers (to see the page's one-thread fallback).
export function startServer({ root = DEFAULT_ROOT, port = 8080, host = '127.0.0.1', isolated = true } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const headers = { ...(isolated ? ISOLATION : {}), 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = await fileFor(base, new URL(req.url, 'http://localhost').pathname);
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[extname(file.path).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': file.size,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file.path).pipe(res);
  });
  return new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolveListen({ server, url: `http://${host}:${actual}/` });
    });
  });
}

function parseArgs(argv) {
  const options = { port: Number(process.env.PORT ?? 8080) };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--port') options.port = Number(argv[i + 1]);
    else if (argv[i] === '--root') options.root = argv[i + 1];
    else throw new Error(`unknown argument ${argv[i]} (usage: serve.mjs [--port N] [--root DIR])`);
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error('--port must be 0..65535');
  return options;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const options = parseArgs(process.argv.slice(2));
    const root = resolve(options.root ?? DEFAULT_ROOT);
    if (!(await fileFor(root, '/index.html'))) throw new Error(`${root} has no index.html: run scripts/build-web.sh first`);
    const { url } = await startServer({ ...options, root });
    console.log(`Serving ${root} at ${url} (cross-origin isolated; Ctrl+C stops)`);
  } catch (e) {
    console.error(`serve.mjs: ${e.message}`);
    process.exit(1);
  }
}
