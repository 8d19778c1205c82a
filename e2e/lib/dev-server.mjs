// Starts clerk-dev-server (by default on a free port with an in-memory database), and reads the lines it prints first:
//   listening on http://127.0.0.1:N
//   publishable key: pk_test_…
//   proxy url: http://127.0.0.1:N
//   secret key: sk_test_…                      (the Backend API's, for @clerk/backend's secretKey)
//   backend api url: http://127.0.0.1:N        (@clerk/backend's apiUrl)
//   production publishable key: pk_live_…      (cookie-mode clients)
//   webhook signing secret: whsec_…            (the --webhook deliveries' Svix secret)
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync } from 'node:fs';
import { DEV_SERVER_BIN, DEV_SERVER_SEED } from './paths.mjs';

/**
 * @param {object} [options]
 * @param {string} [options.bin] the binary (default: $CLERK_DEV_SERVER_BIN or target/debug/clerk-dev-server)
 * @param {string|null} [options.seed] a seed TOML file (default: dev-server/seed.toml; null for none)
 * @param {string[]} [options.args] more arguments, e.g. ['--allowed-origin', 'http://…']
 * @param {number} [options.port] the port (default 0: a free one)
 * @param {string} [options.db] a SQLite file (default: in memory); a server started again on the same file and port
 *   is the same server to its clients (keys, users, sessions), as after a restart
 * @param {number} [options.timeoutMs]
 * @returns {Promise<{url: string, publishableKey: string, secretKey: string, backendApiUrl: string,
 *   productionPublishableKey: string, webhookSigningSecret: string, lines: string[], stderr: () => string,
 *   stop: () => Promise<void>, process: import('node:child_process').ChildProcess}>}
 */
const READY_LINES = 7;

export async function startDevServer({ bin = DEV_SERVER_BIN, seed = DEV_SERVER_SEED, args = [], port = 0, db, timeoutMs = 30_000 } = {}) {
  if (!existsSync(bin)) throw new Error(`no dev server binary at ${bin}: run \`cargo build -p clerk-dev-server\``);
  const storage = db ? ['--db', db] : ['--memory'];
  const argv = ['--port', String(port), ...storage, ...(seed ? ['--seed', seed] : []), ...args];
  const child = spawn(bin, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { stderr += d; if (process.env.E2E_VERBOSE) process.stderr.write(d); });
  const rl = createInterface({ input: child.stdout });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const ready = new Promise((resolve, reject) => {
    rl.on('line', (line) => {
      lines.push(line);
      if (process.env.E2E_VERBOSE) process.stderr.write(`[dev-server] ${line}\n`);
      if (lines.length === READY_LINES) resolve();
    });
    exited.then(({ code, signal }) => {
      if (lines.length >= READY_LINES) return;
      reject(new Error(`${bin} ${argv.join(' ')} exited (code ${code}, signal ${signal}) before it was ready:\n` +
        `${lines.join('\n')}\n${stderr}`));
    });
  });
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`dev server not ready after ${timeoutMs} ms:\n${lines.join('\n')}\n${stderr}`)), timeoutMs);
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(t);
  };
  try {
    await Promise.race([ready, timeout]);
  } catch (e) {
    await stop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const url = /^listening on (http:\/\/127\.0\.0\.1:\d+)\/?$/.exec(lines[0])?.[1];
  const publishableKey = /^publishable key: (pk_\w+_\S+)$/.exec(lines[1])?.[1];
  const field = (re) => lines.map((l) => re.exec(l)?.[1]).find(Boolean);
  const secretKey = field(/^secret key: (sk_\w+_\S+)$/);
  const backendApiUrl = field(/^backend api url: (http:\/\/\S+)$/);
  const productionPublishableKey = field(/^production publishable key: (pk_live_\S+)$/);
  const webhookSigningSecret = field(/^webhook signing secret: (whsec_\S+)$/);
  if (!url || !publishableKey || !secretKey || !backendApiUrl || !productionPublishableKey || !webhookSigningSecret) {
    await stop();
    throw new Error(`unexpected first lines from the dev server:\n${lines.join('\n')}`);
  }
  return {
    url, publishableKey, secretKey, backendApiUrl, productionPublishableKey, webhookSigningSecret,
    lines, stderr: () => stderr, stop, process: child,
  };
}
