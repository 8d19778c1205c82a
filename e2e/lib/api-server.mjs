// examples/api (the example app's axum server with clerk-backend's ClerkLayer) on a free port, and the helpers its
// tests share: cookies as a Cookie header, @clerk/backend's authenticateRequest on a request of our own, JWT claims.
//
// The server prints `listening on http://127.0.0.1:N` first; it serves a dist/ folder (index.html gets
// <meta name="clerk-publishable-key">), proxies /v1/ and /.well-known/ to the dev server, and answers /api/*.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { createClerkClient } from '@clerk/backend';
import { API_SERVER_BIN } from './paths.mjs';

/**
 * @param {object} options
 * @param {{url: string, secretKey: string, backendApiUrl: string}} options.devServer from startDevServer()
 * @param {string} options.publishableKey the instance's key (the dev server's pk_test_ or pk_live_)
 * @param {string} options.dist the folder to serve (must hold index.html)
 * @param {string[]} [options.args] more arguments (e.g. ['--authorized-party', origin])
 * @param {number} [options.port] the port (default 0: a free one)
 * @param {string} [options.bin] default $CLERK_EXAMPLE_API_BIN or target/debug/leptos-clerk-example-api
 * @returns {Promise<{url: string, publishableKey: string, lines: string[], stderr: () => string,
 *   stop: () => Promise<void>}>}
 */
export async function startApiServer({ devServer, publishableKey, dist, args = [], port = 0, bin = API_SERVER_BIN,
  timeoutMs = 30_000 }) {
  if (!existsSync(bin)) throw new Error(`no api server binary at ${bin}: run \`cargo build -p leptos-clerk-example-api\``);
  const argv = ['--port', String(port), '--dist', dist, '--dev-server', devServer.url, '--publishable-key', publishableKey,
    '--secret-key', devServer.secretKey, '--api-url', devServer.backendApiUrl, ...args];
  // Only what we pass: no CLERK_* or PORT from the caller's environment.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CLERK_|PORT$|APP_DIST$)/.test(k)));
  const server = await startListeningServer({ bin, argv, env, name: 'api server', timeoutMs });
  return { ...server, publishableKey };
}

/**
 * Starts `bin` and waits for its first line, `listening on http://127.0.0.1:N` (the example servers print it).
 * @returns {Promise<{url: string, lines: string[], stderr: () => string, stop: () => Promise<void>}>}
 */
export async function startListeningServer({ bin, argv = [], env, name, timeoutMs = 30_000 }) {
  const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stderr = '';
  const lines = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { stderr += d; if (process.env.E2E_VERBOSE) process.stderr.write(d); });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };
  let timer;
  try {
    const first = await Promise.race([
      new Promise((resolve) => createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        if (process.env.E2E_VERBOSE) process.stderr.write(`[${name}] ${line}\n`);
        if (lines.length === 1) resolve(line);
      })),
      exited.then(({ code, signal }) => {
        throw new Error(`${bin} exited (code ${code}, signal ${signal}) before listening:\n${stderr}`);
      }),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${name} not ready:\n${stderr}`)), timeoutMs); }),
    ]);
    const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first)?.[1];
    if (!url) throw new Error(`unexpected first line from the ${name}: ${first}`);
    return { url, lines, stderr: () => stderr, stop };
  } catch (e) {
    await stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** Playwright cookies as a Cookie header. */
export function cookieHeader(cookies) {
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

/** The payload of a JWT (not verified). */
export function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/**
 * The official @clerk/backend's verdict on a request to `url` with these headers, with the options an app on the
 * api server's origin uses (proxyUrl and authorizedParties = that origin).
 * @returns {Promise<{status: string, reason: string|null, userId: string|null, sessionId: string|null,
 *   location: string|null}>}
 */
export async function clerkBackendVerdict({ devServer, publishableKey, origin, url, headers }) {
  const client = createClerkClient({ secretKey: devServer.secretKey, publishableKey, apiUrl: devServer.backendApiUrl });
  const state = await client.authenticateRequest(new Request(url, { headers }),
    { publishableKey, proxyUrl: origin, authorizedParties: [origin] });
  const auth = state.toAuth();
  return {
    status: state.status,
    reason: state.reason ?? null,
    userId: auth?.userId ?? null,
    sessionId: auth?.sessionId ?? null,
    location: state.headers.get('location'),
  };
}

/** Resolves after `ms`. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
