// Peer test, browser to server: examples/app (OUR library, its release dist/) served by examples/api (axum +
// clerk-backend's ClerkLayer), which proxies /v1/ to the dev server. Signed in through the app, the page's cookies
// are judged by the official @clerk/backend (authenticateRequest, for a document and for an API request) and by
// OUR /api/me: both must say signed in as the same user, and signed out after sign-out. Once with the development
// key (pk_test_: dev browser, cookies clerk-js-style from the library) and once with the production key (pk_live_:
// cookie mode, __client_uat from FAPI); the api server gives the app its key at runtime (a <meta> in index.html).
//
// Needs examples/app/dist (test.sh step `trunk`), the dev server and the api server binaries (test.sh step `e2e`
// builds both). A missing one fails the tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  claimsOf, clerkBackendVerdict, cookieHeader, launchBrowser, startApiServer, startDevServer, watchPage,
} from './lib/index.mjs';
import { APP_DIST, AppPage, SEED_PASSWORD } from './lib/app.mjs';

const ADA = 'ada+clerk_test@example.com';

let devServer;
let browser;
const apis = {};

before(async () => {
  devServer = await startDevServer();
  apis.development = await startApiServer({ devServer, publishableKey: devServer.publishableKey, dist: APP_DIST });
  apis.production = await startApiServer({ devServer, publishableKey: devServer.productionPublishableKey, dist: APP_DIST });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const api of Object.values(apis)) await api.stop();
  await devServer?.stop();
});

/** GET `path` on the api server with these cookies, as a page fetch or as a document load; redirects not followed. */
async function get(api, path, { cookies = [], dest = 'empty', headers = {} } = {}) {
  const accept = dest === 'document' ? 'text/html,application/xhtml+xml' : 'application/json';
  const r = await fetch(`${api.url}${path}`, {
    redirect: 'manual',
    headers: { cookie: cookieHeader(cookies), 'sec-fetch-dest': dest, accept, ...headers },
  });
  const text = await r.text();
  let body = null;
  try { body = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, body, text };
}

/** @clerk/backend on the same cookies, for a document and for an API request to /api/me. */
async function verdicts(api, cookies) {
  const common = { devServer, publishableKey: api.publishableKey, origin: api.url, url: `${api.url}/api/me` };
  const cookie = cookieHeader(cookies);
  return {
    document: await clerkBackendVerdict({ ...common,
      headers: { cookie, 'sec-fetch-dest': 'document', accept: 'text/html', host: new URL(api.url).host } }),
    api: await clerkBackendVerdict({ ...common,
      headers: { cookie, 'sec-fetch-dest': 'empty', accept: '*/*', host: new URL(api.url).host } }),
  };
}

/** The JSON an /api-demo endpoint printed once its outcome is `outcome`. */
async function demo(app, name, outcome) {
  const el = app.$(`api-${name}`);
  await app.page.locator(`#api-${name}[data-outcome="${outcome}"]`).waitFor({ timeout: 20_000 }).catch(async (e) => {
    throw new Error(`#api-${name}: expected ${outcome}, got ${await el.getAttribute('data-outcome')}: ${await el.textContent()}\n${e.message}`);
  });
  const text = await el.textContent();
  return outcome === 'ok' ? JSON.parse(text) : text;
}

for (const instance of ['development', 'production']) {
  test(`${instance} key: our library signs in; @clerk/backend and our /api/me agree on its cookies; signed out after sign-out`, async (t) => {
    const api = apis[instance];
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchPage(page);
    const app = new AppPage(page, api.url);
    let userId;
    let sessionId;
    try {
      await t.test('signed out: the page gets the typed error; both servers say signed out', async () => {
        await app.goto('/api-demo');
        await app.waitAuth('signed-out');
        for (const name of ['health', 'me', 'admin']) {
          assert.match(await demo(app, name, 'signed-out'), /^signed-out: there is no signed-in session$/);
        }
        const cookies = await context.cookies(api.url);
        const v = await verdicts(api, cookies);
        assert.equal(v.document.status, 'signed-out', JSON.stringify(v.document));
        assert.equal(v.api.status, 'signed-out', JSON.stringify(v.api));
        const me = await get(api, '/api/me', { cookies });
        assert.equal(me.status, 401);
        assert.equal(me.body.errors[0].code, 'unauthenticated');
        const health = await get(api, '/api/health', { cookies });
        assert.equal(health.status, 200);
        assert.equal(health.body.auth.status, 'signed_out');
      });

      await t.test('sign in (custom flow, password)', async () => {
        await app.nav('custom');
        await app.$('custom-sign-in-identifier').fill(ADA);
        await app.$('custom-sign-in-password').fill(SEED_PASSWORD);
        await app.$('custom-sign-in-submit').click();
        await app.$('home-signed-in').waitFor({ timeout: 20_000 });
        await app.waitAuth('signed-in');
      });

      await t.test('@clerk/backend: signed in for a document and for an API request', async () => {
        const cookies = await context.cookies(api.url);
        const names = cookies.map((c) => c.name);
        assert.ok(names.includes('__session'), `a __session cookie: ${names}`);
        assert.ok(names.includes('__client_uat'), `a __client_uat cookie: ${names}`);
        if (instance === 'development') assert.ok(names.includes('__clerk_db_jwt'), `a __clerk_db_jwt cookie: ${names}`);
        const v = await verdicts(api, cookies);
        assert.equal(v.document.status, 'signed-in', JSON.stringify(v.document));
        assert.equal(v.api.status, 'signed-in', JSON.stringify(v.api));
        assert.match(v.document.userId, /^user_/);
        assert.equal(v.api.userId, v.document.userId);
        userId = v.document.userId;
        sessionId = v.document.sessionId;
        const session = cookies.find((c) => c.name === '__session');
        assert.equal(claimsOf(session.value).azp, api.url, 'the token was minted for the api server\'s origin');
      });

      await t.test('our /api/me: 200, the same user, for the same cookies (API request and document load)', async () => {
        const cookies = await context.cookies(api.url);
        for (const dest of ['empty', 'document']) {
          const me = await get(api, '/api/me', { cookies, dest });
          assert.equal(me.status, 200, `${dest}: ${me.text}`);
          assert.equal(me.body.status, 'signed_in');
          assert.equal(me.body.user_id, userId);
          assert.equal(me.body.session_id, sessionId);
          assert.equal(me.body.claims.sub, userId);
        }
        const health = await get(api, '/api/health', { cookies });
        assert.equal(health.body.auth.user_id, userId);
      });

      await t.test('the page: Clerk::fetch_json to /api/me, /api/health; /api/admin is 403 in the personal account', async () => {
        await app.nav('api-demo');
        const me = await demo(app, 'me', 'ok');
        assert.equal(me.user_id, userId);
        assert.equal(me.session_id, sessionId);
        assert.equal(me.org_id, null);
        const health = await demo(app, 'health', 'ok');
        assert.equal(health.auth.status, 'signed_in');
        assert.equal(health.auth.user_id, userId);
        assert.match(await demo(app, 'admin', 'http-403'), /^http-403: You are not allowed to do this\.$/);
      });

      await t.test('as admin of Acme, /api/admin answers 200 with the role', async () => {
        await app.nav('organizations');
        await page.locator('#organizations-switcher .cl-organization-switcher-trigger').click();
        await page.locator('#organizations-switcher').getByRole('menuitem', { name: /Acme/ }).click();
        await app.$('organizations-role').getByText('org:admin').waitFor();
        await app.nav('api-demo');
        const admin = await demo(app, 'admin', 'ok');
        assert.deepEqual(admin, { ok: true, user_id: userId, org_id: 'org_acme', org_role: 'org:admin' });
        const me = await demo(app, 'me', 'ok');
        assert.equal(me.org_id, 'org_acme');
        assert.equal(me.org_role, 'org:admin');
        assert.ok(Array.isArray(me.org_permissions), 'permissions (system ones stay out of tokens, as on Clerk)');
        // the cookie follows the organization too
        const cookies = await context.cookies(api.url);
        const admin2 = await get(api, '/api/admin', { cookies });
        assert.equal(admin2.status, 200, admin2.text);
      });

      await t.test('after sign-out: both servers say signed out; a document load of /api/me goes to sign in', async () => {
        await app.goto('/');
        await app.$('home-sign-out').click();
        await app.$('home-signed-out').waitFor({ timeout: 20_000 });
        await app.waitAuth('signed-out');
        const cookies = await context.cookies(api.url);
        const v = await verdicts(api, cookies);
        assert.equal(v.document.status, 'signed-out', JSON.stringify(v.document));
        assert.equal(v.api.status, 'signed-out', JSON.stringify(v.api));
        const me = await get(api, '/api/me', { cookies });
        assert.equal(me.status, 401, me.text);
        assert.equal(me.headers.get('x-clerk-auth-status'), 'signed-out');
        const doc = await get(api, '/api/me', { cookies, dest: 'document' });
        assert.equal(doc.status, 307);
        const to = new URL(doc.headers.get('location'), api.url);
        assert.equal(to.pathname, '/sign-in');
        assert.equal(to.searchParams.get('redirect_url'), `${api.url}/api/me`);
        await app.nav('api-demo');
        assert.match(await demo(app, 'me', 'signed-out'), /^signed-out:/);
      });

      await t.test('no console errors, no failed requests', () => {
        // /api/admin's 403 in the personal account is provoked on purpose
        problems.assertNone([/HTTP 403: GET .*\/api\/admin$/, /status of 403/]);
      });
    } finally {
      await context.close();
    }
  });
}

test('development key: a first document load of /api/me goes through the handshake (dev-browser-missing), then to sign in', async () => {
  const api = apis.development;
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    const response = await page.goto(`${api.url}/api/me`, { waitUntil: 'load' });
    const chain = [];
    for (let r = response.request(); r; r = r.redirectedFrom()) chain.unshift(r);
    const steps = await Promise.all(chain.map(async (r) => {
      const res = await r.response();
      return { url: new URL(r.url()), status: res.status(), headers: await res.allHeaders() };
    }));
    const summary = steps.map((s) => `${s.status} ${s.url.pathname}${s.url.search}`).join('\n  ');
    assert.equal(steps[0].url.pathname, '/api/me', summary);
    assert.equal(steps[0].status, 307, summary);
    assert.equal(steps[0].headers['x-clerk-auth-reason'], 'dev-browser-missing', summary);
    assert.equal(steps[1].url.origin + steps[1].url.pathname, `${api.url}/v1/client/handshake`, summary);
    assert.equal(steps[1].status, 307, summary);
    assert.ok(steps[2].url.searchParams.has('__clerk_handshake_nonce'), summary);
    assert.equal(steps[2].status, 307, summary);
    assert.equal(steps[3].url.href, `${api.url}/api/me`, `the clean URL:\n  ${summary}`);
    assert.equal(steps[3].status, 307, summary);
    const last = steps.at(-1);
    assert.equal(last.url.pathname, '/sign-in', summary);
    assert.equal(last.url.searchParams.get('redirect_url'), `${api.url}/api/me`, summary);
    assert.equal(last.status, 200, summary);
    assert.equal(steps.length, 5, summary);
    const names = (await context.cookies(api.url)).map((c) => c.name);
    assert.ok(names.includes('__clerk_db_jwt'), `the handshake set the dev browser: ${names}`);
    // and the app (our library) on the sign-in page takes it from there
    await new AppPage(page, api.url).waitAuth('signed-out');
  } finally {
    await context.close();
  }
});
