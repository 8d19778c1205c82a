// The README's "Quick start: your own app", followed literally: its four files (the blocks marked
// `<!-- quick-start: FILE -->`) are written into a fresh folder outside the repository, `trunk serve` builds and
// serves them with the Trunk.toml's proxy to a real dev server, and Chromium signs in through the page, under a
// strict Content-Security-Policy (the stylesheet comes from `ClerkStylesheet`).
//
// Two deviations from the README, both mechanical: the path dependency points at this checkout, and the dev server
// and trunk listen on free ports (the Trunk.toml's 127.0.0.1:4010 is rewritten to the dev server's port), so the test
// can run beside `./dev.sh`. The new app starts from this repository's Cargo.lock and shares its target/, so it
// compiles with the versions the rest of the tests use (and reuses what they built).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT, TARGET_DIR, freePort, launchBrowser, startDevServer, strictCsp, watchPage } from './lib/index.mjs';

const README = path.join(ROOT, 'README.md');

/** The README's quick-start files: `{ 'Cargo.toml': '…', 'src/main.rs': '…', … }`. */
async function quickStartFiles(readme = README) {
  const text = await readFile(readme, 'utf8');
  const files = {};
  for (const m of text.matchAll(/<!-- quick-start: (\S+) -->\n```[a-z]*\n([\s\S]*?)```\n/g)) files[m[1]] = m[2];
  return files;
}

let devServer;
let browser;
let dir;
let trunk;
let trunkLog = '';

before(async () => {
  devServer = await startDevServer();
  browser = await launchBrowser();
  dir = await mkdtemp(path.join(os.tmpdir(), 'my-app-'));
});

after(async () => {
  if (trunk && trunk.exitCode === null) {
    trunk.kill('SIGTERM');
    await new Promise((resolve) => trunk.once('exit', resolve));
  }
  await browser?.close();
  await devServer?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('a new app from the README quick start alone builds, serves and signs in', { timeout: 20 * 60_000 }, async () => {
  const files = await quickStartFiles();
  assert.deepEqual(Object.keys(files).sort(), ['Cargo.toml', 'Trunk.toml', 'index.html', 'src/main.rs']);
  assert.match(files['Cargo.toml'], /leptos-clerk = \{ path = "\.\.\/leptos-clerk" \}/);
  assert.match(files['Trunk.toml'], /backend = "http:\/\/127\.0\.0\.1:4010\/v1\/"/);
  const devPort = new URL(devServer.url).port;
  const contents = {
    ...files,
    'Cargo.toml': files['Cargo.toml'].replace('path = "../leptos-clerk"', `path = ${JSON.stringify(ROOT)}`),
    'Trunk.toml': files['Trunk.toml'].replace('127.0.0.1:4010', `127.0.0.1:${devPort}`),
  };
  for (const [name, text] of Object.entries(contents)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  await copyFile(path.join(ROOT, 'Cargo.lock'), path.join(dir, 'Cargo.lock'));

  const port = await freePort();
  trunk = spawn('trunk', ['serve', '--port', String(port), '--address', '127.0.0.1', '--no-autoreload'], {
    cwd: dir,
    env: { ...process.env, CARGO_TARGET_DIR: TARGET_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (d) => { trunkLog += d; if (process.env.E2E_VERBOSE) process.stderr.write(d); };
  trunk.stdout.setEncoding('utf8').on('data', collect);
  trunk.stderr.setEncoding('utf8').on('data', collect);
  const origin = `http://127.0.0.1:${port}`;
  // trunk serves once its first build is done
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    if (trunk.exitCode !== null) assert.fail(`trunk serve exited (${trunk.exitCode}):\n${trunkLog}`);
    const up = await fetch(`${origin}/`).then((r) => r.ok && r.text()).catch(() => null);
    if (up && /<script/.test(up)) break;
    if (Date.now() > deadline) assert.fail(`trunk serve not ready:\n${trunkLog}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }

  const context = await browser.newContext();
  // a strict CSP: trunk's inline loader by hash, wasm, and styles from this origin only (no inline style)
  await context.route(`${origin}/**`, async (route) => {
    if (route.request().resourceType() !== 'document') return route.fallback();
    const response = await route.fetch();
    const html = await response.text();
    const csp = strictCsp(html);
    await route.fulfill({ response, body: html, headers: { ...response.headers(), 'content-security-policy': csp } });
  });
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    page.on('console', (msg) => {
      if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.consoleErrors.push(`CSP: ${msg.text()}`);
    });
    await page.goto(`${origin}/`);
    const identifier = page.getByLabel('Email address, username or phone number');
    await identifier.waitFor({ timeout: 60_000 });
    // the stylesheet is there (ClerkStylesheet): the card has the stylesheet's border radius, not the browser's 0
    const radius = await page.locator('.cl-card').first().evaluate((el) => getComputedStyle(el).borderTopLeftRadius);
    assert.notEqual(radius, '0px', 'the prebuilt components are styled');
    await identifier.fill('ada+clerk_test@example.com');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password', { exact: true }).fill('correct-horse-battery-staple');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#hello').getByText(/Signed in as user_\w+/).waitFor({ timeout: 30_000 });
    await page.locator('.cl-user-button-trigger').waitFor();
    assert.equal(await page.locator('aside.cl-dev-notice').count(), 0, 'no development notice when all is well');
    problems.assertNone();
  } finally {
    await context.close();
  }
});
