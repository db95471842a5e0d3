import type { Page } from 'playwright-core';
import { createStsClient } from '../../src/sts/index.js';
import { artifactPath } from '../helpers/browser.js';
import { demoInBrowser, signInAs } from '../helpers/demo.js';

/**
 * The whole browser journey of issue 4: sign in → pick a role → land in the (emulated) Alibaba
 * Cloud console as that role, in a new tab while the picker stays (issue 12); and "Get CLI credentials" gives credentials the official SDK accepts.
 */
const env = demoInBrowser();

const text = (page: Page, id: string) => page.getByTestId(id).textContent();

/** "Open console" opens the console in a new tab (formtarget=_blank) and the picker stays: that tab. */
async function openConsole(page: Page, role: string): Promise<Page> {
  const [tab] = await Promise.all([
    page.context().waitForEvent('page'),
    page.locator(`[data-role-id="${role}"] [data-testid="open-console"]`).click(),
  ]);
  await tab.waitForURL((url) => url.href.startsWith(`${env.demo.emulatorUrl}/console`));
  expect(new URL(page.url()).pathname).toBe('/roles');
  return tab;
}

test('federation mode (SAML): alice opens the console as dev-admin', async () => {
  const page = await signInAs(env.browser, env.demo, 'alice');
  await page.locator('[data-role-id="dev-admin"] select[name="duration"]').selectOption('7200');
  const tab = await openConsole(page, 'dev-admin');
  await expect(text(tab, 'console-role-arn')).resolves.toBe('acs:ram::1111222233334444:role/rambridge-dev-admin');
  await expect(text(tab, 'console-account-id')).resolves.toBe('1111222233334444');
  await expect(text(tab, 'console-session-name')).resolves.toMatch(/^alice@example\.com-[A-Za-z0-9_-]{11}$/);
  const expiry = Date.parse((await text(tab, 'console-expiration'))!);
  expect(expiry - Date.now()).toBeGreaterThan(7200_000 - 120_000);
  expect(expiry - Date.now()).toBeLessThanOrEqual(7200_000 + 5_000);
  await tab.screenshot({ path: artifactPath('console-federation-saml.png'), fullPage: true });
  await page.context().close();
});

test('federation mode (OIDC): bob opens the console as prod-readonly with its effective policy', async () => {
  const page = await signInAs(env.browser, env.demo, 'bob');
  const tab = await openConsole(page, 'prod-readonly');
  await expect(text(tab, 'console-role-arn')).resolves.toBe('acs:ram::5555666677778888:role/rambridge-prod-readonly');
  await expect(text(tab, 'console-effective-policy')).resolves.toContain('ecs:Describe*');
  await tab.screenshot({ path: artifactPath('console-federation-oidc.png'), fullPage: true });
  await page.context().close();
});

test('saml-post mode: the auto-submitting form lands alice in the console as prod-ops', async () => {
  const page = await signInAs(env.browser, env.demo, 'alice');
  const tab = await openConsole(page, 'prod-ops');
  await expect(text(tab, 'console-role-arn')).resolves.toBe('acs:ram::5555666677778888:role/rambridge-prod-ops');
  await expect(text(tab, 'console-origin')).resolves.toBe('RoleSSO');
  await tab.screenshot({ path: artifactPath('console-saml-post.png'), fullPage: true });
  await page.context().close();
});

test('"Get CLI credentials" shows credentials the official SDK accepts for GetCallerIdentity', async () => {
  const page = await signInAs(env.browser, env.demo, 'bob');
  await page.locator('[data-role-id="dev-readonly"] [data-testid="get-credentials"]').click();
  await page.getByTestId('credentials').waitFor();
  const exports = (await text(page, 'credentials-env'))!;
  const value = (name: string) => new RegExp(`^export ${name}='([^']+)'$`, 'm').exec(exports)![1]!;
  const profile = JSON.parse((await text(page, 'credentials-profile'))!);
  expect(profile).toMatchObject({ mode: 'StsToken', access_key_id: value('ALIBABA_CLOUD_ACCESS_KEY_ID') });
  await page.screenshot({ path: artifactPath('credentials.png'), fullPage: true });

  const sts = createStsClient({ endpoint: new URL(env.demo.emulatorUrl).host, protocol: 'http' });
  const who = await sts.getCallerIdentity({
    accessKeyId: value('ALIBABA_CLOUD_ACCESS_KEY_ID'),
    accessKeySecret: value('ALIBABA_CLOUD_ACCESS_KEY_SECRET'),
    securityToken: value('ALIBABA_CLOUD_SECURITY_TOKEN'),
  });
  expect(who).toMatchObject({ accountId: '1111222233334444', identityType: 'AssumedRoleUser' });
  expect(who.arn).toContain('rambridge-dev-readonly');
  await page.context().close();
});
