// What a new user runs into first, in headless Chromium against the real dev server, through examples/gallery
// (which takes `key` and `proxy` from its URL to show these states):
//
// 1. Every misconfiguration is visible: a garbled, empty or secret key, the dev server's key without `proxy_url`,
//    nothing answering behind the proxy (the dev server not running), a proxy that answers with something that is not
//    Clerk. The prebuilt SignIn shows the failure instead of loading forever, and the provider's development notice
//    says what is wrong and how to fix it. Offline is told apart from unreachable. When the dev server comes up,
//    the form appears by itself.
// 2. A sign-out during an outage is not lost: the page is signed out at once and stays so across a reload while the
//    server is down; when it is back, the sign-out finishes (on the server too), before anything else.
//
// Needs examples/gallery/dist (test.sh step `trunk`) and the dev server binary (cargo build -p clerk-dev-server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLES_DIR, freePort, launchBrowser, serveDist, startDevServer, watchPage } from './lib/index.mjs';

const GALLERY = path.join(EXAMPLES_DIR, 'gallery', 'dist');
const DEV_SERVER_KEY = 'pk_test_Y2xlcmstZGV2LXNlcnZlci5sY2wuZGV2JA';
const ADA = 'ada+clerk_test@example.com';
const PASSWORD = 'correct-horse-battery-staple';

let browser;
let devServer;
let site;

before(async () => {
  browser = await launchBrowser();
  devServer = await startDevServer();
  site = await serveDist({ dir: GALLERY, proxy: devServer.url });
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await devServer?.stop();
});

/** The gallery's SignIn page started with `key` and `proxy` (`none`: no proxy_url). */
function signInUrl(origin, { key, proxy = '/' } = {}) {
  const q = new URLSearchParams({ c: 'sign-in' });
  if (key !== undefined) q.set('key', key);
  q.set('proxy', proxy ?? 'none');
  return `${origin}/?${q}`;
}

/** The failure SignIn shows and the notice's text (title and fix), once both are there. */
async function failureOf(page, { notice = true } = {}) {
  const failure = page.locator('.cl-sign-in .cl-startup-failure');
  await failure.waitFor({ timeout: 30_000 });
  const card = (await failure.innerText()).replace(/\s+/g, ' ');
  let devNotice = null;
  if (notice) {
    const aside = page.locator('aside.cl-dev-notice');
    await aside.waitFor({ timeout: 10_000 });
    devNotice = (await aside.innerText()).replace(/\s+/g, ' ');
  }
  return { card, notice: devNotice };
}

const CASES = [
  {
    name: 'a garbled key',
    key: 'pk_test_%%%not-base64',
    card: /The publishable key is not valid/,
    fix: /Pass the publishable key of your Clerk instance/,
  },
  { name: 'an empty key', key: '', card: /The publishable key is empty/, fix: /pk_test_… or pk_live_…/ },
  {
    name: 'a secret key',
    key: 'sk_test_0123456789abcdefghijklmnopqrstuvwxyzABCD',
    card: /A secret key was given as the publishable key/,
    fix: /Never put a secret key/,
  },
  {
    // the README's snippet before this fix: the dev server's key and no proxy_url
    name: "the dev server's key without proxy_url",
    key: DEV_SERVER_KEY,
    proxy: null,
    card: /there is no proxy_url: requests go to clerk-dev-server\.lcl\.dev/,
    fix: /Set proxy_url="\/" on ClerkProvider .*\[\[proxy\]\] backend = "http:\/\/127\.0\.0\.1:4010\/v1\/"/,
  },
];

test('misconfigurations: SignIn shows the failure, the development notice says what to fix', async (t) => {
  for (const c of CASES) {
    await t.test(c.name, async () => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(signInUrl(site.url, c));
        const { card, notice } = await failureOf(page);
        assert.match(card, /Sign-in is unavailable right now\./, card);
        assert.match(card, c.card, card);
        assert.match(card, c.fix, card);
        assert.match(notice, /Clerk cannot start \(development\)/, notice);
        assert.match(notice, c.card, notice);
        assert.match(notice, c.fix, notice);
        assert.equal(await page.locator('.cl-loading').count(), 0, 'not loading forever');
        // dismissible
        await page.getByRole('button', { name: 'Dismiss' }).click();
        await page.locator('aside.cl-dev-notice').waitFor({ state: 'detached' });
      } finally {
        await context.close();
      }
    });
  }

  await t.test('a proxy with no route to Clerk (it answers, but not like the Frontend API)', async () => {
    const bare = await serveDist({ dir: GALLERY }); // no /v1/ proxy: what a Trunk.toml without [[proxy]] gives
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(signInUrl(bare.url));
      const { card, notice } = await failureOf(page);
      assert.match(card, /The proxy URL \/ did not answer like Clerk's Frontend API/, card);
      assert.match(notice, /Forward the proxy URL's \/v1\/ path to the Frontend API/, notice);
    } finally {
      await context.close();
      await bare.stop();
    }
  });
});

test('the dev server not running: told so, retried, and the form appears once it answers', async () => {
  const port = await freePort();
  const proxied = await serveDist({ dir: GALLERY, proxy: `http://127.0.0.1:${port}` });
  const context = await browser.newContext();
  let late;
  try {
    const page = await context.newPage();
    await page.goto(signInUrl(proxied.url));
    const { card, notice } = await failureOf(page);
    assert.match(card, /We could not reach the server/, card);
    assert.match(card, /Trying again…/, card);
    assert.match(card, /Nothing answers behind the proxy URL \/ \(HTTP 502\): is clerk-dev-server running\?/, card);
    assert.match(notice, /Start the dev server/, notice);
    late = await startDevServer({ port });
    await page.getByLabel('Email address, username or phone number').waitFor({ timeout: 30_000 });
    await page.locator('aside.cl-dev-notice').waitFor({ state: 'detached' });
  } finally {
    await context.close();
    await proxied.stop();
    await late?.stop();
  }
});

test('offline is told apart from unreachable, and shows no development notice', async () => {
  for (const offline of [true, false]) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      if (offline) await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'onLine', { get: () => false }));
      // the network refuses every Frontend API call
      await page.route('**/v1/**', (route) => route.abort('internetdisconnected'));
      await page.goto(signInUrl(site.url));
      const { card } = await failureOf(page, { notice: !offline });
      if (offline) {
        assert.match(card, /You appear to be offline/, card);
        await page.waitForTimeout(300);
        assert.equal(await page.locator('aside.cl-dev-notice').count(), 0, 'no notice when offline');
      } else {
        assert.match(card, /We could not reach the server/, card);
        assert.doesNotMatch(card, /offline/, card);
      }
    } finally {
      await context.close();
    }
  }
});

test('a sign-out during an outage: signed out at once, still signed out after a reload, finished when the server is back', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'clerk-outage-'));
  const db = path.join(dir, 'dev.sqlite3');
  const port = await freePort();
  let server = await startDevServer({ port, db });
  const local = await serveDist({ dir: GALLERY, proxy: server.url });
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    const status = page.locator('#status');
    await page.goto(`${local.url}/?c=sign-in`);
    await page.getByLabel('Email address, username or phone number').fill(ADA);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await status.getByText('Signed in').waitFor({ timeout: 20_000 });
    await page.goto(`${local.url}/?c=user-button`);
    await page.locator('.cl-user-button-trigger').waitFor({ timeout: 20_000 });
    const sid = await page.evaluate(() => {
      const jwt = document.cookie.split('; ').find((c) => c.startsWith('__session='))?.slice('__session='.length);
      return jwt && JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sid;
    });
    assert.match(sid ?? '', /^sess_/);

    // the outage: the server is gone (its database stays)
    await server.stop();
    await page.locator('.cl-user-button-trigger').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await status.getByText('Signed out').waitFor({ timeout: 30_000 });
    await page.waitForURL(/c=sign-in/);
    const pending = page.getByText(/You are signed out on this device\. The server could not be reached/);
    await pending.waitFor({ timeout: 20_000 });

    // a reload while it is still down: not signed in again
    await page.reload();
    await pending.waitFor({ timeout: 30_000 });
    assert.equal(await status.getByText('Signed in').count(), 0, 'not signed in after the reload');
    assert.equal(await page.locator('.cl-user-button-trigger').count(), 0);

    // the server is back (same port, same database: the session is still active there until told)
    server = await startDevServer({ port, db });
    await pending.waitFor({ state: 'detached', timeout: 30_000 });
    const r = await fetch(`${server.backendApiUrl}/v1/sessions/${sid}`, {
      headers: { authorization: `Bearer ${server.secretKey}` },
    });
    assert.equal(r.status, 200, await r.clone().text());
    const session = await r.json();
    assert.notEqual(session.status, 'active', `the session ended on the server: ${JSON.stringify(session)}`);

    await page.reload();
    await status.getByText('Signed out').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('.cl-user-button-trigger').count(), 0);
    // the outage's failed requests are expected; nothing else
    problems.assertNone([/\b502\b/, /ERR_CONNECTION_REFUSED|Failed to fetch|net::/]);
  } finally {
    await context.close();
    await local.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
