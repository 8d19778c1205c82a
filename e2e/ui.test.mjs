// The prebuilt components (examples/gallery) in headless Chromium against the dev server, under a strict
// Content-Security-Policy (no 'unsafe-inline' for scripts or styles): every component light and dark, checked with
// axe-core (zero violations), driven through its UI (sign-in with a wrong then right password, a TOTP second
// factor, the user menu by keyboard, switching to an organization), with a screenshot of each state written to
// target/screenshots/<component>-<state>-<theme>.png.
//
// Needs examples/gallery/dist (test.sh step `trunk`, or `trunk build` in examples/gallery) and the dev server
// binary (cargo build -p clerk-dev-server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  DEV_SERVER_SEED, EXAMPLES_DIR, ROOT, launchBrowser, serveDist, startDevServer, strictCsp, watchPage,
} from './lib/index.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const SHOTS = process.env.UI_SCREENSHOTS_DIR ?? path.join(ROOT, 'target', 'screenshots');
const PASSWORD = 'correct-horse-battery-staple';
const THEMES = ['light', 'dark'];
// Answers the tests provoke on purpose (wrong password, wrong code): the browser logs them as failed requests.
const PROVOKED = [/\b422\b.*\/v1\/client\/sign_ins\/[^/]+\/attempt_(first|second)_factor/];

let devServer;
let site;
let browser;
let csp;


before(async () => {
  devServer = await startDevServer();
  const dist = path.join(EXAMPLES_DIR, 'gallery', 'dist');
  site = await serveDist({ dir: dist, proxy: devServer.url });
  csp = strictCsp(await readFile(path.join(dist, 'index.html'), 'utf8'));
  browser = await launchBrowser();
  await mkdir(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await devServer?.stop();
});

/** A fresh context (own cookies) serving documents with the strict CSP, axe-core preloaded (an init script runs
 * outside the page's CSP). */
async function newContext(origin = site.url) {
  // reduced motion: no transitions, so axe never measures a colour half-way through one
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, reducedMotion: 'reduce' });
  await context.addInitScript({ path: AXE });
  await context.route(`${origin}/**`, async (route) => {
    if (route.request().resourceType() !== 'document') return route.fallback();
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
  });
  const page = await context.newPage();
  const problems = watchPage(page);
  page.on('console', (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.consoleErrors.push(`CSP: ${msg.text()}`);
  });
  return { context, page, problems };
}

async function open(page, component, theme, origin = site.url, query = '') {
  await page.goto(`${origin}/?c=${component}&theme=${theme}${query}`, { waitUntil: 'load' });
  await page.locator('#status').getByText(/Signed (in|out)/).waitFor({ timeout: 20_000 });
}

/** axe-core over the whole page: zero violations (all rules axe runs by default, WCAG 2.x A/AA and best practices). */
async function assertAccessible(page, label) {
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
  assert.deepEqual(result, [], `${label}: axe violations:\n${JSON.stringify(result, null, 2)}`);
}

async function shot(page, name) {
  // let transitions settle
  await page.waitForTimeout(150);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

async function check(page, name) {
  // requests in flight (a code being sent) finish first; buttons are enabled again
  await page.locator('[aria-busy="true"]').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => {});
  await page.waitForTimeout(200);
  await assertAccessible(page, name);
  await shot(page, name);
}

/** Signs in through <SignIn/> with a password (and TOTP when asked). */
async function signIn(page, theme, identifier, { totp } = {}) {
  await open(page, 'sign-in', theme);
  await page.getByLabel('Email address, username or phone number').fill(identifier);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  if (totp) {
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await page.getByLabel('Verification code').fill(totpNow(totp));
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await page.locator('#status').getByText('Signed in').waitFor({ timeout: 20_000 });
}

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) of a base32 secret. */
function totpNow(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(n).padStart(6, '0');
}

test('SignIn and SignUp, light and dark: axe-clean under a strict CSP', async () => {
  const { context, page, problems } = await newContext();
  try {
    for (const theme of THEMES) {
      await open(page, 'sign-in', theme);
      await page.getByLabel('Email address, username or phone number').waitFor();
      await check(page, `sign-in-${theme}`);
      await open(page, 'sign-up', theme);
      await page.getByLabel('Email address', { exact: true }).waitFor();
      await check(page, `sign-up-${theme}`);
      // the client-side checks: required fields, password rules
      await page.getByLabel('Email address', { exact: true }).fill('someone+clerk_test@example.com');
      await page.getByLabel('Password', { exact: true }).fill('short');
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByText('Your password must contain 8 or more characters.').waitFor();
      assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByLabel('Email address', { exact: true }).inputValue(), 'someone+clerk_test@example.com');
      await check(page, `sign-up-errors-${theme}`);
    }
    problems.assertNone();
  } finally {
    await context.close();
  }
});

// The bundled translations (leptos_clerk::ui::localizations), chosen by the gallery's `locale` parameter: SignIn's
// title ("leptos-clerk example" is dev-server/seed.toml's application_name), identifier label and Continue button.
const LOCALES = [
  { tag: 'en-US', title: 'Sign in to leptos-clerk example', button: 'Continue',
    label: 'Email address, username or phone number' },
  { tag: 'de-DE', title: 'Bei leptos-clerk example anmelden', button: 'Weiter',
    label: 'E-Mail-Adresse, Benutzername oder Telefonnummer' },
  { tag: 'fr-FR', title: 'Se connecter à leptos-clerk example', button: 'Continuer',
    label: "Adresse e-mail, nom d'utilisateur ou numéro de téléphone" },
  { tag: 'es-ES', title: 'Iniciar sesión en leptos-clerk example', button: 'Continuar',
    label: 'Correo electrónico, nombre de usuario o número de teléfono' },
  { tag: 'pt-BR', title: 'Entrar em leptos-clerk example', button: 'Continuar',
    label: 'E-mail, nome de usuário ou número de telefone' },
  { tag: 'ja-JP', title: 'leptos-clerk exampleにサインイン', button: '続ける',
    label: 'メールアドレス、ユーザー名、または電話番号' },
];

test('SignIn in every bundled locale (?locale=<tag>): translated title, label and button, axe-clean', async () => {
  const { context, page, problems } = await newContext();
  try {
    for (const { tag, title, label, button } of LOCALES) {
      await open(page, 'sign-in', 'light', site.url, `&locale=${tag}`);
      await page.getByRole('heading', { name: title, exact: true }).waitFor();
      await page.getByLabel(label, { exact: true }).waitFor();
      const continueButton = page.getByRole('button', { name: button, exact: true });
      assert.equal(await continueButton.count(), 1, `${tag}: the ${button} button`);
      assert.equal(await page.locator('.gallery').getAttribute('lang'), tag);
      // the gallery's own links keep the locale
      const signUpLink = page.getByRole('link', { name: 'SignUp', exact: true });
      assert.match(await signUpLink.getAttribute('href'), new RegExp(`&locale=${tag}$`));
      await check(page, `sign-in-${tag}`);
    }
    problems.assertNone();
  } finally {
    await context.close();
  }
});

test('SignIn: a wrong password shows next to the field and keeps the input; the right one signs in', async () => {
  const { context, page, problems } = await newContext();
  try {
    for (const theme of THEMES) {
      await open(page, 'sign-in', theme);
      await page.getByLabel('Email address, username or phone number').fill('ada+clerk_test@example.com');
      await page.getByRole('button', { name: 'Continue' }).click();
      const field = password(page);
      await field.fill('not-the-password');
      await page.getByRole('button', { name: 'Continue' }).click();
      const error = page.locator('.cl-form-field-error');
      await error.waitFor();
      assert.match(await error.textContent(), /Password is incorrect/);
      assert.equal(await field.getAttribute('aria-invalid'), 'true');
      assert.equal(await field.getAttribute('aria-describedby'), await error.getAttribute('id'));
      assert.equal(await field.inputValue(), 'not-the-password');
      await check(page, `sign-in-password-error-${theme}`);
    }
    await password(page).fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#status').getByText('Signed in').waitFor({ timeout: 20_000 });
    // redirected to the sign-in fallback URL (the user button page)
    await page.waitForURL(/c=user-button/);
    await page.locator('.cl-user-button-trigger').waitFor();
    problems.assertNone(PROVOKED);
  } finally {
    await context.close();
  }
});

function password(page) {
  return page.getByLabel('Password', { exact: true });
}

test('SignIn: the second factor (TOTP) after the password', async () => {
  const { context, page, problems } = await newContext();
  try {
    await open(page, 'sign-in', 'dark');
    await page.getByLabel('Email address, username or phone number').fill('grace+clerk_test@example.com');
    await page.getByRole('button', { name: 'Continue' }).click();
    await password(page).fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await page.getByLabel('Verification code').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('.cl-form-field-error').waitFor();
    await check(page, 'sign-in-totp-error-dark');
    await page.getByLabel('Verification code').fill(totpNow('JBSWY3DPEHPK3PXP'));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#status').getByText('Signed in').waitFor({ timeout: 20_000 });
    problems.assertNone(PROVOKED);
  } finally {
    await context.close();
  }
});

test('UserButton: keyboard menu (Enter, arrows, Escape returns focus), light and dark', async () => {
  const { context, page, problems } = await newContext();
  try {
    await signIn(page, 'light', 'ada+clerk_test@example.com');
    for (const theme of THEMES) {
      await open(page, 'user-button', theme);
      const trigger = page.locator('.cl-user-button-trigger');
      await trigger.waitFor();
      await check(page, `user-button-${theme}`);
      await trigger.focus();
      await page.keyboard.press('Enter');
      const items = page.getByRole('menuitem');
      await items.first().waitFor();
      assert.equal(await trigger.getAttribute('aria-expanded'), 'true');
      const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim());
      assert.equal(await focused(), 'Manage account');
      await page.keyboard.press('ArrowDown');
      assert.equal(await focused(), 'Sign out');
      await page.keyboard.press('ArrowUp');
      assert.equal(await focused(), 'Manage account');
      await page.keyboard.press('End');
      const last = await focused();
      await page.keyboard.press('ArrowDown');
      assert.equal(await focused(), 'Manage account', `wraps from ${last}`);
      await check(page, `user-button-menu-${theme}`);
      await page.keyboard.press('Escape');
      await items.first().waitFor({ state: 'detached' });
      assert.equal(await trigger.getAttribute('aria-expanded'), 'false');
      assert.ok(await trigger.evaluate((el) => el === document.activeElement), 'focus is back on the button');
      // ArrowUp opens at the last item; "Manage account" opens the profile in a dialog
      await page.keyboard.press('ArrowUp');
      await items.first().waitFor();
      await page.getByRole('menuitem', { name: 'Manage account' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('.cl-user-profile').waitFor();
      await check(page, `user-button-profile-dialog-${theme}`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    }
    problems.assertNone();
  } finally {
    await context.close();
  }
});

test('UserProfile, OrganizationSwitcher, CreateOrganization, OrganizationProfile, light and dark', async () => {
  const { context, page, problems } = await newContext();
  try {
    await signIn(page, 'light', 'ada+clerk_test@example.com');
    for (const theme of THEMES) {
      await open(page, 'user-profile', theme);
      await page.locator('.cl-user-profile').getByText('ada+clerk_test@example.com').waitFor();
      await check(page, `user-profile-${theme}`);
      await page.getByRole('button', { name: 'Security' }).click();
      await page.locator('.cl-device').first().waitFor();
      await check(page, `user-profile-security-${theme}`);

      await open(page, 'organization-switcher', theme);
      const trigger = page.locator('.cl-organization-switcher-trigger');
      await trigger.click();
      await page.getByRole('menuitem').first().waitFor();
      await check(page, `organization-switcher-menu-${theme}`);
      // choose Acme (light), or the personal account (dark) then Acme again
      const acme = page.getByRole('menuitem', { name: /Acme/ });
      if (await acme.count()) {
        await acme.click();
        await trigger.getByText('Acme').waitFor();
      } else {
        await page.keyboard.press('Escape');
      }
      await check(page, `organization-switcher-${theme}`);

      await open(page, 'create-organization', theme);
      await page.getByLabel('Name').waitFor();
      await check(page, `create-organization-${theme}`);

      await open(page, 'organization-profile', theme);
      await page.locator('.cl-organization-profile').getByRole('heading', { name: 'Acme' }).waitFor();
      await check(page, `organization-profile-${theme}`);
      await page.getByRole('button', { name: 'Members' }).click();
      await page.locator('.cl-members tbody tr').first().waitFor();
      await page.getByText('No pending invitations.').waitFor();
      await check(page, `organization-profile-members-${theme}`);
    }
    // create an organization through the form: it becomes active
    await open(page, 'create-organization', 'light');
    await page.getByLabel('Name').fill('Difference Engines');
    assert.equal(await page.getByLabel('Slug').inputValue(), 'difference-engines');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(/c=organization-profile/);
    await page.locator('.cl-organization-profile').getByRole('heading', { name: 'Difference Engines' }).waitFor();
    await open(page, 'organization-switcher', 'light');
    await page.locator('.cl-organization-switcher-trigger').getByText('Difference Engines').waitFor();
    problems.assertNone();
  } finally {
    await context.close();
  }
});

test('SignUp with legal consent (an instance that asks for it): the checkbox, its links, then the code', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ui-legal-'));
  const seed = path.join(dir, 'seed.toml');
  const base = await readFile(DEV_SERVER_SEED, 'utf8');
  await writeFile(seed, base.replace('\n[instance]\n',
    '\n[instance]\nlegal_consent = true\nterms_url = "https://example.com/terms"\n' +
    'privacy_policy_url = "https://example.com/privacy"\n'));
  const server = await startDevServer({ seed });
  const legalSite = await serveDist({ dir: path.join(EXAMPLES_DIR, 'gallery', 'dist'), proxy: server.url });
  const { context, page, problems } = await newContext(legalSite.url);
  try {
    for (const theme of THEMES) {
      await open(page, 'sign-up', theme, legalSite.url);
      const consent = page.getByRole('checkbox', { name: /I agree to the Terms of Service and the Privacy Policy/ });
      await consent.waitFor();
      assert.equal(await page.getByRole('link', { name: 'Terms of Service' }).getAttribute('href'), 'https://example.com/terms');
      assert.equal(await page.getByRole('link', { name: 'Privacy Policy' }).getAttribute('href'), 'https://example.com/privacy');
      await page.getByLabel('Email address', { exact: true }).fill(`legal-${theme}+clerk_test@example.com`);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.locator('.cl-form-field-checkbox .cl-form-field-error').waitFor();
      assert.equal(await consent.getAttribute('aria-invalid'), 'true');
      await check(page, `sign-up-legal-consent-${theme}`);
    }
    await page.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Verify your email' }).waitFor();
    await check(page, 'sign-up-verify-email-dark');
    await page.getByLabel('Verification code').fill('424242');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('#status').getByText('Signed in').waitFor({ timeout: 20_000 });
    problems.assertNone();
  } finally {
    await context.close();
    await legalSite.stop();
    await server.stop();
  }
});
