// Debian's Chromium driven by playwright-core (never a downloaded browser), and per-page problem collection.
import { createHash } from 'node:crypto';
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS_DIR } from './paths.mjs';

/** The flags that keep Chromium quiet on a machine without internet (shared/docs/toolchain.md). */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-sandbox',
  '--disable-dev-shm-usage',
];

/** @returns {Promise<import('playwright-core').Browser>} */
export function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
}

/**
 * Opens a page in a fresh context and records what goes wrong on it: console errors, uncaught page errors,
 * requests that fail at the network level and responses with status >= 400.
 * @param {import('playwright-core').Browser} browser
 * @param {import('playwright-core').BrowserContextOptions} [contextOptions]
 */
export async function openPage(browser, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  const problems = watchPage(page);
  return { context, page, problems };
}

/**
 * Collects problems of a page (also of pages opened later in the same context if you call it for them).
 * `problems.list(allow)` gives them as strings, leaving out those matching any regex in `allow` (requests the test
 * provokes on purpose); `problems.assertNone(allow)` throws with all of them.
 * @param {import('playwright-core').Page} page
 */
export function watchPage(page) {
  const consoleErrors = [];
  const pageErrors = [];
  const failedRequests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      consoleErrors.push(`console error: ${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => pageErrors.push(`page error: ${err.stack ?? err.message}`));
  page.on('requestfailed', (req) =>
    failedRequests.push(`request failed: ${req.method()} ${req.url()}: ${req.failure()?.errorText}`));
  page.on('response', (res) => {
    if (res.status() >= 400) failedRequests.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  const list = (allow = []) =>
    [...pageErrors, ...consoleErrors, ...failedRequests].filter((p) => !allow.some((re) => re.test(p)));
  return {
    consoleErrors,
    pageErrors,
    failedRequests,
    list,
    assertNone(allow = []) {
      const found = list(allow);
      if (found.length) throw new Error(`problems on ${page.url()}:\n  ${found.join('\n  ')}`);
    },
  };
}

/** Writes a full-page PNG to target/e2e/<name>.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A strict Content-Security-Policy for a page whose HTML is `html`: scripts from its origin plus its inline scripts
 * (trunk's loader) by hash, wasm, and styles from its origin only, so an inline style attribute or <style> element is
 * refused (and logged).
 * @param {string} html
 */
export function strictCsp(html) {
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
    .map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
