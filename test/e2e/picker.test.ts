import { createHash, randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { artifactPath } from '../helpers/browser.js';
import { completeSignIn, demoInBrowser, signInAs } from '../helpers/demo.js';

/**
 * Issue 12 items 2–4 in real Chromium on the shared demo: the fuzzy filter as you type, `/`, the
 * arrows and Enter, the live region, "Open console" in a new tab while the picker stays, and
 * favourites shared between the picker and the CLI's API.
 */
const env = demoInBrowser();

/** The ids of the roles shown (not hidden by the filter), in page order. */
const shownRoles = (page: Page) =>
  page.locator('[data-testid="role"]:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-role-id')));
const activeRole = (page: Page) => page.locator('[data-testid="role"].active').getAttribute('data-role-id');
const focusedTestId = (page: Page) =>
  page.evaluate(() =>
    (
      globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }
    ).document.activeElement.getAttribute('data-testid'),
  );

test('typing `prd ops` narrows to prod-ops and says so; `/` focuses; ArrowDown and Enter open its console in a new tab', async () => {
  const page = await signInAs(env.browser, env.demo, 'alice');
  await expect(page.getByTestId('role-count').textContent()).resolves.toBe('6 roles');
  await page.screenshot({ path: artifactPath('picker.png'), fullPage: true });

  // `/` from anywhere on the page (not while typing in a field) goes to the filter.
  await page.locator('h1').click();
  await page.keyboard.press('/');
  await expect(focusedTestId(page)).resolves.toBe('role-filter');

  await page.keyboard.type('prd ops');
  await expect(shownRoles(page)).resolves.toEqual(['prod-ops']);
  await expect(page.getByTestId('role-count').textContent()).resolves.toBe('1 role');
  await expect(page.getByTestId('role-count').getAttribute('aria-live')).resolves.toBe('polite');
  await expect(activeRole(page)).resolves.toBe('prod-ops');
  // The address follows, so a reload (or the link) shows the same.
  expect(new URL(page.url()).search).toBe('?q=prd+ops');
  await page.screenshot({ path: artifactPath('picker-search.png'), fullPage: true });

  // Nothing matching: the message, and the count says 0.
  await page.keyboard.type('zzz');
  await expect(page.locator('#no-match').isVisible()).resolves.toBe(true);
  await expect(page.getByTestId('role-count').textContent()).resolves.toBe('0 roles');
  // Escape clears: every role is back.
  await page.keyboard.press('Escape');
  await expect(shownRoles(page).then((ids) => ids.length)).resolves.toBe(6);

  await page.keyboard.type('prd ops');
  await page.keyboard.press('ArrowDown');
  const [tab] = await Promise.all([page.context().waitForEvent('page'), page.keyboard.press('Enter')]);
  await tab.waitForURL((url) => url.href.startsWith(`${env.demo.emulatorUrl}/console`));
  await expect(tab.getByTestId('console-role-arn').textContent()).resolves.toBe('acs:ram::5555666677778888:role/rambridge-prod-ops');
  // The picker stays where it was, filter and all.
  expect(new URL(page.url()).pathname).toBe('/roles');
  await expect(page.getByTestId('role-filter').inputValue()).resolves.toBe('prd ops');

  // And its forms still work (the CSRF token is the session's, not spent): a second console from the same page.
  await page.keyboard.press('Escape');
  const [second] = await Promise.all([
    page.context().waitForEvent('page'),
    page.locator('[data-role-id="dev-readonly"] [data-testid="open-console"]').click(),
  ]);
  await second.waitForURL((url) => url.href.startsWith(`${env.demo.emulatorUrl}/console`));
  await expect(second.getByTestId('console-role-arn').textContent()).resolves.toBe('acs:ram::1111222233334444:role/rambridge-dev-readonly');
  await page.context().close();
});

test('the arrows move the highlight over the visible roles; Enter on an elevated role asks for the reason first', async () => {
  const page = await signInAs(env.browser, env.demo, 'alice', '/roles?q=prod');
  // Filtered on the server, the field keeps the query; the script highlights the first.
  await expect(page.getByTestId('role-filter').inputValue()).resolves.toBe('prod');
  const visible = (await shownRoles(page)) as string[];
  expect(visible.sort()).toEqual(['prod-admin', 'prod-auditor', 'prod-ops', 'prod-readonly']);
  await page.getByTestId('role-filter').focus();
  const order = (await shownRoles(page)) as string[];
  await page.keyboard.press('ArrowDown');
  await expect(activeRole(page)).resolves.toBe(order[1]);
  await page.keyboard.press('ArrowUp');
  await expect(activeRole(page)).resolves.toBe(order[0]);
  await page.getByTestId('role-filter').fill('prod admin');
  await page.keyboard.press('Enter');
  await expect(focusedTestId(page)).resolves.toBe('justification');
  await page.context().close();
});

test('without JavaScript, `?q=` filters on the server and the star still works', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${env.demo.bridgeUrl}/roles?q=prd+ops`);
  await completeSignIn(page, env.demo, 'alice');
  await expect(shownRoles(page)).resolves.toEqual(['prod-ops']);
  await expect(page.getByTestId('role-count').textContent()).resolves.toBe('1 role');
  await page.getByTestId('role-filter').fill('dev admin');
  await page.getByTestId('role-filter').press('Enter');
  await page.waitForURL((url) => url.search === '?q=dev+admin');
  await expect(shownRoles(page)).resolves.toEqual(['dev-admin']);
  // The star posts its form and comes back here (303), the role starred and first.
  const star = page.locator('[data-role-id="dev-admin"] [data-testid="favourite"]');
  await star.click();
  await page.waitForURL((url) => url.search === '?q=dev+admin' && url.pathname === '/roles');
  await expect(star.getAttribute('aria-pressed')).resolves.toBe('true');
  await expect(page.locator('[data-testid="favourites"] [data-role-id="dev-admin"]').count()).resolves.toBe(1);
  // And back as it was, for the other tests of the shared demo.
  await star.click();
  await page.waitForURL((url) => url.search === '?q=dev+admin');
  await expect(star.getAttribute('aria-pressed')).resolves.toBe('false');
  await context.close();
});

/** A CLI session for `user` by the device flow (approved in the browser), as `rambridge login` gets one. */
async function cliToken(user: string): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const start = await fetch(`${env.demo.bridgeUrl}/oauth/device_authorization`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: 'rambridge-cli',
      client_host: 'picker-test',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }),
  });
  const { device_code, verification_uri_complete } = (await start.json()) as { device_code: string; verification_uri_complete: string };
  const url = new URL(verification_uri_complete);
  const page = await signInAs(env.browser, env.demo, user, url.pathname + url.search);
  await page.getByTestId('device-code-submit').click();
  await page.getByTestId('device-approve').click();
  await page.getByTestId('device-approved').waitFor();
  await page.context().close();
  const token = await fetch(`${env.demo.bridgeUrl}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code,
      client_id: 'rambridge-cli',
      code_verifier: verifier,
    }),
  });
  expect(token.status).toBe(200);
  return ((await token.json()) as { access_token: string }).access_token;
}

test('favourites are shared: starred in the picker, the CLI sees it; starred by the CLI, the picker shows it first', async () => {
  const token = await cliToken('bob');
  const api = (path: string, method = 'GET') =>
    fetch(`${env.demo.bridgeUrl}${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
  const cliFavourites = async () =>
    ((await (await api('/api/roles')).json()) as { roles: Array<{ id: string; favourite: boolean }> }).roles
      .filter((r) => r.favourite)
      .map((r) => r.id)
      .sort();

  try {
    const page = await signInAs(env.browser, env.demo, 'bob');
    const star = (role: string) => page.locator(`[data-role-id="${role}"] [data-testid="favourite"]`);
    await expect(star('prod-readonly').getAttribute('aria-pressed')).resolves.toBe('false');
    await expect(star('prod-readonly').getAttribute('aria-label')).resolves.toBe('Favourite prod-readonly');
    // Sent in the background: the page stays, the star flips.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/roles/favourite') && r.status() === 200),
      star('prod-readonly').click(),
    ]);
    await expect(star('prod-readonly').getAttribute('aria-pressed')).resolves.toBe('true');
    await expect(star('prod-readonly').textContent()).resolves.toBe('★');
    expect(new URL(page.url()).pathname).toBe('/roles');
    await expect(cliFavourites()).resolves.toEqual(['prod-readonly']);

    // After a reload it is first, under Favourites.
    await page.reload();
    await expect(page.locator('[data-testid="favourites"] [data-testid="role"]').first().getAttribute('data-role-id')).resolves.toBe(
      'prod-readonly',
    );
    await expect(page.getByTestId('role').first().getAttribute('data-role-id')).resolves.toBe('prod-readonly');

    // The CLI stars dev-readonly (`rambridge fav dev-readonly`): the picker shows it starred, among the favourites.
    expect((await api('/api/favourites/dev-readonly', 'PUT')).status).toBe(200);
    await page.reload();
    await expect(star('dev-readonly').getAttribute('aria-pressed')).resolves.toBe('true');
    const favourites = await page
      .locator('[data-testid="favourites"] [data-testid="role"]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-role-id')));
    expect(favourites).toEqual(['prod-readonly', 'dev-readonly']);
    await page.screenshot({ path: artifactPath('picker-favourites.png'), fullPage: true });

    // Unstarred in the picker: the CLI no longer reports it.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/roles/favourite') && r.status() === 200),
      star('prod-readonly').click(),
    ]);
    await expect(star('prod-readonly').getAttribute('aria-pressed')).resolves.toBe('false');
    await expect(cliFavourites()).resolves.toEqual(['dev-readonly']);
    await page.context().close();
  } finally {
    // The shared demo's bob as the other files expect him: nothing starred.
    await api('/api/favourites/dev-readonly', 'DELETE');
    await api('/api/favourites/prod-readonly', 'DELETE');
  }
});

test('deep links take the CLI\'s names: /roles/rambridge-prod-ops shows that role, "show all roles" goes back', async () => {
  const page = await signInAs(env.browser, env.demo, 'alice', '/roles/rambridge-prod-ops');
  await expect(shownRoles(page)).resolves.toEqual(['prod-ops']);
  await page.getByTestId('show-all-roles').click();
  await page.waitForURL(`${env.demo.bridgeUrl}/roles`);
  await expect(shownRoles(page).then((ids) => ids.length)).resolves.toBe(6);
  await page.goto(`${env.demo.bridgeUrl}/roles/nothing-like-this`);
  await expect(page.getByTestId('error-code').textContent()).resolves.toBe('ERR_ROLE_NOT_GRANTED');
  await expect(page.getByTestId('show-all-roles').isVisible()).resolves.toBe(true);
  await page.context().close();
});
