import { artifactPath } from '../helpers/browser.js';
import { demoInBrowser, signInAs } from '../helpers/demo.js';

/**
 * The demo as a person uses it: real Chromium, the real oidc-provider based IdP, the real bridge.
 * Signing in goes through /login to the IdP's form and back.
 */
const env = demoInBrowser();

const signIn = (user: string) => signInAs(env.browser, env.demo, user);

test('alice signs in through the IdP and sees her roles grouped by account', async () => {
  const page = await signIn('alice');
  expect(new URL(page.url()).pathname).toBe('/roles');
  await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe('alice@example.com');
  // Each account's group holds only its roles (those she favoured or used recently are above them).
  const accounts = await page
    .getByTestId('account')
    .evaluateAll((els) =>
      els.map((e) => [
        e.getAttribute('data-account-id'),
        Array.from(e.querySelectorAll('[data-role-id]'), (r) => (r as typeof e).getAttribute('data-role-id')),
      ]),
    );
  const ACCOUNT_OF: Record<string, string> = { dev: '1111222233334444', prod: '5555666677778888' };
  for (const [account, ids] of accounts)
    for (const id of ids as string[]) expect([id, account]).toEqual([id, ACCOUNT_OF[id.split('-')[0]!]]);
  const roles = await page.getByTestId('role').evaluateAll((els) => els.map((e) => e.getAttribute('data-role-id')));
  // prod-admin (elevated) only for a multi-factor sign-in: alice's. Sorted: the roles she used in
  // other tests of the shared demo come first, under Recent.
  expect(roles.sort()).toEqual(['dev-admin', 'dev-readonly', 'prod-admin', 'prod-auditor', 'prod-ops', 'prod-readonly']);
  await page.screenshot({ path: artifactPath('roles-alice.png'), fullPage: true });

  // The filter narrows the list as you type (served as a static script under the strict CSP).
  await page.getByTestId('role-filter').fill('operate production');
  const visible = await page.locator('[data-testid="role"]:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-role-id')));
  expect(visible).toEqual(['prod-ops']);
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
  const form = page.locator('[data-role-id="dev-readonly"] form.role-actions');
  await form.locator('input[name="role"]').evaluate((el) => el.setAttribute('value', 'dev-admin'));
  // The console opens in a new tab: the refusal is shown there.
  const [response, tab] = await Promise.all([
    page.context().waitForEvent('response', (r) => r.url().endsWith('/roles/console')),
    page.context().waitForEvent('page'),
    form.getByTestId('open-console').click(),
  ]);
  expect(response.status()).toBe(403);
  await expect(tab.getByTestId('error-code').textContent()).resolves.toBe('ERR_ROLE_NOT_GRANTED');
  await page.context().close();
});

test('a form without its CSRF token is refused', async () => {
  const page = await signIn('bob');
  const form = page.locator('[data-role-id="dev-readonly"] form.role-actions');
  await form.locator('input[name="_csrf"]').evaluate((el) => el.remove());
  // The console opens in a new tab: the refusal is shown there.
  const [response, tab] = await Promise.all([
    page.context().waitForEvent('response', (r) => r.url().endsWith('/roles/console')),
    page.context().waitForEvent('page'),
    form.getByTestId('open-console').click(),
  ]);
  expect(response.status()).toBe(403);
  await expect(tab.getByTestId('error-code').textContent()).resolves.toBe('ERR_CSRF');
  await page.context().close();
});
