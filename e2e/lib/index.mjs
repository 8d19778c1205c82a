// Reusable e2e helpers: import { launchBrowser, openPage, startDevServer, serveDist, … } from './lib/index.mjs'.
export * from './paths.mjs';
export * from './browser.mjs';
export * from './dev-server.mjs';
export * from './static-server.mjs';
export * from './api-server.mjs';
export * from './webhook-receiver.mjs';

/** Runs `fn` with cleanups registered along the way, running them in reverse order even when `fn` throws. */
export async function withCleanup(fn) {
  const cleanups = [];
  try {
    return await fn((c) => cleanups.push(c));
  } finally {
    for (const c of cleanups.reverse()) {
      try { await c(); } catch (e) { console.error('cleanup failed:', e); }
    }
  }
}
