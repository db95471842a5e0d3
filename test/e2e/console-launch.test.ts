import type { Page } from 'playwright-core';
import { artifactPath } from '../helpers/browser.js';
import { demoInBrowser, signInAs } from '../helpers/demo.js';

/**
 * `rambridge console ROLE -s SERVICE` opens the bridge's launch URL in a new tab: a navigation the
 * browser marks `Sec-Fetch-Site: none`, as `page.goto` in a new page does. The launch page submits
 * the console form by itself and the tab ends on that service's console as the role.
 */
const env = demoInBrowser();

const text = (page: Page, id: string) => page.getByTestId(id).textContent();
const service = (page: Page) => page.getByTestId('console-service').getAttribute('data-service');

test('the launch URL, opened in a new tab, lands alice on the ECS console (cn-hangzhou) as dev-admin', async () => {
  const picker = await signInAs(env.browser, env.demo, 'alice');
  const tab = await picker.context().newPage();
  await tab.goto(`${env.demo.bridgeUrl}/roles/dev-admin/console?service=ecs`);
  await tab.waitForURL(`${env.demo.emulatorUrl}/console/ecs/cn-hangzhou`);
  await expect(service(tab)).resolves.toBe('ecs');
  await expect(text(tab, 'console-region')).resolves.toBe('cn-hangzhou');
  await expect(text(tab, 'console-role-arn')).resolves.toBe('acs:ram::1111222233334444:role/rambridge-dev-admin');
  await expect(text(tab, 'console-account-id')).resolves.toBe('1111222233334444');
  await expect(text(tab, 'console-session-name')).resolves.toMatch(/^alice@example\.com-[A-Za-z0-9_-]{11}$/);
  // The role's maximum (4 h), as no duration was asked for.
  const expiry = Date.parse((await text(tab, 'console-expiration'))!);
  expect(expiry - Date.now()).toBeGreaterThan(4 * 3600_000 - 120_000);
  await tab.screenshot({ path: artifactPath('console-ecs.png'), fullPage: true });
  // The picker's tab stays where it was.
  expect(new URL(picker.url()).pathname).toBe('/roles');
  await picker.context().close();
});

test('an elevated role stops on the launch page for a justification, then lands on ActionTrail as prod-admin', async () => {
  const picker = await signInAs(env.browser, env.demo, 'alice');
  const tab = await picker.context().newPage();
  await tab.goto(`${env.demo.bridgeUrl}/roles/prod-admin/console?service=actiontrail`);
  await tab.getByTestId('justification').waitFor();
  expect(new URL(tab.url()).pathname).toBe('/roles/prod-admin/console');
  await tab.screenshot({ path: artifactPath('console-launch-elevated.png'), fullPage: true });
  await tab.getByTestId('justification').fill('INC-42: investigate the failed deploy');
  await tab.getByTestId('open-console').click();
  await tab.waitForURL(`${env.demo.emulatorUrl}/console/actiontrail/cn-hangzhou`);
  await expect(service(tab)).resolves.toBe('actiontrail');
  await expect(text(tab, 'console-role-arn')).resolves.toBe('acs:ram::5555666677778888:role/rambridge-prod-admin');
  await picker.context().close();
});
