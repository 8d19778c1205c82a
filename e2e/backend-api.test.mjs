// Peer test: the official @clerk/backend's Backend API client (createClerkClient({secretKey, apiUrl})) against the
// dev server's Backend API: users (get, list with limit/offset and totalCount, metadata deep merge and null
// deletion seen through getUser), organizations, sessions; and a session revoked through the Backend API is signed
// out in the browser (examples/app, our library) after a reload.
//
// Needs the dev server binary and examples/app/dist (test.sh steps `e2e` and `trunk`); a missing one fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClerkClient } from '@clerk/backend';
import { claimsOf, launchBrowser, serveDist, startDevServer, watchPage } from './lib/index.mjs';
import { APP_DIST, AppPage, SEED_PASSWORD } from './lib/app.mjs';

const SEED_USERS = ['user_ada', 'user_grace', 'user_alan', 'user_katherine'];

let devServer;
let clerk;
let site;
let browser;

before(async () => {
  devServer = await startDevServer();
  clerk = createClerkClient({ secretKey: devServer.secretKey, apiUrl: devServer.backendApiUrl });
  site = await serveDist({ dir: APP_DIST, proxy: devServer.url });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await devServer?.stop();
});

test('@clerk/backend users: getUser, getUserList with limit/offset and totalCount, filters', async () => {
  const ada = await clerk.users.getUser('user_ada');
  assert.equal(ada.id, 'user_ada');
  assert.equal(ada.primaryEmailAddress?.emailAddress, 'ada+clerk_test@example.com');
  assert.equal(ada.emailAddresses[0].emailAddress, 'ada+clerk_test@example.com');
  assert.equal(typeof ada.createdAt, 'number');

  const all = await clerk.users.getUserList({ limit: 100 });
  assert.equal(all.totalCount, SEED_USERS.length);
  assert.deepEqual(all.data.map((u) => u.id).sort(), [...SEED_USERS].sort());
  // pages: the same order, the total on every page
  const order = all.data.map((u) => u.id);
  const p1 = await clerk.users.getUserList({ limit: 2, offset: 0 });
  const p2 = await clerk.users.getUserList({ limit: 2, offset: 2 });
  const p3 = await clerk.users.getUserList({ limit: 2, offset: 4 });
  assert.equal(p1.totalCount, 4);
  assert.equal(p2.totalCount, 4);
  assert.deepEqual([...p1.data, ...p2.data].map((u) => u.id), order);
  assert.equal(p3.data.length, 0);
  // filters
  const byEmail = await clerk.users.getUserList({ emailAddress: ['grace+clerk_test@example.com'] });
  assert.deepEqual(byEmail.data.map((u) => u.id), ['user_grace']);
  assert.equal(byEmail.totalCount, 1);
  const byQuery = await clerk.users.getUserList({ query: 'katherine' });
  assert.deepEqual(byQuery.data.map((u) => u.id), ['user_katherine']);
  // an unknown user is Clerk's 404
  await assert.rejects(clerk.users.getUser('user_nobody'), (e) => e.status === 404 && e.errors?.[0]?.code === 'resource_not_found');
});

test('@clerk/backend updateUserMetadata: deep merge, null deletes a key, seen through getUser', async () => {
  await clerk.users.updateUserMetadata('user_grace', {
    publicMetadata: { plan: 'pro', limits: { seats: 3, projects: 1 } },
    privateMetadata: { stripe: { customer: 'cus_1' } },
  });
  let grace = await clerk.users.getUser('user_grace');
  assert.deepEqual(grace.publicMetadata, { plan: 'pro', limits: { seats: 3, projects: 1 } });
  assert.deepEqual(grace.privateMetadata, { stripe: { customer: 'cus_1' } });
  const answered = await clerk.users.updateUserMetadata('user_grace', {
    publicMetadata: { limits: { seats: 5, projects: null }, trial: true },
  });
  assert.deepEqual(answered.publicMetadata, { plan: 'pro', limits: { seats: 5 }, trial: true });
  grace = await clerk.users.getUser('user_grace');
  assert.deepEqual(grace.publicMetadata, { plan: 'pro', limits: { seats: 5 }, trial: true });
  assert.deepEqual(grace.privateMetadata, { stripe: { customer: 'cus_1' } }, 'the other metadata is kept');
  await clerk.users.updateUserMetadata('user_grace', { publicMetadata: { trial: null, plan: null, limits: null } });
  grace = await clerk.users.getUser('user_grace');
  assert.deepEqual(grace.publicMetadata, {});
});

test('@clerk/backend organizations.getOrganizationList', async () => {
  const orgs = await clerk.organizations.getOrganizationList({ limit: 10 });
  assert.ok(orgs.totalCount >= 1, JSON.stringify(orgs));
  const acme = orgs.data.find((o) => o.id === 'org_acme');
  assert.ok(acme, `org_acme in ${orgs.data.map((o) => o.id)}`);
  assert.equal(acme.slug, 'acme');
  const byQuery = await clerk.organizations.getOrganizationList({ query: 'acme' });
  assert.deepEqual(byQuery.data.map((o) => o.id), ['org_acme']);
});

test('@clerk/backend sessions: getSessionList, revokeSession; the browser is signed out after a reload', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watchPage(page);
  const app = new AppPage(page, site.url);
  let sid;
  try {
    await t.test('sign in as Ada with our library (custom flow, password)', async () => {
      await app.goto('/custom');
      await app.waitAuth('signed-out');
      await app.$('custom-sign-in-identifier').fill('ada+clerk_test@example.com');
      await app.$('custom-sign-in-password').fill(SEED_PASSWORD);
      await app.$('custom-sign-in-submit').click();
      await app.$('home-signed-in').waitFor({ timeout: 20_000 });
      await app.waitAuth('signed-in');
      const session = (await context.cookies(site.url)).find((c) => c.name === '__session');
      assert.ok(session, 'a __session cookie');
      sid = claimsOf(session.value).sid;
      assert.match(sid, /^sess_/);
    });

    await t.test('getSessionList has the page\'s session, active', async () => {
      const list = await clerk.sessions.getSessionList({ userId: 'user_ada' });
      const s = list.data.find((x) => x.id === sid);
      assert.ok(s, `${sid} in ${list.data.map((x) => x.id)}`);
      assert.equal(s.status, 'active');
      assert.equal(s.userId, 'user_ada');
      assert.ok(list.totalCount >= 1);
      const active = await clerk.sessions.getSessionList({ userId: 'user_ada', status: 'active' });
      assert.ok(active.data.some((x) => x.id === sid));
      const one = await clerk.sessions.getSession(sid);
      assert.equal(one.id, sid);
    });

    await t.test('revokeSession: revoked; the page, reloaded, is signed out', async () => {
      const revoked = await clerk.sessions.revokeSession(sid);
      assert.equal(revoked.id, sid);
      assert.equal(revoked.status, 'revoked');
      const after = await clerk.sessions.getSessionList({ userId: 'user_ada', status: 'active' });
      assert.ok(!after.data.some((x) => x.id === sid), 'no longer active');
      await page.reload({ waitUntil: 'load' });
      await app.waitAuth('signed-out');
      await app.$('home-signed-out').waitFor({ timeout: 20_000 });
    });

    await t.test('no console errors, no failed requests', () => problems.assertNone([]));
  } finally {
    await context.close();
  }
});
