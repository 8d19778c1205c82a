// A tiny static file server for an example's dist/ that also proxies /v1/ to the dev server, so FAPI calls are
// same-origin like under `trunk serve`. Unknown paths without a file extension get index.html (client routing).
import http from 'node:http';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * @param {object} options
 * @param {string} options.dir the folder to serve (an example's dist/)
 * @param {string} [options.proxy] a backend origin (the dev server's URL): /v1/* goes to `${proxy}/v1/*`
 * @param {string} [options.proxyPrefix] default '/v1/'
 * @param {string} [options.cacheControl] Cache-Control of everything but HTML (default 'no-store': every load fetches
 *   every file; HTML is always 'no-store')
 * @returns {Promise<{url: string, port: number, requests: {method: string, url: string, status: number}[],
 *   stop: () => Promise<void>}>}
 */
export async function serveDist({ dir, proxy, proxyPrefix = '/v1/', cacheControl = 'no-store' }) {
  const root = path.resolve(dir);
  await stat(path.join(root, 'index.html')).catch(() => {
    throw new Error(`${root}/index.html is missing: build the example first (trunk build --release)`);
  });
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const entry = { method: req.method, url: req.url, status: 0 };
    requests.push(entry);
    res.on('finish', () => { entry.status = res.statusCode; });
    try {
      if (proxy && req.url.startsWith(proxyPrefix)) return forward(req, res, proxy);
      if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405).end(); return; }
      const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = path.join(root, pathname);
      if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
      let st = await stat(file).catch(() => null);
      if (st?.isDirectory()) { file = path.join(file, 'index.html'); st = await stat(file).catch(() => null); }
      if (!st && !path.extname(pathname)) { file = path.join(root, 'index.html'); st = await stat(file).catch(() => null); }
      if (!st) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-length': st.size,
        'cache-control': path.extname(file) === '.html' ? 'no-store' : cacheControl,
      });
      if (req.method === 'HEAD') res.end(); else createReadStream(file).pipe(res);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const sockets = new Set();
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    stop: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}

function forward(req, res, backend) {
  const target = new URL(req.url, backend);
  const headers = { ...req.headers, host: target.host };
  const up = http.request(target, { method: req.method, headers }, (upRes) => {
    res.writeHead(upRes.statusCode, upRes.headers);
    upRes.pipe(res);
  });
  up.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy error: ${e.message}`);
  });
  req.pipe(up);
}
