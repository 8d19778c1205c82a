// A small webhook endpoint on a free port: records every POST (its headers and raw body, as received) and
// answers 204, so the dev server's `--webhook URL` deliveries can be checked by the reference verifiers. Also
// `freePort()`, for a server whose URL another must know before it starts.
import { createServer } from 'node:http';

/**
 * @returns {Promise<{url: string, deliveries: {headers: Record<string,string>, body: string, at: number}[],
 *   waitFor: (pred: (d: {headers: Record<string,string>, body: string, event: any}) => boolean, timeoutMs?: number) => Promise<any>,
 *   stop: () => Promise<void>}>}
 */
export async function startWebhookReceiver({ path = '/webhooks' } = {}) {
  const deliveries = [];
  const waiters = new Set();
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== path) { res.writeHead(404).end(); return; }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const delivery = { headers: { ...req.headers }, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      try { delivery.event = JSON.parse(delivery.body); } catch { delivery.event = null; }
      deliveries.push(delivery);
      for (const w of waiters) w();
      res.writeHead(204).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}${path}`;
  /** The first delivery (already received or to come) matching `pred`. */
  const waitFor = (pred, timeoutMs = 10_000) => new Promise((resolve, reject) => {
    const check = () => {
      const d = deliveries.find(pred);
      if (d) { waiters.delete(check); clearTimeout(timer); resolve(d); return true; }
      return false;
    };
    const timer = setTimeout(() => {
      waiters.delete(check);
      reject(new Error(`no matching webhook delivery in ${timeoutMs} ms; received: ${deliveries.map((d) => d.event?.type).join(', ')}`));
    }, timeoutMs);
    if (!check()) waiters.add(check);
  });
  const stop = () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); });
  return { url, deliveries, waitFor, stop };
}

/** A port free on 127.0.0.1 right now (bound and released). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
