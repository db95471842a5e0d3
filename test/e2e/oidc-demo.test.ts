import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../src/demo/index.js';
import { silentLogger } from '../../src/log.js';
import { artifactPath, launchChromium } from '../helpers/browser.js';

/**
 * The demo as a person uses it: real Chromium, the real oidc-provider based IdP, the real bridge.
 */
let demo: RunningDemo;
let browser: Browser;

beforeAll(async () => {
  demo = await startDemo({ port: 0, idpPort: 0, logger: silentLogger(), dataDir: mkdtempSync(join(tmpdir(), 'rambridge-demo-')) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

async function signIn(user: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demo.bridgeUrl}/roles`);
  // Redirected through /login to the IdP's sign-in form.
  await page.waitForURL((url) => url.href.startsWith(demo.idpUrl));
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', user);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL((url) => url.href.startsWith(demo.bridgeUrl));
  return page;
}

test('alice signs in through the IdP and sees her roles grouped by account', async () => {
  const page = await signIn('alice');
  expect(new URL(page.url()).pathname).toBe('/roles');
  await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe('alice@example.com');
  const accounts = await page.getByTestId('account').evaluateAll((els) => els.map((e) => e.getAttribute('data-account-id')));
  expect(accounts).toEqual(['1111222233334444', '5555666677778888']);
  const roles = await page.getByTestId('role').evaluateAll((els) => els.map((e) => e.getAttribute('data-role-id')));
  expect(roles).toEqual(['dev-admin', 'dev-readonly', 'prod-ops', 'prod-readonly']);
  await page.screenshot({ path: artifactPath('roles-alice.png'), fullPage: true });

  // The filter narrows the list as you type (served as a static script under the strict CSP).
  await page.getByTestId('role-filter').fill('production read');
  const visible = await page.locator('[data-testid="role"]:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-role-id')));
  expect(visible).toEqual(['prod-readonly']);
  await page.context().close();
});

test('mallory signs in and sees the no-roles page', async () => {
  const page = await signIn('mallory');
  await expect(page.getByTestId('no-roles').isVisible()).resolves.toBe(true);
  await expect(page.getByTestId('groups-empty').isVisible()).resolves.toBe(true);
  await page.context().close();
});

test('a forged role in the form is refused with 403', async () => {
  const page = await signIn('bob');
  const form = page.locator('[data-role-id="dev-readonly"] form');
  await form.locator('input[name="role"]').evaluate((el) => el.setAttribute('value', 'dev-admin'));
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/roles/console')), form.getByTestId('open-console').click()]);
  expect(response.status()).toBe(403);
  await expect(page.getByTestId('error-code').textContent()).resolves.toBe('ERR_ROLE_NOT_GRANTED');
  await page.context().close();
});

test('a form without its CSRF token is refused', async () => {
  const page = await signIn('bob');
  const form = page.locator('[data-role-id="dev-readonly"] form');
  await form.locator('input[name="_csrf"]').evaluate((el) => el.remove());
  const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/roles/console')), form.getByTestId('open-console').click()]);
  expect(response.status()).toBe(403);
  await expect(page.getByTestId('error-code').textContent()).resolves.toBe('ERR_CSRF');
  await page.context().close();
});

test('a choice that passes every check reaches the (not yet configured) console action', async () => {
  const page = await signIn('alice');
  await page.locator('[data-role-id="prod-ops"] [data-testid="open-console"]').click();
  await expect(page.getByTestId('not-configured').isVisible()).resolves.toBe(true);
  await page.context().close();
});
