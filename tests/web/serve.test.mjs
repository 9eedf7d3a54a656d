import assert from 'node:assert/strict';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startServer } from '../../web/serve.mjs';

let server;
let url;

before(async () => {
  const root = await mkdtemp(join(tmpdir(), 'iscam-serve-'));
  await mkdir(join(root, 'core'));
  await writeFile(join(root, 'index.html'), '<!doctype html>');
  await writeFile(join(root, 'core', 'm.mjs'), 'export {}');
  await writeFile(join(root, 'core', 'm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d]));
  await symlink('/etc', join(root, 'etc'));
  await symlink('/etc/passwd', join(root, 'passwd.txt'));
  await symlink(join(root, 'index.html'), join(root, 'inside.html'));
  ({ server, url } = await startServer({ root, port: 0 }));
});

after(() => server.close());

test('binds 127.0.0.1 and sends the cross-origin isolation headers', async () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const r = await fetch(url);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cross-origin-opener-policy'), 'same-origin');
  assert.equal(r.headers.get('cross-origin-embedder-policy'), 'require-corp');
  assert.match(r.headers.get('content-type'), /^text\/html/);
});

test('ES modules and WebAssembly get the MIME types browsers insist on', async () => {
  assert.match((await fetch(`${url}core/m.mjs`)).headers.get('content-type'), /^text\/javascript/);
  assert.equal((await fetch(`${url}core/m.wasm`)).headers.get('content-type'), 'application/wasm');
});

test('nothing outside the root, no other methods', async () => {
  assert.equal((await fetch(`${url}missing.js`)).status, 404);
  assert.equal((await fetch(`${url}..%2f..%2fetc%2fpasswd`)).status, 404);
  assert.equal((await fetch(url, { method: 'POST' })).status, 405);
});

test('symbolic links out of the root serve nothing; links inside it work', async () => {
  assert.equal((await fetch(`${url}etc/passwd`)).status, 404);
  assert.equal((await fetch(`${url}etc/`)).status, 404);
  assert.equal((await fetch(`${url}passwd.txt`)).status, 404);
  const r = await fetch(`${url}inside.html`);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), '<!doctype html>');
});
