// examples/app, the full example, in headless Debian Chromium against the dev server: one journey through the
// real UI, with no console errors and no failed requests except the ones the test provokes, and a screenshot of
// each page in target/screenshots/app-*.png. Then the custom flows on their own.
//
// Needs examples/app/dist (test.sh step `trunk`, or `trunk build --release` in examples/app) and the dev server
// binary (cargo build -p clerk-dev-server). The page objects (elements by id) are in lib/app.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ROOT, launchBrowser, serveDist, startDevServer, watchPage } from './lib/index.mjs';
import { APP_DIST, AppPage, GRACE, SEED_PASSWORD, devCode, firstSeenScript, totp } from './lib/app.mjs';

const SHOTS = process.env.UI_SCREENSHOTS_DIR ?? path.join(ROOT, 'target', 'screenshots');
// The answers the journey provokes on purpose: a wrong password (422). Chromium logs it as a console error too.
const PROVOKED = [/\b422\b.*\/v1\/client\/sign_ins\/[^/\s]+\/attempt_first_factor/];

let devServer;
let site;
let browser;

before(async () => {
  devServer = await startDevServer();
  site = await serveDist({ dir: APP_DIST, proxy: devServer.url });
  browser = await launchBrowser();
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await devServer?.stop();
});

async function shot(page, name) {
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(150); // let transitions settle
  await page.screenshot({ path: path.join(SHOTS, `app-${name}.png`), fullPage: true });
}

/** A fresh browser context (own cookies and storage) with the first-render recorder. */
async function newContext() {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  await context.addInitScript(firstSeenScript(['dashboard', 'home-signed-in']));
  return context;
}

async function newTab(context) {
  const page = await context.newPage();
  return { app: new AppPage(page, site.url), page, problems: watchPage(page) };
}

const json = (text) => JSON.parse(text);

test('the journey: sign up, sessions, tokens, organizations, two accounts, two tabs, sign in again', async (t) => {
  const context = await newContext();
  const { app, page, problems } = await newTab(context);
  const email = `journey-${Date.now()}+clerk_test@example.com`;
  const password = 'a-long-journey-password-7';
  let sessionId;
  let userId;
  try {
    await t.test('signed out at first', async () => {
      await app.goto('/');
      await app.$('home-signed-out').waitFor({ timeout: 20_000 });
      await app.waitAuth('signed-out');
      await app.markDocument();
      await shot(page, 'home-signed-out');
    });

    await t.test('sign up with an email code (prebuilt SignUp), land signed in', async () => {
      await app.$('home-sign-up').click();
      await page.waitForURL(/\/sign-up\?redirect_url=/);
      await app.field('sign-up-page', 'email_address').fill(email);
      await app.field('sign-up-page', 'password').fill(password);
      await shot(page, 'sign-up');
      await app.submit('sign-up-page');
      const code = app.field('sign-up-page', 'code');
      await code.waitFor();
      await shot(page, 'sign-up-verify');
      // +clerk_test emails take 424242; the dev server also tells the code it "sent"
      await code.fill(await devCode(devServer.url, email));
      await app.submit('sign-up-page');
      await app.$('home-signed-in').waitFor({ timeout: 20_000 });
      assert.equal(new URL(page.url()).pathname, '/', 'back where the sign-up button was clicked');
      assert.equal(await app.$('home-user-name').textContent(), email);
      await app.assertSameDocument('the redirect after sign-up');
      await app.waitAuth('signed-in');
      await shot(page, 'home-signed-in');
    });

    await t.test('a reload keeps the session', async () => {
      await page.reload({ waitUntil: 'load' });
      await app.$('home-signed-in').waitFor({ timeout: 20_000 });
      assert.equal(await app.$('home-signed-out').count(), 0);
      assert.equal(await app.$('home-user-name').textContent(), email);
      await app.markDocument();
    });

    await t.test('the Client page shows the session, and its token claims', async () => {
      await app.nav('client');
      await page.waitForURL(/\/client$/);
      sessionId = await app.currentSessionId();
      assert.match(sessionId, /^sess_/);
      assert.equal(await app.$(`session-${sessionId}-status`).textContent(), 'active');
      const client = json(await app.$('client-json').textContent());
      assert.equal(client.object, 'client');
      assert.match(client.id, /^client_/);
      assert.equal(client.last_active_session_id, sessionId);
      assert.deepEqual(client.sessions.map((s) => s.id), [sessionId]);
      userId = client.sessions[0].user.id;
      const claims = json(await app.sessionCall(sessionId, 'get-token'));
      assert.equal(claims.sid, sessionId);
      assert.equal(claims.sub, userId);
      // azp (the page's origin) is there when the token was minted for a request that had an Origin header
      if (claims.azp !== undefined) assert.equal(claims.azp, site.url);
      assert.equal(claims.o, undefined, 'no active organization yet');
      const template = json(await app.sessionCall(sessionId, 'get-template-token'));
      assert.equal(template.aud, 'example-backend');
      assert.equal(template.email, email);
      assert.equal(template.sub, userId);
      const touched = await app.sessionCall(sessionId, 'touch');
      assert.match(touched, /^touched: last_active_at = /);
      await app.$(`session-${sessionId}-get-token`).click(); // leave the claims on screen for the screenshot
      await page.getByText(`"sid": "${sessionId}"`).waitFor();
      await shot(page, 'client');
      await app.assertSameDocument('the Client page');
    });

    await t.test('create an organization, switch to it: the claims follow', async () => {
      await app.nav('organizations');
      await app.$('organizations-create-name').fill('Journey Widgets');
      await app.$('organizations-create-submit').click();
      await app.$('organizations-create-result').getByText('Created “journey-widgets”').waitFor();
      assert.match(await app.$('organizations-role').textContent(), /personal account/);
      await page.locator('#organizations-switcher .cl-organization-switcher-trigger').click();
      await page.locator('#organizations-switcher').getByRole('menuitem', { name: /Journey Widgets/ }).click();
      await app.$('organizations-role').getByText('org:admin').waitFor();
      await page.waitForFunction(() => document.getElementById('organizations-claims')?.textContent.includes('journey-widgets'));
      const claims = json(await app.$('organizations-claims').textContent());
      assert.equal(claims.sid, sessionId);
      assert.equal(claims.o.slg, 'journey-widgets');
      assert.equal(claims.o.rol, 'admin');
      await app.$('organizations-members').getByText(email).waitFor();
      await shot(page, 'organizations');
    });

    await t.test('reach the role-gated page; the permission-gated one says no', async () => {
      await app.$('organizations-admin-link').click();
      await app.$('admin-content').waitFor();
      await shot(page, 'admin');
      await page.goBack();
      await app.$('organizations-billing-link').click();
      await app.$('billing-denied').waitFor();
      assert.equal(await app.$('billing-content').count(), 0);
      await shot(page, 'billing-denied');
      await app.assertSameDocument('the organization pages');
    });

    await t.test('add a second account (custom flow: password, then a TOTP code) and switch sessions', async () => {
      await app.nav('custom');
      await app.$('custom-sign-in-identifier').fill(GRACE.email);
      await app.$('custom-sign-in-password').fill(SEED_PASSWORD);
      await shot(page, 'custom');
      await app.$('custom-sign-in-submit').click();
      await app.$('custom-sign-in-prompt').getByText('authenticator app').waitFor();
      await app.$('custom-sign-in-code').fill(totp(GRACE.totpSecret));
      await shot(page, 'custom-totp');
      await app.$('custom-sign-in-verify').click();
      await page.waitForURL(`${site.url}/`);
      await app.$('home-user-name').getByText('Grace Hopper').waitFor();
      await app.assertSameDocument('the redirect after the custom sign-in');

      // two sessions on the client; Grace's is current, the first account's can be made active
      await app.nav('client');
      const graceSession = await app.currentSessionId();
      assert.notEqual(graceSession, sessionId);
      assert.equal(await page.locator('#client-sessions article').count(), 2);
      await shot(page, 'client-two-sessions');
      await app.$(`session-${sessionId}-set-active`).click();
      await page.locator(`#session-${sessionId}[data-current="true"]`).waitFor();
      await app.userButton().getByText(/journey/).waitFor();
      // and back to Grace through the user menu
      await app.userMenu(/Grace Hopper/);
      await page.locator(`#session-${graceSession}[data-current="true"]`).waitFor();
      await app.userButton().getByText('Grace Hopper').waitFor();

      // Grace is a billing manager in Acme: the permission-gated page opens for her there
      await app.nav('organizations');
      await page.locator('#organizations-switcher .cl-organization-switcher-trigger').click();
      await page.locator('#organizations-switcher').getByRole('menuitem', { name: /Acme/ }).click();
      await app.$('organizations-role').getByText('org:billing_manager').waitFor();
      await app.$('organizations-billing-link').click();
      await app.$('billing-content').waitFor();
      await shot(page, 'billing');
      await page.goBack();
      await app.$('organizations-admin-link').click();
      await app.$('admin-denied').waitFor();
    });

    await t.test('sign out in one tab: the other tab is signed out too', async () => {
      const other = await newTab(context);
      try {
        await other.app.goto('/client');
        await other.page.locator('#client-sessions article').nth(1).waitFor({ timeout: 20_000 });
        await other.app.waitAuth('signed-in');
        // sign out of both accounts from the user menu, on the Client page: back home, without a page load
        await app.nav('client');
        await app.userMenu('Sign out of all accounts');
        await app.$('home-signed-out').waitFor();
        assert.equal(new URL(page.url()).pathname, '/', 'after_sign_out_url');
        await app.assertSameDocument('the redirect after sign-out');
        await other.app.waitAuth('signed-out', 10_000);
        await other.app.$('client-no-sessions').waitFor();
        await shot(other.page, 'other-tab-signed-out');
        other.problems.assertNone();
      } finally {
        await other.page.close();
      }
    });

    await t.test('the guarded route sends to sign-in, then back; a wrong then the right password', async () => {
      await app.goto('/dashboard');
      await page.waitForURL(/\/sign-in\?redirect_url=/);
      assert.equal(new URL(page.url()).searchParams.get('redirect_url'), `${site.url}/dashboard`);
      const seen = await page.evaluate(() => window.__seen);
      assert.equal(seen.dashboard, undefined, 'the guarded page never rendered for a signed-out visitor');
      await app.markDocument();
      await app.field('sign-in-page', 'identifier').fill(email);
      await app.submit('sign-in-page');
      await app.field('sign-in-page', 'password').fill('not-the-password');
      await app.submit('sign-in-page');
      const error = page.locator('#sign-in-page .cl-form-field-error');
      await error.waitFor();
      assert.match(await error.textContent(), /Password is incorrect/);
      await shot(page, 'sign-in-wrong-password');
      await app.field('sign-in-page', 'password').fill(password);
      await app.submit('sign-in-page');
      await app.$('dashboard').waitFor({ timeout: 20_000 });
      assert.equal(new URL(page.url()).pathname, '/dashboard');
      assert.equal(await app.$('dashboard-user').textContent(), email);
      await app.$('dashboard-token').getByText(/character session token/).waitFor();
      await app.assertSameDocument('the redirect after sign-in');
      await shot(page, 'dashboard');
    });

    await t.test('no console errors, no failed requests but the provoked ones', () => {
      const provoked = problems.list().filter((p) => PROVOKED.some((re) => re.test(p)));
      assert.ok(provoked.length >= 1, 'the wrong password was refused with a 422');
      problems.assertNone(PROVOKED);
    });
  } finally {
    await context.close();
  }
});

test('custom flows (sign up with an email code, sign in with an email code, with a password); end, remove', async () => {
  const context = await newContext();
  const { app, page, problems } = await newTab(context);
  const email = `custom-${Date.now()}+clerk_test@example.com`;
  try {
    await app.goto('/custom');
    await app.waitAuth('signed-out');
    await app.$('custom-sign-up-email').fill(email);
    await app.$('custom-sign-up-password').fill('a-long-custom-password-9');
    await app.$('custom-sign-up-submit').click();
    await app.$('custom-sign-up-code').fill(await devCode(devServer.url, email).catch(() => '424242'));
    await shot(page, 'custom-sign-up-code');
    await app.$('custom-sign-up-verify').click();
    await app.$('home-signed-in').waitFor({ timeout: 20_000 });
    assert.equal(await app.$('home-user-name').textContent(), email);

    await app.$('home-sign-out').click();
    await app.$('home-signed-out').waitFor();
    await app.nav('custom');
    await app.$('custom-sign-in-identifier').fill(email);
    await app.$('custom-sign-in-send-code').click();
    await app.$('custom-sign-in-prompt').getByText('sent to your email').waitFor();
    await app.$('custom-sign-in-code').fill(await devCode(devServer.url, email));
    await app.$('custom-sign-in-verify').click();
    await app.$('home-signed-in').waitFor({ timeout: 20_000 });
    assert.equal(await app.$('home-user-name').textContent(), email);

    // Session.end() on the Client page signs out; so does Session.remove() after a password sign-in
    await app.nav('client');
    const ended = await app.currentSessionId();
    // an ended session leaves the client: its card goes away
    await app.$(`session-${ended}-end`).click();
    await app.$(`session-${ended}`).waitFor({ state: 'detached' });
    await app.waitAuth('signed-out');
    await app.$('client-no-sessions').waitFor();
    await app.nav('custom');
    await app.$('custom-sign-in-identifier').fill(email);
    await app.$('custom-sign-in-password').fill('a-long-custom-password-9');
    await app.$('custom-sign-in-submit').click();
    await app.$('home-signed-in').waitFor({ timeout: 20_000 });
    await app.nav('client');
    const removed = await app.currentSessionId();
    assert.notEqual(removed, ended);
    await app.$(`session-${removed}-remove`).click();
    await app.$(`session-${removed}`).waitFor({ state: 'detached' });
    await app.waitAuth('signed-out');
    problems.assertNone();
  } finally {
    await context.close();
  }
});
