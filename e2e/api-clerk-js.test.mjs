// Peer test, clerk-js to our server: a page running the REAL clerk-js (npm @clerk/clerk-js, browser bundle),
// served by examples/api (axum + clerk-backend's ClerkLayer) with its Frontend API through the server's /v1/ proxy,
// against the dev server. Signed in, the page's requests to /api/me are signed in (cookies, and Bearer); a document
// load with an EXPIRED __session goes through OUR handshake (307 to /v1/client/handshake, the dev server's 307 back
// with a nonce, ClerkLayer resolving it through the Backend API, 307 to the clean URL, 200 signed in); a token
// minted for another origin (a clerk-js page elsewhere) is refused: 401, token-invalid-authorized-parties.
//
// The dev server runs with 10-second session tokens (a copy of the default seed), so a token expires quickly.
// Needs the dev server and the api server binaries (test.sh step `e2e` builds both); a missing one fails the tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DEV_SERVER_SEED, ROOT, claimsOf, clerkBackendVerdict, cookieHeader, launchBrowser, sleep, startApiServer,
  startDevServer,
} from './lib/index.mjs';
import { SEED_PASSWORD } from './lib/app.mjs';

const ADA = 'ada+clerk_test@example.com';
const CLERK_JS = path.join(ROOT, 'e2e', 'node_modules', '@clerk', 'clerk-js', 'dist');
const TOKEN_LIFETIME = 10;

// The page: clerk-js with the key the api server put in <meta name="clerk-publishable-key">, and this origin as
// its proxy URL (so every FAPI call goes through the api server's /v1/ proxy).
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>clerk-js on examples/api</title></head>
<body><p id="ready">clerk-js</p>
<script>
  const s = document.createElement('script');
  s.src = '/clerk-js/clerk.browser.js';
  s.crossOrigin = 'anonymous';
  s.dataset.clerkPublishableKey = document.querySelector('meta[name="clerk-publishable-key"]').content;
  s.dataset.clerkProxyUrl = location.origin;
  document.body.appendChild(s);
</script></body></html>`;

let tmp;
let devServer;
let api;
let other; // a clerk-js page on another origin, talking to the dev server directly
let browser;

before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'api-clerk-js-'));
  const seed = (await readFile(DEV_SERVER_SEED, 'utf8'))
    .replace(/^token_lifetime_seconds = \d+$/m, `token_lifetime_seconds = ${TOKEN_LIFETIME}`);
  assert.match(seed, new RegExp(`^token_lifetime_seconds = ${TOKEN_LIFETIME}$`, 'm'), 'the seed sets the lifetime');
  await writeFile(path.join(tmp, 'seed.toml'), seed);
  const dist = path.join(tmp, 'dist');
  await mkdir(dist);
  await writeFile(path.join(dist, 'index.html'), PAGE);
  await symlink(CLERK_JS, path.join(dist, 'clerk-js'));

  devServer = await startDevServer({ seed: path.join(tmp, 'seed.toml') });
  api = await startApiServer({ devServer, publishableKey: devServer.publishableKey, dist });
  other = await serveOtherOrigin();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (other ? other.server.close(resolve) : resolve()));
  await api?.stop();
  await devServer?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** clerk-js with the dev server as its proxy URL, on an origin of its own (not the api server's). */
async function serveOtherOrigin() {
  const html = `<!doctype html><html><head><meta charset="utf-8"></head><body>
<script src="/clerk-js/clerk.browser.js" crossorigin="anonymous"
  data-clerk-publishable-key="${devServer.publishableKey}" data-clerk-proxy-url="${devServer.url}"></script></body></html>`;
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(html);
    const rel = pathname.replace(/^\/clerk-js\//, '');
    if (pathname.startsWith('/clerk-js/') && !rel.includes('..')) {
      try {
        const body = await readFile(path.join(CLERK_JS, rel));
        return res.writeHead(200, { 'content-type': 'text/javascript' }).end(body);
      } catch { /* 404 */ }
    }
    res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** Loads clerk-js on `origin` in a fresh context and signs Ada in with her password. */
async function signedInClerkJs(origin) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => !!window.Clerk);
  const r = await page.evaluate(async ({ email, password }) => {
    await window.Clerk.load({ routerPush: () => {}, routerReplace: () => {} });
    const si = await window.Clerk.client.signIn.create({ identifier: email, password, strategy: 'password' });
    await window.Clerk.setActive({ session: si.createdSessionId });
    return { signedIn: window.Clerk.isSignedIn, userId: window.Clerk.user?.id, sessionId: window.Clerk.session?.id };
  }, { email: ADA, password: SEED_PASSWORD });
  assert.equal(r.signedIn, true);
  assert.match(r.userId, /^user_/);
  return { context, page, ...r };
}

/** Every hop of a navigation: [{url, status, headers}], first request first. */
async function redirectChain(response) {
  const chain = [];
  for (let r = response.request(); r; r = r.redirectedFrom()) chain.unshift(r);
  return Promise.all(chain.map(async (r) => {
    const res = await r.response();
    return { url: new URL(r.url()), status: res.status(), headers: await res.allHeaders() };
  }));
}

test('clerk-js signed in on examples/api: /api/me signed in; an expired __session on a document load is renewed by our handshake; another origin\'s token is refused', async (t) => {
  const { context, page, userId, sessionId } = await signedInClerkJs(api.url);
  try {
    await t.test('/api/me from the page: 200 signed in, with the cookies and with Authorization: Bearer', async () => {
      const r = await page.evaluate(async () => {
        const call = async (headers) => {
          const res = await fetch('/api/me', { headers });
          return { status: res.status, body: await res.json() };
        };
        const token = await window.Clerk.session.getToken();
        return { cookie: await call({}), bearer: await call({ authorization: `Bearer ${token}` }) };
      });
      for (const [how, res] of Object.entries(r)) {
        assert.equal(res.status, 200, `${how}: ${JSON.stringify(res.body)}`);
        assert.equal(res.body.status, 'signed_in');
        assert.equal(res.body.user_id, userId);
        assert.equal(res.body.session_id, sessionId);
        assert.equal(res.body.claims.azp, api.url);
      }
      // and @clerk/backend agrees about clerk-js's cookies
      const cookies = await context.cookies(api.url);
      const v = await clerkBackendVerdict({ devServer, publishableKey: devServer.publishableKey, origin: api.url,
        url: `${api.url}/api/me`, headers: { cookie: cookieHeader(cookies), 'sec-fetch-dest': 'document' } });
      assert.equal(v.status, 'signed-in', JSON.stringify(v));
      assert.equal(v.userId, userId);
    });

    await t.test('a document load with an expired __session: 307 handshake through /v1, back with a nonce, 307 to the clean URL, 200 signed in', async () => {
      // clerk-js keeps __session fresh while its page is open: take the cookies, then let that token expire in a
      // context where no clerk-js runs.
      const cookies = await context.cookies(api.url);
      const sessions = cookies.filter((c) => c.name.startsWith('__session'));
      assert.ok(sessions.length >= 1, `clerk-js wrote __session: ${cookies.map((c) => c.name)}`);
      const exp = Math.max(...sessions.map((c) => claimsOf(c.value).exp));
      // past exp plus @clerk/backend's (and ClerkLayer's) 5 s clock skew
      await sleep(Math.max(0, exp * 1000 + 6_000 - Date.now()));
      const stale = await browser.newContext();
      try {
        await stale.addCookies(cookies);
        const tab = await stale.newPage();
        const response = await tab.goto(`${api.url}/api/me`, { waitUntil: 'load' });
        const steps = await redirectChain(response);
        const summary = steps.map((s) => `${s.status} ${s.url.href}`).join('\n  ');
        assert.equal(steps.length, 4, summary);
        const [first, handshake, back, done] = steps;
        assert.equal(first.url.href, `${api.url}/api/me`);
        assert.equal(first.status, 307, summary);
        assert.match(first.headers['x-clerk-auth-reason'], /^session-token-expired/, summary);
        assert.equal(first.headers['cache-control'], 'no-store');
        assert.equal(handshake.url.origin + handshake.url.pathname, `${api.url}/v1/client/handshake`, summary);
        assert.equal(handshake.url.searchParams.get('redirect_url'), `${api.url}/api/me`);
        assert.equal(handshake.url.searchParams.get('format'), 'nonce');
        assert.ok(handshake.url.searchParams.get('__clerk_db_jwt'), 'the dev browser travels along');
        assert.equal(handshake.status, 307, summary);
        assert.equal(back.url.origin + back.url.pathname, `${api.url}/api/me`, summary);
        assert.ok(back.url.searchParams.get('__clerk_handshake_nonce'), summary);
        assert.equal(back.status, 307, summary);
        assert.match(back.headers['set-cookie'] ?? '', /(^|\n)__session=/, 'the handshake sets a new __session');
        assert.equal(done.url.href, `${api.url}/api/me`, 'the clean URL');
        assert.equal(done.status, 200, summary);
        const body = JSON.parse(await tab.locator('body').innerText());
        assert.equal(body.status, 'signed_in');
        assert.equal(body.user_id, userId);
        assert.equal(body.session_id, sessionId);
        const renewed = (await stale.cookies(api.url)).find((c) => c.name === '__session');
        assert.ok(claimsOf(renewed.value).exp > Date.now() / 1000, 'the new __session is fresh');
        assert.equal(claimsOf(renewed.value).azp, api.url);
      } finally {
        await stale.close();
      }
    });

    await t.test('a token minted for another origin, as Bearer: 401 token-invalid-authorized-parties', async () => {
      const elsewhere = await signedInClerkJs(other.url);
      try {
        const token = await elsewhere.page.evaluate(() => window.Clerk.session.getToken());
        assert.equal(claimsOf(token).azp, other.url, 'minted for the other origin');
        assert.equal(claimsOf(token).sub, userId, 'the same user');
        const r = await fetch(`${api.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
        assert.equal(r.status, 401);
        assert.equal(r.headers.get('x-clerk-auth-status'), 'signed-out');
        assert.equal(r.headers.get('x-clerk-auth-reason'), 'token-invalid-authorized-parties');
        const body = await r.json();
        assert.equal(body.errors[0].code, 'unauthenticated');
        assert.equal(body.errors[0].meta.reason, 'token-invalid-authorized-parties');
        // @clerk/backend says the same
        const v = await clerkBackendVerdict({ devServer, publishableKey: devServer.publishableKey, origin: api.url,
          url: `${api.url}/api/me`, headers: { authorization: `Bearer ${token}` } });
        assert.deepEqual([v.status, v.reason], ['signed-out', 'token-invalid-authorized-parties']);
      } finally {
        await elsewhere.context.close();
      }
    });
  } finally {
    await context.close();
  }
});
