// examples/ssr: Leptos SSR + hydration behind clerk-backend's ClerkLayer, our library on both sides.
//
// 1. The server's HTML, read as bytes by a plain HTTP client before any script runs: signed in (the cookies of a
//    signed-in browser) it holds the signed-in markup with the user's name from current_user(); signed out, the
//    signed-out markup; never a token or private metadata in the state sent to the client.
// 2. In Chromium, a returning user: a MutationObserver installed before the first byte sees the signed-in branch
//    from the first paint and the signed-out branch never; no hydration error; the signed-in element is the one the
//    server sent (not re-created when FAPI's live state takes over); the FAPI requests are the library's normal load.
// 3. A #[server] function (client = BearerClient): the caller's data when signed in, the typed `Unauthenticated`
//    error signed out, still answered once the __session cookie's token has expired (the Bearer token), and a token
//    minted for another origin is refused (azp).
// 4. /account signed out: the server answers 307 to /sign-in?redirect_url=… before any HTML, and the sign-in comes
//    back to it; /admin (org:admin): the server renders the fallback for a member, the page for an admin.
// 5. The prebuilt components render on the server and hydrate; /synced-users lists the webhook-synced users.
//
// The dev server runs with 10-second session tokens (a copy of the default seed). Needs the dev server binary and
// `cargo leptos build --release` of examples/ssr (test.sh step `e2e` builds both); a missing one fails the tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEV_SERVER_SEED, claimsOf, cookieHeader, freePort, launchBrowser, sleep, startDevServer, watchPage,
} from './lib/index.mjs';
import { SEED_PASSWORD } from './lib/app.mjs';
import { openHydrated, startSsrServer } from './lib/ssr-server.mjs';

const ADA = 'ada+clerk_test@example.com';
const ALAN = 'alan+clerk_test@example.com';
const TOKEN_LIFETIME = 10;

let devServer;
let ssr;
let browser;

before(async () => {
  const tmp = await mkdtemp(path.join(tmpdir(), 'ssr-'));
  const seed = (await readFile(DEV_SERVER_SEED, 'utf8'))
    .replace(/^token_lifetime_seconds = \d+$/m, `token_lifetime_seconds = ${TOKEN_LIFETIME}`);
  assert.match(seed, new RegExp(`^token_lifetime_seconds = ${TOKEN_LIFETIME}$`, 'm'), 'the seed sets the lifetime');
  await writeFile(path.join(tmp, 'seed.toml'), seed);
  const port = await freePort();
  devServer = await startDevServer({
    seed: path.join(tmp, 'seed.toml'), args: ['--webhook', `http://127.0.0.1:${port}/api/webhooks/clerk`],
  });
  ssr = await startSsrServer({ devServer, port });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await ssr?.stop();
  await devServer?.stop();
});

/** A raw GET of a page, as a browser's document request with these cookies; redirects not followed. */
async function getPage(pathname, cookies = []) {
  const r = await fetch(`${ssr.url}${pathname}`, {
    redirect: 'manual',
    headers: { cookie: cookieHeader(cookies), accept: 'text/html,application/xhtml+xml', 'sec-fetch-dest': 'document' },
  });
  return { status: r.status, headers: r.headers, html: await r.text() };
}

/** A raw call of a server function (POST, form-encoded, as Leptos' client sends it). */
async function callServerFn(name, { cookies = [], bearer } = {}) {
  const headers = { cookie: cookieHeader(cookies), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const r = await fetch(`${ssr.url}/api/${name}`, { method: 'POST', headers, body: '' });
  const text = await r.text();
  let body = null;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, body, text };
}

/** Signs in through the prebuilt <SignIn/> of /sign-in (or the page it was sent to). */
async function signIn(page, identifier) {
  await page.getByLabel('Email address, username or phone number').fill(identifier);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Password', { exact: true }).fill(SEED_PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** Makes Acme the active organization through the header's OrganizationSwitcher. */
async function activateAcme(page) {
  await page.locator('header .cl-organization-switcher-trigger').click();
  await page.getByRole('menuitem', { name: /Acme/ }).click();
  await page.locator('header .cl-organization-switcher-trigger').getByText('Acme').waitFor({ timeout: 20_000 });
}

/** The serialized hydration data of a page: the scripts Leptos adds for the client. */
function hydrationData(html) {
  // Leptos writes each value as a JSON string inside a JS string literal: unescape the quotes
  return [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n').replace(/\\"/g, '"');
}

/** The cookies of a signed-out browser that has been here before (its dev browser, `__client_uat=0`). */
async function signedOutCookies() {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${ssr.url}/`);
    await page.locator('#home-signed-out').waitFor();
    await page.waitForFunction(() => /__client_uat=0/.test(document.cookie));
    return await context.cookies(ssr.url);
  } finally {
    await context.close();
  }
}

/** A browser context signed in as `identifier`, on `/`. */
async function signedInContext(identifier) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  await openHydrated(page, `${ssr.url}/sign-in`);
  await signIn(page, identifier);
  await page.locator('#home-signed-in').waitFor({ timeout: 20_000 });
  return { context, page, problems };
}

test('the server HTML: signed in with the user from current_user, signed out without; no token or private data in the state', async () => {
  // a first visit (no dev browser yet) goes through Clerk's handshake, as with @clerk/backend
  const first = await getPage('/');
  assert.equal(first.status, 307);
  assert.equal(new URL(first.headers.get('location')).pathname, '/v1/client/handshake');
  const out = await getPage('/', await signedOutCookies());
  assert.equal(out.status, 200, out.html.slice(0, 300));
  assert.match(out.html, /id="home-signed-out"/);
  assert.doesNotMatch(out.html, /id="home-signed-in"/);

  const { context, problems } = await signedInContext(ADA);
  try {
    const cookies = await context.cookies(ssr.url);
    const session = cookies.find((c) => c.name === '__session');
    assert.ok(session, `a __session cookie: ${cookies.map((c) => c.name)}`);
    const signedIn = await getPage('/', cookies);
    assert.equal(signedIn.status, 200, signedIn.html.slice(0, 500));
    assert.match(signedIn.html, /id="home-signed-in"/);
    assert.doesNotMatch(signedIn.html, /id="home-signed-out"/);
    const name = /<strong id="home-name">(.*?)<\/strong>/.exec(signedIn.html)?.[1];
    assert.equal(name?.replace(/<!(--[^>]*--)?>/g, ''), 'Ada', `the name from current_user, rendered on the server: ${name}`);
    // the prebuilt UserButton rendered on the server too (the avatar from the initial state)
    assert.match(signedIn.html, /cl-user-button/);
    const data = hydrationData(signedIn.html);
    assert.match(data, new RegExp(`"session_id":"${claimsOf(session.value).sid}"`), 'the state travels to the client');
    assert.doesNotMatch(data, /eyJ[\w-]+\.eyJ/, 'no JWT in the state sent to the client');
    assert.doesNotMatch(data, /private_metadata/, 'no private metadata in the state sent to the client');
    problems.assertNone();
  } finally {
    await context.close();
  }
});

test('Chromium, a returning user: signed in from the first paint, never signed out, no hydration error, one normal FAPI load', async () => {
  const { context, problems } = await signedInContext(ADA);
  try {
    await context.addInitScript(`(() => {
      const seen = (window.__seen = { out: null, in: null, first: null, paint: null });
      const check = () => {
        const el = document.getElementById('home-signed-in');
        if (el && seen.in === null) { seen.in = performance.now(); seen.first = el; }
        if (document.getElementById('home-signed-out') && seen.out === null) seen.out = performance.now();
      };
      new MutationObserver(check).observe(document, { childList: true, subtree: true });
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.name === 'first-paint' && seen.paint === null) seen.paint = e.startTime;
      }).observe({ type: 'paint', buffered: true });
    })();`);
    const page = await context.newPage();
    const pageProblems = watchPage(page);
    const warnings = [];
    page.on('console', (m) => { if (/hydrat/i.test(m.text())) warnings.push(`${m.type()}: ${m.text()}`); });
    const fapi = [];
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin === ssr.url && u.pathname.startsWith('/v1/')) fapi.push(`${r.method()} ${u.pathname}`);
    });
    await openHydrated(page, `${ssr.url}/`, { waitUntil: 'networkidle' });
    // live state has taken over: the library loaded the client (its request count went up) and still says signed in
    await page.locator('#home-signed-in').waitFor();
    const seen = await page.evaluate(() => ({
      out: window.__seen.out, in: window.__seen.in, paint: window.__seen.paint,
      same: window.__seen.first === document.getElementById('home-signed-in'),
    }));
    assert.equal(seen.out, null, 'the signed-out branch never appeared');
    assert.notEqual(seen.in, null, 'the signed-in branch was there');
    assert.notEqual(seen.paint, null, 'a first paint was recorded');
    assert.ok(seen.in <= seen.paint, `signed in before the first paint (seen at ${seen.in} ms, first paint ${seen.paint} ms)`);
    assert.ok(seen.same, 'the element the server sent is still the one on the page (hydrated, not re-rendered)');
    assert.deepEqual(warnings, [], 'no hydration warning');
    pageProblems.assertNone();
    problems.assertNone();
    // the library's normal load: the environment and the client, once each (no extra request for SSR); with this
    // run's 10-second tokens, shorter than the token cache's 10-second leeway, the client's token is already too
    // old to hand out, so the library mints one at once, as it would on a client-rendered page
    const gets = fapi.filter((r) => r.startsWith('GET ')).sort();
    assert.deepEqual(gets, ['GET /v1/client', 'GET /v1/environment'], `FAPI requests: ${fapi.join(', ')}`);
    const others = fapi.filter((r) => !r.startsWith('GET '));
    assert.ok(others.length <= 1 && others.every((r) => /^POST \/v1\/client\/sessions\/sess_\w+\/tokens$/.test(r)),
      `FAPI requests: ${fapi.join(', ')}`);
  } finally {
    await context.close();
  }
});

test('#[server] whoami: the caller when signed in, Unauthenticated signed out, the Bearer token after the cookie expired, azp enforced', async (t) => {
  await t.test('signed out: the typed error, 401', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await openHydrated(page, `${ssr.url}/`);
      await page.locator('#home-signed-out').waitFor();
      await page.locator('#whoami').click();
      await page.locator('#whoami-result[data-outcome="unauthenticated"]').waitFor({ timeout: 20_000 });
      const raw = await callServerFn('whoami');
      assert.equal(raw.status, 401, raw.text);
      assert.ok(raw.body && 'Unauthenticated' in raw.body, raw.text);
    } finally {
      await context.close();
    }
  });

  const { context, page, problems } = await signedInContext(ADA);
  try {
    const bearer = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/whoami') bearer.push(r.headers().authorization ?? '');
    });
    await t.test('signed in: the caller, from protect() and current_user()', async () => {
      await page.locator('#whoami').click();
      const result = page.locator('#whoami-result[data-outcome="ok"]');
      await result.waitFor({ timeout: 20_000 });
      assert.match(await result.textContent(), /^Ada \(ada\+clerk_test@example\.com\)$/);
      assert.match(bearer.at(-1), /^Bearer eyJ/, 'the client sent the session token');
    });

    await t.test('after the __session cookie\'s token expired: the cookie alone is refused, the page still gets its answer', async () => {
      const cookies = await context.cookies(ssr.url);
      const stale = cookies.filter((c) => c.name.startsWith('__session'));
      const exp = Math.max(...stale.map((c) => claimsOf(c.value).exp));
      await sleep(Math.max(0, exp * 1000 + 6_000 - Date.now()));
      // put the expired token back, as a tab that slept would have it
      await context.addCookies(stale);
      const raw = await callServerFn('whoami', { cookies: await context.cookies(ssr.url) });
      assert.equal(raw.status, 401, `a POST with an expired cookie cannot be rescued by a handshake: ${raw.text}`);
      const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/whoami');
      await page.locator('#whoami').click();
      const response = await answered;
      assert.equal(response.status(), 200, await response.text());
      await page.locator('#whoami-result[data-outcome="ok"]').waitFor({ timeout: 20_000 });
      const sent = claimsOf(bearer.at(-1).replace(/^Bearer /, ''));
      assert.ok(sent.exp * 1000 > Date.now(), 'a fresh token went as Bearer');
    });

    await t.test('a token minted for another origin: refused (azp)', async () => {
      const cookies = await context.cookies(ssr.url);
      const db = cookies.find((c) => c.name === '__clerk_db_jwt')?.value;
      const sid = claimsOf(cookies.find((c) => c.name === '__session').value).sid;
      const r = await fetch(`${devServer.url}/v1/client/sessions/${sid}/tokens?__clerk_db_jwt=${db}`, {
        method: 'POST', headers: { origin: 'http://127.0.0.1:9' },
      });
      assert.equal(r.status, 200, await r.clone().text());
      const { jwt } = await r.json();
      assert.equal(claimsOf(jwt).azp, 'http://127.0.0.1:9');
      const raw = await callServerFn('whoami', { bearer: jwt });
      assert.equal(raw.status, 401, raw.text);
      assert.match(raw.text, /authorized-parties/);
    });
    problems.assertNone([/HTTP 401: POST .*\/api\/whoami/]);
  } finally {
    await context.close();
  }
});

test('/account: signed out, 307 to sign-in before any HTML; signing in comes back to it', async () => {
  const raw = await getPage('/account', await signedOutCookies());
  assert.equal(raw.status, 307, raw.html.slice(0, 300));
  const location = new URL(raw.headers.get('location'), ssr.url);
  assert.equal(location.pathname, '/sign-in');
  assert.equal(location.searchParams.get('redirect_url'), `${ssr.url}/account`);
  assert.equal(raw.html, '', 'no HTML before the redirect');

  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems = watchPage(page);
    await openHydrated(page, `${ssr.url}/account`);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
    await signIn(page, ADA);
    await page.locator('#account').waitFor({ timeout: 20_000 });
    assert.equal(new URL(page.url()).pathname, '/account');
    assert.equal(await page.locator('#account-email').textContent(), ADA);
    const signedIn = await getPage('/account', await context.cookies(ssr.url));
    assert.equal(signedIn.status, 200);
    assert.match(signedIn.html, /id="account"/);
    problems.assertNone();
  } finally {
    await context.close();
  }
});

test('/admin (org:admin): the server renders the fallback for a member and the page (with its protect_with data) for an admin', async () => {
  for (const [who, admin] of [[ALAN, false], [ADA, true]]) {
    const { context, page, problems } = await signedInContext(who);
    try {
      await activateAcme(page);
      // the token of the new organization is in the cookie once the library has written it
      await page.waitForFunction(() => /(^|; )__session=/.test(document.cookie));
      let html = '';
      for (let i = 0; i < 50; i++) {
        const cookies = await context.cookies(ssr.url);
        const token = cookies.find((c) => c.name === '__session')?.value;
        if (token && claimsOf(token).o?.id) {
          html = (await getPage('/admin', cookies)).html;
          break;
        }
        await sleep(100);
      }
      assert.ok(html, `${who}: a token with the organization`);
      if (admin) {
        assert.match(html, /id="admin-content"/, html);
        assert.doesNotMatch(html, /id="admin-refused"/);
        assert.match(html, /admin report for acme/, 'the protect_with server function, rendered on the server');
      } else {
        assert.match(html, /id="admin-refused"/, html);
        assert.doesNotMatch(html, /id="admin-content"/);
        const raw = await callServerFn('admin_report', { cookies: await context.cookies(ssr.url) });
        assert.equal(raw.status, 403, raw.text);
        assert.ok(raw.body && raw.body === 'Forbidden', raw.text);
      }
      await openHydrated(page, `${ssr.url}/admin`);
      await page.locator(admin ? '#admin-content' : '#admin-refused').waitFor();
      problems.assertNone();
    } finally {
      await context.close();
    }
  }
});

test('the prebuilt SignIn and SignUp render on the server and hydrate; /synced-users lists the webhook-synced users', async () => {
  for (const [pathname, label] of [['/sign-in', 'Email address, username or phone number'], ['/sign-up', 'Email address']]) {
    const raw = await getPage(pathname, await signedOutCookies());
    assert.equal(raw.status, 200, `${pathname}: ${raw.html.slice(0, 300)}`);
    assert.match(raw.html, /class="cl-root/, `${pathname}: the component is in the server's HTML`);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const problems = watchPage(page);
      await openHydrated(page, `${ssr.url}${pathname}`);
      await page.getByLabel(label, { exact: true }).first().waitFor();
      problems.assertNone();
    } finally {
      await context.close();
    }
  }

  const { context, problems } = await signedInContext(ADA);
  try {
    let html = '';
    for (let i = 0; i < 100 && !/synced-user-user_/.test(html); i++) {
      html = (await getPage('/synced-users', await context.cookies(ssr.url))).html;
      if (!/synced-user-user_/.test(html)) await sleep(200);
    }
    assert.match(html, /data-outcome="ok"/, html);
    assert.match(html, new RegExp(`data-email="${ADA.replace(/[+.]/g, '\\$&')}"`), 'the seed\'s users, delivered by webhook');
    problems.assertNone();
  } finally {
    await context.close();
  }
});
