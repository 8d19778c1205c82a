// examples/minimal in headless Chromium: its release dist/ (test.sh step `trunk`) served with /v1/ proxied to a
// dev server of its own, like `trunk serve` does in ./dev.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { EXAMPLES_DIR, launchBrowser, openPage, screenshot, serveDist, startDevServer } from './lib/index.mjs';

let devServer;
let site;
let browser;

before(async () => {
  devServer = await startDevServer();
  site = await serveDist({ dir: path.join(EXAMPLES_DIR, 'minimal', 'dist'), proxy: devServer.url });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await devServer?.stop();
});

test('the wasm app mounts', async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(site.url, { waitUntil: 'load' });
    await page.locator('main h1').waitFor({ timeout: 20_000 });
    assert.equal(await page.locator('main h1').textContent(), 'leptos-clerk');
    assert.deepEqual(problems.pageErrors, [], 'no uncaught errors (panics) in the page');
  } finally {
    await context.close();
  }
});

test('signed out on a first visit, with no console errors and no failed requests', async () => {
  const { context, page, problems } = await openPage(browser);
  try {
    await page.goto(site.url, { waitUntil: 'load' });
    await page.locator('#signed-out').waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'minimal-signed-out');
    assert.equal(await page.locator('#signed-in').count(), 0, 'no signed-in content');
    assert.equal(await page.locator('#loading').count(), 0, 'the loading content is gone');
    const fapi = site.requests.filter((r) => r.url.startsWith('/v1/'));
    assert.ok(fapi.length > 0, 'FAPI calls went through the same-origin /v1/ proxy to the dev server');
    problems.assertNone();
  } finally {
    await context.close();
  }
});
