import { createHash, randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { artifactPath } from '../helpers/browser.js';
import { completeSignIn, demoInBrowser } from '../helpers/demo.js';
import { listeningBridgeOnFakeOp } from '../helpers/fake-op-bridge.js';

/**
 * Issue 12 item 5 in real Chromium on the shared demo: "My CLI sessions" after a CLI login, and its
 * revoke; the no-roles page as a user (no admin command) and as an administrator; a session that
 * ended under an "Open console" click, back on the role after signing in again. Screenshots:
 * cli-sessions.png, no-roles.png, no-roles-admin.png, device-confirm.png, session-expired.png.
 */
const env = demoInBrowser();

/** The few browser globals the checks read (the project compiles without the DOM library). */
interface InBrowser {
  document: {
    activeElement: {
      tagName: string;
      getAttribute(n: string): string | null;
      closest(s: string): { getAttribute(n: string): string | null } | null;
    };
  };
}

async function signedIn(user: string, path: string): Promise<Page> {
  const page = await (await env.browser.newContext()).newPage();
  await page.goto(`${env.demo.bridgeUrl}${path}`);
  await completeSignIn(page, env.demo, user);
  return page;
}

/**
 * A device login as the CLI makes it (RFC 8628 with PKCE), from a computer with a name of its own
 * so this test finds its session among those other test files start for the same demo user.
 */
async function startDeviceLogin(host: string) {
  const verifier = randomBytes(32).toString('base64url');
  const res = await fetch(`${env.demo.bridgeUrl}/oauth/device_authorization`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: 'rambridge-cli',
      client_host: host,
      client_version: '9.9.9',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { device_code: string; verification_uri_complete: string };
  const redeem = async () => {
    const token = await fetch(`${env.demo.bridgeUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: body.device_code,
        client_id: 'rambridge-cli',
        code_verifier: verifier,
      }),
    });
    expect(token.status).toBe(200);
    return (await token.json()) as { access_token: string; refresh_token: string };
  };
  const url = new URL(body.verification_uri_complete);
  return { path: url.pathname + url.search, redeem };
}

function refresh(refreshToken: string) {
  return fetch(`${env.demo.bridgeUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'rambridge-cli' }),
  });
}

test('the device confirmation lists the roles; My CLI sessions lists the new session and revokes it', async () => {
  const host = `states-e2e-${randomBytes(4).toString('hex')}`;
  const login = await startDeviceLogin(host);
  const page = await signedIn('bob', login.path);
  await page.getByTestId('device-code-submit').click();
  await page.getByTestId('device-confirm').waitFor();
  // bob (rambridge-readonly) gets the two read-only roles, and is told they follow his groups.
  await expect(
    page.locator('[data-testid="device-roles"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-role-id'))),
  ).resolves.toEqual(['dev-readonly', 'prod-readonly']);
  await page.screenshot({ path: artifactPath('device-confirm.png'), fullPage: true });
  await page.getByTestId('device-approve').click();
  await page.getByTestId('device-approved').waitFor();
  const tokens = await login.redeem();

  // From the header link of any page.
  await page.getByTestId('my-cli-sessions').click();
  await page.getByTestId('cli-sessions').waitFor();
  const mine = page.getByTestId('cli-session').filter({ has: page.getByRole('heading', { name: host, exact: true }) });
  await expect(mine.count()).resolves.toBe(1);
  await expect(mine.getByTestId('cli-session-client').textContent()).resolves.toBe('rambridge-cli 9.9.9');
  await expect(page.content()).resolves.not.toContain(tokens.refresh_token);
  await page.screenshot({ path: artifactPath('cli-sessions.png'), fullPage: true });

  await mine.getByTestId('cli-session-revoke').click();
  await page.getByTestId('cli-sessions-revoked').waitFor();
  expect(new URL(page.url()).pathname).toBe('/sessions');
  await expect(mine.count()).resolves.toBe(0);
  // Reloading shows the page again; it posts nothing (POST-redirect-GET).
  await page.reload();
  await page.getByTestId('cli-sessions').waitFor();

  // The CLI's next refresh is refused with its re-login answer, and its access token is dead.
  const refused = await refresh(tokens.refresh_token);
  expect(refused.status).toBe(400);
  await expect(refused.json()).resolves.toMatchObject({ code: 'ERR_REFRESH_TOKEN_INVALID', hint: 'Run `rambridge login` again.' });
  const whoami = await fetch(`${env.demo.bridgeUrl}/api/whoami`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
  expect(whoami.status).toBe(401);
  await page.context().close();
});

test('the no-roles page tells mallory whom to ask, and shows her no admin command', async () => {
  const page = await signedIn('mallory', '/roles');
  await page.getByTestId('no-roles').waitFor();
  await expect(page.getByTestId('support-contact').textContent()).resolves.toContain('the rambridge demo team');
  await expect(page.getByTestId('admin-command').count()).resolves.toBe(0);
  await expect(page.content()).resolves.not.toContain('rambridge explain');
  await page.screenshot({ path: artifactPath('no-roles.png'), fullPage: true });
  await page.context().close();
});

test('the no-roles page shows an administrator the explain command for their groups', async () => {
  const bridge = await listeningBridgeOnFakeOp((c) => {
    c.support = { contact: 'the cloud platform team', url: 'https://desk.example.com/cloud', adminGroups: ['cloud-admins'] };
  });
  try {
    bridge.op.user = { sub: 'admin-1', email: 'admin@example.com', name: 'Ada Admin', groups: ['cloud-admins'], amr: ['pwd', 'mfa'] };
    const page = await (await env.browser.newContext()).newPage();
    await page.goto(`${bridge.bridgeUrl}/login?return_to=%2Froles`);
    await page.getByTestId('no-roles').waitFor();
    await expect(page.getByTestId('admin-command').locator('pre').textContent()).resolves.toBe(
      "rambridge explain -c CONFIG.yaml --idp 'demo' --groups 'cloud-admins' --email 'admin@example.com' --amr 'pwd,mfa'",
    );
    await expect(page.getByTestId('support-link').getAttribute('href')).resolves.toBe('https://desk.example.com/cloud');
    await page.screenshot({ path: artifactPath('no-roles-admin.png'), fullPage: true });
    await page.context().close();
  } finally {
    await bridge.close();
  }
});

test('Open console after the session ended: sign in again, back on the role with a notice and the button focused', async () => {
  const picker = await signedIn('bob', '/roles');
  await picker.locator('[data-role-id="dev-readonly"]').waitFor();
  // The session ends (here: the browser loses it, as after the idle timeout the server drops it).
  await picker.context().clearCookies();
  // Open console opens a new tab (the picker stays); that tab is sent to sign in again.
  const [page] = await Promise.all([
    picker.context().waitForEvent('page'),
    picker.locator('[data-role-id="dev-readonly"] [data-testid="open-console"]').click(),
  ]);

  // The demo offers two IdPs: the chooser says why the user is there.
  await page.getByTestId('session-ended').waitFor();
  const login = new URL(page.url());
  expect([login.pathname, login.searchParams.get('return_to'), login.searchParams.get('expired')]).toEqual([
    '/login',
    '/roles/dev-readonly?action=console',
    '1',
  ]);
  await completeSignIn(page, env.demo, 'bob');
  await page.getByTestId('resume-notice').waitFor();
  expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/roles/dev-readonly?action=console');
  await expect(page.locator('[data-role-id="dev-readonly"]').getAttribute('class')).resolves.toContain('highlighted');
  // resume.js focuses the button the user had pressed: Enter continues.
  await page.waitForFunction(
    () => (globalThis as unknown as InBrowser).document.activeElement.getAttribute('data-testid') === 'open-console',
  );
  const focused = await page.evaluate(() => {
    const active = (globalThis as unknown as InBrowser).document.activeElement;
    return { testid: active.getAttribute('data-testid'), role: active.closest('[data-role-id]')?.getAttribute('data-role-id') };
  });
  expect(focused).toEqual({ testid: 'open-console', role: 'dev-readonly' });
  await page.screenshot({ path: artifactPath('session-expired.png'), fullPage: true });
  await page.context().close();
});
