// Page objects for examples/app (elements by id), and small helpers its tests and the perf script share.
import { createHmac } from 'node:crypto';
import path from 'node:path';
import { EXAMPLES_DIR } from './paths.mjs';

/** The app's release build (test.sh step `trunk`, or `trunk build --release` in examples/app). */
export const APP_DIST = path.join(EXAMPLES_DIR, 'app', 'dist');
export const SEED_PASSWORD = 'correct-horse-battery-staple';
export const GRACE = { email: 'grace+clerk_test@example.com', totpSecret: 'JBSWY3DPEHPK3PXP' };

/**
 * An init script: records in `window.__seen[id]` the `performance.now()` (ms since navigation start) at which an
 * element with one of these ids first appeared in the document, from a MutationObserver set up before any page
 * script runs.
 */
export function firstSeenScript(ids) {
  return `(() => {
    const ids = ${JSON.stringify(ids)};
    const seen = (window.__seen = {});
    const check = () => {
      for (const id of ids) if (!(id in seen) && document.getElementById(id)) seen[id] = performance.now();
    };
    new MutationObserver(check).observe(document, { childList: true, subtree: true });
  })();`;
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret, `offset` steps from now. */
export function totp(secret, offset = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30) + offset));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The latest one-time code the dev server sent to an email address or phone number. */
export async function devCode(devServerUrl, identifier) {
  const r = await fetch(`${devServerUrl}/v1/__dev/codes?identifier=${encodeURIComponent(identifier)}`);
  if (!r.ok) throw new Error(`GET /v1/__dev/codes: ${r.status}`);
  const { latest } = await r.json();
  if (!latest) throw new Error(`no code was sent to ${identifier}`);
  return latest;
}

/** examples/app in one tab: navigation, the header, and each page's elements by id. */
export class AppPage {
  /** @param {import('playwright-core').Page} page @param {string} origin */
  constructor(page, origin) {
    this.page = page;
    this.origin = origin;
  }

  $(id) {
    return this.page.locator(`#${id}`);
  }

  async goto(pathname = '/') {
    await this.page.goto(`${this.origin}${pathname}`, { waitUntil: 'load' });
  }

  /** `loading`, `signed-in` or `signed-out`, as the header says. */
  async waitAuth(state, timeout = 20_000) {
    await this.page.locator(`#header-user[data-auth="${state}"]`).waitFor({ timeout });
  }

  /** Follows a header link (a soft navigation through the router). */
  async nav(name) {
    await this.$(`nav-${name}`).click();
  }

  /** Marks the current document; `assertSameDocument` fails if a full page load happened since. */
  async markDocument() {
    await this.page.evaluate(() => { window.__sameDocument = true; });
  }

  async assertSameDocument(what) {
    const same = await this.page.evaluate(() => window.__sameDocument === true);
    if (!same) throw new Error(`${what} reloaded the page (expected a soft navigation)`);
  }

  // ---- header user button (prebuilt UserButton) -----------------------------------------------------------------
  userButton() {
    return this.page.locator('#header-user .cl-user-button-trigger');
  }

  async userMenu(item) {
    await this.userButton().click();
    await this.page.locator('#header-user').getByRole('menuitem', { name: item }).click();
  }

  // ---- prebuilt SignIn / SignUp (their inputs by name; their ids are generated) ---------------------------------
  field(container, name) {
    return this.page.locator(`#${container} input[name="${name}"]`);
  }

  async submit(container) {
    await this.page.locator(`#${container} button[type="submit"]`).click();
  }

  // ---- client page ----------------------------------------------------------------------------------------------
  /** The id of the session the Client page marks as current. */
  async currentSessionId() {
    const card = this.page.locator('#client-sessions article[data-current="true"]');
    await card.waitFor();
    return (await card.getAttribute('id')).replace(/^session-/, '');
  }

  /** Clicks a session's method button and returns the JSON it printed. */
  async sessionCall(sessionId, method) {
    const output = this.$(`session-${sessionId}-output`);
    const before = await output.textContent();
    await this.$(`session-${sessionId}-${method}`).click();
    await this.page.waitForFunction(
      ([id, before]) => {
        const text = document.getElementById(id)?.textContent ?? '';
        return text !== '' && text !== before;
      },
      [`session-${sessionId}-output`, before],
    );
    return output.textContent();
  }
}
