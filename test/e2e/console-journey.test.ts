import { createStsClient } from '../../src/sts/index.js';
import { artifactPath } from '../helpers/browser.js';
import { demoInBrowser, signInAs } from '../helpers/demo.js';

/**
 * The whole browser journey of issue 4: sign in → pick a role → land in the (emulated) Alibaba
 * Cloud console as that role; and "Get CLI credentials" gives credentials the official SDK accepts.
 */
const env = demoInBrowser();

const text = (page: import('playwright-core').Page, id: string) => page.getByTestId(id).textContent();

test('federation mode (SAML): alice opens the console as dev-admin', async () => {
  const page = await signInAs(env.browser, env.demo, 'alice');
  await page.locator('[data-role-id="dev-admin"] select[name="duration"]').selectOption('7200');
  await page.locator('[data-role-id="dev-admin"] [data-testid="open-console"]').click();
  await page.waitForURL((url) => url.href.startsWith(`${env.demo.emulatorUrl}/console`));
  await expect(text(page, 'console-role-arn')).resolves.toBe('acs:ram::1111222233334444:role/rambridge-dev-admin');
  await expect(text(page, 'console-account-id')).resolves.toBe('1111222233334444');
  await expect(text(page, 'console-session-name')).resolves.toMatch(/^alice@example\.com-[0-9a-f]{8}$/);
  const expiry = Date.parse((await text(page, 'console-expiration'))!);
  expect(expiry - Date.now()).toBeGreaterThan(7200_000 - 120_000);
  expect(expiry - Date.now()).toBeLessThanOrEqual(7200_000 + 5_000);
  await page.screenshot({ path: artifactPath('console-federation-saml.png'), fullPage: true });
  await page.context().close();
});

test('federation mode (OIDC): bob opens the console as prod-readonly with its effective policy', async () => {
  const page = await signInAs(env.browser, env.demo, 'bob');
  await page.locator('[data-role-id="prod-readonly"] [data-testid="open-console"]').click();
  await page.waitForURL((url) => url.href.startsWith(`${env.demo.emulatorUrl}/console`));
  await expect(text(page, 'console-role-arn')).resolves.toBe('acs:ram::5555666677778888:role/rambridge-prod-readonly');
  await expect(text(page, 'console-effective-policy')).resolves.toContain('ecs:Describe*');
  await page.screenshot({ path: artifactPath('console-federation-oidc.png'), fullPage: true });
  await page.context().close();
});

test('saml-post mode: the auto-submitting form lands alice in the console as prod-ops', async () => {
  const page = await signInAs(env.browser, env.demo, 'alice');
  await page.locator('[data-role-id="prod-ops"] [data-testid="open-console"]').click();
  await page.waitForURL((url) => url.href.startsWith(`${env.demo.emulatorUrl}/console`));
  await expect(text(page, 'console-role-arn')).resolves.toBe('acs:ram::5555666677778888:role/rambridge-prod-ops');
  await expect(text(page, 'console-origin')).resolves.toBe('RoleSSO');
  await page.screenshot({ path: artifactPath('console-saml-post.png'), fullPage: true });
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
