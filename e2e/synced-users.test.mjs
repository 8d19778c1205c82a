// examples/api keeps its own table of users from Clerk's webhooks: the dev server sends its deliveries
// (`--webhook`) to examples/api's POST /api/webhooks/clerk (clerk-backend's ClerkWebhook, SQLite), and
// examples/app's /synced-users page (polling every second) shows a user within 2 s of signing up in another
// browser, and drops it once that account is deleted from the prebuilt UserProfile ("Manage account").
// Also the admin page /admin/users: search, paging, "Set plan: pro" (public_metadata through the Backend API).
//
// Needs the dev server and api server binaries and examples/app/dist (test.sh steps `e2e` and `trunk`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClerkClient } from '@clerk/backend';
import { freePort, launchBrowser, startApiServer, startDevServer, watchPage } from './lib/index.mjs';
import { APP_DIST, AppPage, SEED_PASSWORD } from './lib/app.mjs';

let devServer;
let api;
let browser;

before(async () => {
  // the dev server must know the api server's URL first
  const port = await freePort();
  devServer = await startDevServer({ args: ['--webhook', `http://127.0.0.1:${port}/api/webhooks/clerk`] });
  api = await startApiServer({
    devServer, publishableKey: devServer.publishableKey, dist: APP_DIST, port,
    args: ['--webhook-secret', devServer.webhookSigningSecret, '--synced-db', ':memory:'],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await api?.stop();
  await devServer?.stop();
});

async function signInAda(app) {
  await app.goto('/custom');
  await app.waitAuth('signed-out');
  await app.$('custom-sign-in-identifier').fill('ada+clerk_test@example.com');
  await app.$('custom-sign-in-password').fill(SEED_PASSWORD);
  await app.$('custom-sign-in-submit').click();
  await app.$('home-signed-in').waitFor({ timeout: 20_000 });
  await app.waitAuth('signed-in');
}

const row = (page, email) => page.locator(`#synced-users-list tr[data-email="${email}"]`);

test('/synced-users: a sign-up shows within 2 s; the account deleted from UserProfile goes away', async (t) => {
  const watcherContext = await browser.newContext();
  const watcherPage = await watcherContext.newPage();
  const watcherProblems = watchPage(watcherPage);
  const watcher = new AppPage(watcherPage, api.url);
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  const userProblems = watchPage(userPage);
  const user = new AppPage(userPage, api.url);
  const email = `synced-${Date.now()}+clerk_test@example.com`;
  try {
    await t.test('Ada watches /synced-users: the seed\'s users are there (delivered once the api server listened)', async () => {
      await signInAda(watcher);
      await watcher.nav('synced-users');
      await watcherPage.locator('#synced-users[data-outcome="ok"]').waitFor({ timeout: 10_000 });
      await row(watcherPage, 'ada+clerk_test@example.com').waitFor({ timeout: 20_000 });
      await row(watcherPage, 'katherine+clerk_test@example.com').waitFor({ timeout: 5_000 });
    });

    let signedUpAt;
    let submittedAt;
    await t.test('another browser signs up (prebuilt SignUp, code 424242)', async () => {
      await user.goto('/sign-up');
      await user.waitAuth('signed-out');
      await user.field('sign-up-page', 'email_address').fill(email);
      await user.field('sign-up-page', 'password').fill('a-long-synced-password-5');
      await user.submit('sign-up-page');
      const code = user.field('sign-up-page', 'code');
      await code.waitFor();
      await code.fill('424242');
      submittedAt = Date.now(); // the code's submission creates the user
      await user.submit('sign-up-page');
      await user.waitAuth('signed-in');
      signedUpAt = Date.now();
    });

    await t.test('the watcher\'s page shows the new user within 2 s', async () => {
      await row(watcherPage, email).waitFor({ timeout: Math.max(1, signedUpAt + 2_000 - Date.now()) });
      const ms = Date.now() - signedUpAt;
      t.diagnostic(`sign-up → row on /synced-users: ${ms} ms after the page was signed in, `
        + `${Date.now() - submittedAt} ms after the code was submitted`);
      assert.ok(ms <= 2_000, `${ms} ms`);
      assert.match(await row(watcherPage, email).textContent(), /user\.created/);
    });

    await t.test('the user deletes the account (user menu → Manage account → Security → Delete account)', async () => {
      await user.userMenu('Manage account');
      const dialog = userPage.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Security' }).click();
      await dialog.getByRole('button', { name: 'Delete account' }).click();
      await dialog.getByRole('button', { name: 'Delete account' }).click(); // the confirmation's submit
      await user.waitAuth('signed-out');
    });

    await t.test('the watcher\'s page drops it within 3 s', async () => {
      const t0 = Date.now();
      await row(watcherPage, email).waitFor({ state: 'detached', timeout: 3_000 });
      t.diagnostic(`deletion → row gone: ${Date.now() - t0} ms`);
      const r = await fetch(`${devServer.url}/v1/__dev/webhooks?type=user.deleted`);
      const { data } = await r.json();
      assert.ok(data.some((m) => m.status === 'delivered' && m.response_status === 200), JSON.stringify(data));
    });

    await t.test('no console errors, no failed requests', () => {
      watcherProblems.assertNone([]);
      userProblems.assertNone([]);
    });
  } finally {
    await watcherContext.close();
    await userContext.close();
  }
});

test('/admin/users: 403 in the personal account; as admin of Acme: search, pages, "Set plan: pro"', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  const app = new AppPage(page, api.url);
  try {
    await signInAda(app);
    await t.test('the personal account is refused (403)', async () => {
      await app.nav('admin-users');
      await page.locator('#admin-users[data-outcome="http-403"]').waitFor({ timeout: 10_000 });
    });
    await t.test('as admin of Acme: every user, in pages of 5', async () => {
      // three more users (Backend API), so that there are two pages
      const clerk = createClerkClient({ secretKey: devServer.secretKey, apiUrl: devServer.backendApiUrl });
      for (const n of [1, 2, 3]) {
        await clerk.users.createUser({ emailAddress: [`paged-${n}-${Date.now()}+clerk_test@example.com`],
          password: 'a-long-paged-password-1', firstName: `Paged${n}` });
      }
      await app.nav('organizations');
      await page.locator('#organizations-switcher .cl-organization-switcher-trigger').click();
      await page.locator('#organizations-switcher').getByRole('menuitem', { name: /Acme/ }).click();
      await app.$('organizations-role').getByText('org:admin').waitFor();
      await app.nav('admin-users');
      await page.locator('#admin-users[data-outcome="ok"]').waitFor({ timeout: 10_000 });
      const total = Number(await app.$('admin-users').getAttribute('data-total'));
      assert.ok(total >= 7, `total ${total}`);
      const count = () => page.locator('#admin-users-list tr').count();
      assert.equal(await count(), Math.min(5, total));
      assert.equal(await app.$('admin-users-prev').isDisabled(), true);
      assert.equal(await app.$('admin-users-range').textContent(), `1–5 of ${total}`);
      const first = await page.locator('#admin-users-list tr').first().getAttribute('id');
      await app.$('admin-users-next').click();
      await app.$('admin-users-range').getByText(`6–${Math.min(10, total)} of ${total}`).waitFor();
      await page.waitForFunction((f) => document.querySelector('#admin-users-list tr')?.id !== f, first);
      assert.equal(await count(), Math.min(5, total - 5));
      await app.$('admin-users-prev').click();
      await app.$('admin-users-range').getByText(`1–5 of ${total}`).waitFor();
    });
    await t.test('search "grace": one row; "Set plan: pro" sets public_metadata, shown in the list', async () => {
      await app.$('admin-users-query').fill('grace');
      await app.$('admin-users-search').click();
      await page.locator('#admin-users[data-total="1"]').waitFor();
      await app.$('admin-user-user_grace').waitFor();
      assert.equal(await app.$('admin-user-user_grace').getAttribute('data-plan'), '');
      await app.$('admin-user-user_grace-set-plan').click();
      await page.locator('#admin-user-user_grace[data-plan="pro"]').waitFor({ timeout: 10_000 });
      assert.match(await app.$('admin-user-user_grace').textContent(), /"plan":"pro"/);
      assert.match(await app.$('admin-users-message').textContent(), /grace\+clerk_test@example\.com: plan pro/);
      // the Backend API has it
      const r = await fetch(`${devServer.backendApiUrl}/v1/users/user_grace`, {
        headers: { authorization: `Bearer ${devServer.secretKey}` },
      });
      assert.equal((await r.json()).public_metadata.plan, 'pro');
    });
    await t.test('no console errors but the provoked 403', () => {
      problems.assertNone([/HTTP 403: GET .*\/api\/admin\/users/, /status of 403/]);
    });
  } finally {
    await context.close();
  }
});
