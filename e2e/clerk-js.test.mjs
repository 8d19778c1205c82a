// The official clerk-js (npm @clerk/clerk-js, browser bundle, no UI) against clerk-dev-server,
// in headless Debian Chromium driven by playwright-core. Tokens are checked with
// @clerk/backend's verifyToken against the dev server's JWKS.
//
// Run from e2e/ after `npm ci`:  node --test clerk-js.test.mjs
// The server binary comes from $CLERK_DEV_SERVER_BIN (default ../target/debug/clerk-dev-server).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { verifyToken } from '@clerk/backend';

const here = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.CLERK_DEV_SERVER_BIN || path.join(here, '../target/debug/clerk-dev-server');
const SEED = path.join(here, '../dev-server/seed.toml');
const DIST = path.join(here, 'node_modules/@clerk/clerk-js/dist');

let server; // the dev server process
let fapi; // http://127.0.0.1:N
let publishableKey;
let secretKey; // the dev server's Backend API secret key (printed on its stdout)
let web; // the page's http server
let pageOrigin;
let browser;
let page;
const consoleErrors = [];
let expectedErrors = 0; // console errors the test provokes itself (4xx answers it asks for)

function startDevServer() {
  return new Promise((resolve, reject) => {
    const proc = spawn(BIN, ['--port', '0', '--memory', '--seed', SEED], {
      cwd: here,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`dev server did not start:\n${out}\n${err}`)), 60_000);
    proc.stderr.on('data', (d) => {
      err += d;
    });
    proc.stdout.on('data', (d) => {
      out += d;
      const url = out.match(/^listening on (http:\/\/127\.0\.0\.1:\d+)$/m);
      const key = out.match(/^publishable key: (pk_test_\S+)$/m);
      const secret = out.match(/^secret key: (sk_test_\S+)$/m);
      if (url && key && secret) {
        clearTimeout(timer);
        resolve({ proc, url: url[1], key: key[1], secret: secret[1], stderr: () => err });
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code) => reject(new Error(`dev server exited with ${code}:\n${out}\n${err}`)));
  });
}

function startWebServer() {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>clerk-js e2e</title></head>
<body><p id="ready">page</p>
<script src="/clerk-js/clerk.browser.js" crossorigin="anonymous"
  data-clerk-publishable-key="${publishableKey}" data-clerk-proxy-url="${fapi}"></script>
</body></html>`;
  const srv = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(html);
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    const rel = url.pathname.replace(/^\/clerk-js\//, '');
    if (url.pathname.startsWith('/clerk-js/') && !rel.includes('..')) {
      try {
        const body = await readFile(path.join(DIST, rel));
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        return res.end(body);
      } catch {
        /* fall through */
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve(srv)));
}

async function devCodes(identifier) {
  const r = await fetch(`${fapi}/v1/__dev/codes?identifier=${encodeURIComponent(identifier)}`);
  assert.equal(r.status, 200);
  return r.json();
}

async function jwtKey() {
  const r = await fetch(`${fapi}/.well-known/jwks.json`);
  assert.equal(r.status, 200);
  const { keys } = await r.json();
  assert.equal(keys.length, 1);
  assert.equal(keys[0].alg, 'RS256');
  return createPublicKey({ key: keys[0], format: 'jwk' }).export({ type: 'spki', format: 'pem' });
}

// The public verifyToken returns the claims and throws on any failure.
async function verify(jwt) {
  const claims = await verifyToken(jwt, { jwtKey: await jwtKey(), authorizedParties: [pageOrigin] });
  assert.ok(claims?.sub, 'verifyToken returned no claims');
  return claims;
}

async function loadClerk() {
  await page.goto(`${pageOrigin}/`);
  await page.waitForFunction(() => !!window.Clerk);
  return page.evaluate(async () => {
    // Navigation after setActive/signOut is a no-op: this page is the whole app.
    await window.Clerk.load({ routerPush: () => {}, routerReplace: () => {} });
    const c = window.Clerk;
    return {
      loaded: c.loaded,
      signedIn: c.isSignedIn,
      userId: c.user?.id ?? null,
      sessionId: c.session?.id ?? null,
      orgId: c.organization?.id ?? null,
    };
  });
}

before(async () => {
  assert.ok(existsSync('/usr/bin/chromium'), 'needs Debian chromium: apt-get install -y chromium');
  assert.ok(existsSync(BIN), `no dev server binary at ${BIN}: cargo build -p clerk-dev-server, or set CLERK_DEV_SERVER_BIN`);
  const started = await startDevServer();
  server = started.proc;
  server.stderrText = started.stderr;
  fapi = started.url;
  publishableKey = started.key;
  secretKey = started.secret;
  web = await startWebServer();
  pageOrigin = `http://127.0.0.1:${web.address().port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const context = await browser.newContext();
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
});

after(async () => {
  await browser?.close();
  web?.close();
  if (server && server.exitCode === null) {
    server.removeAllListeners('exit');
    server.kill('SIGKILL');
  }
});

const email = `e2e-${Date.now()}+clerk_test@example.com`;
const password = 'a-long-e2e-password-42';

test('clerk-js works against clerk-dev-server', async (t) => {
  await t.test('load() completes signed out', async () => {
    const s = await loadClerk();
    assert.equal(s.loaded, true);
    assert.equal(s.signedIn, false);
    assert.equal(s.userId, null);
  });

  let userId;
  await t.test('sign-up with an email code, setActive, clerk.user fields', async () => {
    const prepared = await page.evaluate(
      async ({ email, password }) => {
        const su = await window.Clerk.client.signUp.create({
          emailAddress: email,
          password,
          firstName: 'Edith',
          lastName: 'Clarke',
          username: `edith${Date.now()}`,
        });
        await su.prepareEmailAddressVerification({ strategy: 'email_code' });
        return { status: su.status, unverified: su.unverifiedFields };
      },
      { email, password },
    );
    assert.equal(prepared.status, 'missing_requirements');
    assert.deepEqual(prepared.unverified, ['email_address']);
    const codes = await devCodes(email);
    assert.equal(codes.codes[0].strategy, 'email_code');
    const code = codes.latest;
    assert.match(code, /^\d{6}$/);
    const r = await page.evaluate(async (code) => {
      const su = await window.Clerk.client.signUp.attemptEmailAddressVerification({ code });
      await window.Clerk.setActive({ session: su.createdSessionId });
      const u = window.Clerk.user;
      return {
        status: su.status,
        signedIn: window.Clerk.isSignedIn,
        id: u?.id,
        firstName: u?.firstName,
        lastName: u?.lastName,
        fullName: u?.fullName,
        email: u?.primaryEmailAddress?.emailAddress,
        verified: u?.primaryEmailAddress?.verification?.status,
        passwordEnabled: u?.passwordEnabled,
        sessionUser: window.Clerk.session?.user?.id,
      };
    }, code);
    assert.equal(r.status, 'complete');
    assert.equal(r.signedIn, true);
    assert.match(r.id, /^user_/);
    assert.equal(r.firstName, 'Edith');
    assert.equal(r.lastName, 'Clarke');
    assert.equal(r.fullName, 'Edith Clarke');
    assert.equal(r.email, email);
    assert.equal(r.verified, 'verified');
    assert.equal(r.passwordEnabled, true);
    assert.equal(r.sessionUser, r.id);
    userId = r.id;
  });

  await t.test('sign-out', async () => {
    const r = await page.evaluate(async () => {
      await window.Clerk.signOut();
      return { signedIn: window.Clerk.isSignedIn, user: window.Clerk.user ?? null };
    });
    assert.equal(r.signedIn, false);
    assert.equal(r.user, null);
  });

  await t.test('sign-in with a password', async () => {
    const r = await page.evaluate(
      async ({ email, password }) => {
        const si = await window.Clerk.client.signIn.create({ identifier: email, password, strategy: 'password' });
        await window.Clerk.setActive({ session: si.createdSessionId });
        return { status: si.status, signedIn: window.Clerk.isSignedIn, userId: window.Clerk.user?.id };
      },
      { email, password },
    );
    assert.equal(r.status, 'complete');
    assert.equal(r.signedIn, true);
    assert.equal(r.userId, userId);
  });

  await t.test('a wrong password gives form_password_incorrect', async () => {
    expectedErrors += 1; // Chromium logs the 422 answer as a console error
    const r = await page.evaluate(async (email) => {
      try {
        await window.Clerk.client.signIn.create({ identifier: email, password: 'not-the-password', strategy: 'password' });
        return { ok: true };
      } catch (e) {
        return { ok: false, code: e.errors?.[0]?.code, param: e.errors?.[0]?.meta?.paramName, status: e.status };
      }
    }, email);
    assert.deepEqual(r, { ok: false, code: 'form_password_incorrect', param: 'password', status: 422 });
  });

  let sessionId;
  await t.test('session.getToken() is accepted by @clerk/backend verifyToken', async () => {
    const r = await page.evaluate(async () => ({
      jwt: await window.Clerk.session.getToken(),
      sessionId: window.Clerk.session.id,
    }));
    sessionId = r.sessionId;
    const claims = await verify(r.jwt);
    assert.equal(claims.sub, userId);
    assert.equal(claims.sid, sessionId);
    assert.equal(claims.azp, pageOrigin);
    assert.equal(claims.v, 2);
    assert.equal(claims.sts, 'active');
    assert.ok(claims.exp - claims.iat === 60);
    assert.equal(claims.o, undefined);
    // An origin that is not authorized is refused.
    await assert.rejects(
      verifyToken(r.jwt, { jwtKey: await jwtKey(), authorizedParties: ['http://other.example'] }),
      /azp|authorized part/i,
    );
    // A tampered token is refused.
    const [h, p, sig] = r.jwt.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'user_someone_else' })).toString('base64url');
    await assert.rejects(verifyToken(`${h}.${forged}.${sig}`, { jwtKey: await jwtKey(), authorizedParties: [pageOrigin] }));
    assert.ok(p.length > 0);
    // @clerk/backend can also fetch the JWKS itself from the Backend API ({apiUrl}/v1/jwks), with
    // the dev server's secret key; a wrong key is Clerk's `clerk_key_invalid`, which it reports
    // as `secret-key-invalid`.
    const remote = await verifyToken(r.jwt, {
      secretKey,
      apiUrl: fapi,
      authorizedParties: [pageOrigin],
      skipJwksCache: true,
    });
    assert.equal(remote.sid, sessionId);
    await assert.rejects(
      verifyToken(r.jwt, { secretKey: `sk_test_${'x'.repeat(40)}`, apiUrl: fapi, skipJwksCache: true }),
      (e) => e.reason === 'secret-key-invalid',
    );
    // A JWT template from the seed.
    const tpl = await page.evaluate(() => window.Clerk.session.getToken({ template: 'example' }));
    const tplClaims = await verify(tpl);
    assert.equal(tplClaims.email, email);
    assert.equal(tplClaims.name, 'Edith Clarke');
    assert.equal(tplClaims.aud, 'example-backend');
    assert.equal(tplClaims.sub, userId);
  });

  let orgId;
  await t.test('createOrganization + setActive({organization}) puts it in the next token', async () => {
    const r = await page.evaluate(async () => {
      const org = await window.Clerk.createOrganization({ name: 'E2E Widgets' });
      await window.Clerk.setActive({ organization: org.id });
      const jwt = await window.Clerk.session.getToken();
      return {
        orgId: org.id,
        slug: org.slug,
        active: window.Clerk.organization?.id,
        role: window.Clerk.session?.checkAuthorization({ role: 'org:admin' }),
        jwt,
      };
    });
    orgId = r.orgId;
    assert.match(r.orgId, /^org_/);
    assert.equal(r.slug, 'e2e-widgets');
    assert.equal(r.active, r.orgId);
    assert.equal(r.role, true);
    const claims = await verify(r.jwt);
    assert.equal(claims.o.id, r.orgId);
    assert.equal(claims.o.slg, 'e2e-widgets');
    assert.equal(claims.o.rol, 'admin');
    assert.equal(claims.sid, sessionId);
  });

  await t.test('a page reload keeps the session', async () => {
    const s = await loadClerk();
    assert.equal(s.signedIn, true);
    assert.equal(s.userId, userId);
    assert.equal(s.sessionId, sessionId);
    assert.equal(s.orgId, orgId);
    const claims = await verify(await page.evaluate(() => window.Clerk.session.getToken()));
    assert.equal(claims.o.id, orgId);
  });

  await t.test('signOut() leaves the client signed out', async () => {
    const r = await page.evaluate(async () => {
      await window.Clerk.signOut();
      return { signedIn: window.Clerk.isSignedIn, session: window.Clerk.session ?? null };
    });
    assert.equal(r.signedIn, false);
    assert.equal(r.session, null);
    const s = await loadClerk();
    assert.equal(s.signedIn, false);
    assert.equal(s.userId, null);
  });

  await t.test('no console errors but the provoked ones', async () => {
    const unexpected = consoleErrors.filter((m) => !/status of 422/.test(m));
    const provoked = consoleErrors.length - unexpected.length;
    assert.deepEqual(unexpected, []);
    assert.ok(provoked <= expectedErrors, `unexpected 422s: ${consoleErrors.join('\n')}`);
  });
});
