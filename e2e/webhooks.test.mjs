// Peer test: the dev server's webhooks (`--webhook URL`) as the reference verifiers judge them. A small node
// receiver records each delivery as sent (headers, raw body); @clerk/backend/webhooks' verifyWebhook and the svix
// package's `new Webhook(secret).verify(body, headers)` must accept every one (the seed's events, a sign-up through
// the browser with our library, its session, a deletion through the Backend API), and both must refuse the same
// delivery with its body tampered with, signed with another secret, or without its signature.
//
// Needs the dev server binary and examples/app/dist (test.sh steps `e2e` and `trunk`); a missing one fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'svix';
import { verifyWebhook } from '@clerk/backend/webhooks';
import { createClerkClient } from '@clerk/backend';
import { launchBrowser, serveDist, startDevServer, startWebhookReceiver, watchPage } from './lib/index.mjs';
import { APP_DIST, AppPage } from './lib/app.mjs';

let receiver;
let devServer;
let site;
let browser;

before(async () => {
  receiver = await startWebhookReceiver();
  devServer = await startDevServer({ args: ['--webhook', receiver.url] });
  site = await serveDist({ dir: APP_DIST, proxy: devServer.url });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await devServer?.stop();
  await receiver?.stop();
});

/** Both verifiers on one delivery: 'ok' or the error message, for each. */
async function verdicts({ headers, body }, secret = devServer.webhookSigningSecret) {
  const out = {};
  try {
    new Webhook(secret).verify(body, headers);
    out.svix = 'ok';
  } catch (e) { out.svix = String(e?.message ?? e); }
  try {
    const request = new Request('http://127.0.0.1/api/webhooks/clerk', { method: 'POST', headers, body });
    const event = await verifyWebhook(request, { signingSecret: secret });
    out.clerk = event?.type ? 'ok' : 'no event';
    out.event = event;
  } catch (e) { out.clerk = String(e?.message ?? e); }
  return out;
}

/** The headers that matter, as a plain object. */
const svixHeaders = (h) => ({
  'svix-id': h['svix-id'], 'svix-timestamp': h['svix-timestamp'], 'svix-signature': h['svix-signature'],
  'content-type': h['content-type'],
});

test('the secret is printed and in /v1/__dev/instance', async () => {
  assert.match(devServer.webhookSigningSecret, /^whsec_[A-Za-z0-9+/=]+$/);
  const instance = await (await fetch(`${devServer.url}/v1/__dev/instance`)).json();
  assert.equal(instance.webhook_signing_secret, devServer.webhookSigningSecret);
});

test('a browser sign-up, its session and a Backend API deletion: every delivery passes verifyWebhook and svix; tampered ones fail both', async (t) => {
  const email = `hook-${Date.now()}+clerk_test@example.com`;
  let userId;
  await t.test('the seed\'s events arrive signed', async () => {
    const seeded = await receiver.waitFor((d) => d.event?.type === 'user.created' && d.event.data.id === 'user_ada');
    const v = await verdicts({ headers: svixHeaders(seeded.headers), body: seeded.body });
    assert.equal(v.svix, 'ok');
    assert.equal(v.clerk, 'ok');
    assert.equal(v.event.data.id, 'user_ada');
  });

  await t.test('sign up in the browser (our library, custom flow, code 424242)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = watchPage(page);
    const app = new AppPage(page, site.url);
    try {
      await app.goto('/custom');
      await app.waitAuth('signed-out');
      await app.$('custom-sign-up-email').fill(email);
      await app.$('custom-sign-up-password').fill('a-long-webhook-password-3');
      await app.$('custom-sign-up-submit').click();
      await app.$('custom-sign-up-code').fill('424242');
      await app.$('custom-sign-up-verify').click();
      await app.$('home-signed-in').waitFor({ timeout: 20_000 });
      problems.assertNone([]);
    } finally {
      await context.close();
    }
  });

  await t.test('user.created and session.created for it: both verifiers accept them', async () => {
    const created = await receiver.waitFor((d) => d.event?.type === 'user.created'
      && d.event.data.email_addresses?.some((e) => e.email_address === email));
    userId = created.event.data.id;
    assert.match(userId, /^user_/);
    assert.match(created.headers['svix-id'], /^msg_/);
    assert.match(created.headers['svix-signature'], /^v1,[A-Za-z0-9+/=]+/);
    assert.equal(created.headers['content-type'], 'application/json');
    assert.ok(Math.abs(Number(created.headers['svix-timestamp']) - Date.now() / 1000) < 60, 'a fresh timestamp');
    const session = await receiver.waitFor((d) => d.event?.type === 'session.created' && d.event.data.user_id === userId);
    for (const d of [created, session]) {
      const v = await verdicts({ headers: svixHeaders(d.headers), body: d.body });
      assert.equal(v.svix, 'ok', `${d.event.type}: ${v.svix}`);
      assert.equal(v.clerk, 'ok', `${d.event.type}: ${v.clerk}`);
      assert.equal(v.event.type, d.event.type);
      assert.equal(v.event.data.id, d.event.data.id);
    }
  });

  await t.test('deleteUser through the Backend API: user.deleted, accepted by both', async () => {
    const clerk = createClerkClient({ secretKey: devServer.secretKey, apiUrl: devServer.backendApiUrl });
    await clerk.users.deleteUser(userId);
    const deleted = await receiver.waitFor((d) => d.event?.type === 'user.deleted' && d.event.data.id === userId);
    assert.equal(deleted.event.data.deleted, true);
    const v = await verdicts({ headers: svixHeaders(deleted.headers), body: deleted.body });
    assert.equal(v.svix, 'ok');
    assert.equal(v.clerk, 'ok');
  });

  await t.test('every delivery so far passes both; ids are unique', async () => {
    assert.ok(receiver.deliveries.length >= 6, `${receiver.deliveries.length} deliveries`);
    for (const d of receiver.deliveries) {
      const v = await verdicts({ headers: svixHeaders(d.headers), body: d.body });
      assert.equal(v.svix, 'ok', `${d.event?.type} ${d.headers['svix-id']}: ${v.svix}`);
      assert.equal(v.clerk, 'ok', `${d.event?.type} ${d.headers['svix-id']}: ${v.clerk}`);
    }
    const ids = receiver.deliveries.map((d) => d.headers['svix-id']);
    assert.equal(new Set(ids).size, ids.length, 'one delivery per message (nothing failed, nothing retried)');
  });

  await t.test('tampered, wrongly signed or unsigned: refused by both', async () => {
    const d = await receiver.waitFor((x) => x.event?.type === 'user.created' && x.event.data.id === userId);
    const headers = svixHeaders(d.headers);
    const cases = {
      'body changed': { headers, body: d.body.replace(email, `eve-${email}`) },
      'a byte appended': { headers, body: `${d.body} ` },
      'another svix-id': { headers: { ...headers, 'svix-id': 'msg_other' }, body: d.body },
      'no signature': { headers: { ...headers, 'svix-signature': undefined }, body: d.body },
    };
    for (const [name, delivery] of Object.entries(cases)) {
      const clean = { ...delivery, headers: Object.fromEntries(Object.entries(delivery.headers).filter(([, v]) => v !== undefined)) };
      const v = await verdicts(clean);
      assert.notEqual(v.svix, 'ok', `${name}: svix accepted it`);
      assert.notEqual(v.clerk, 'ok', `${name}: verifyWebhook accepted it`);
    }
    const other = await verdicts({ headers, body: d.body }, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    assert.notEqual(other.svix, 'ok', 'another secret: svix');
    assert.notEqual(other.clerk, 'ok', 'another secret: verifyWebhook');
  });

  await t.test('GET /v1/__dev/webhooks: all delivered to the receiver', async () => {
    const r = await (await fetch(`${devServer.url}/v1/__dev/webhooks?status=delivered`)).json();
    assert.ok(r.endpoints.includes(receiver.url), JSON.stringify(r.endpoints));
    assert.ok(r.data.some((m) => m.type === 'user.deleted' && m.event.data.id === userId));
  });
});
