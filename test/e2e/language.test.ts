import { artifactPath } from '../helpers/browser.js';
import { completeSignIn, demoInBrowser } from '../helpers/demo.js';

/**
 * A browser set to Simplified Chinese gets the pages in Chinese from sign-in on, and the switcher
 * in the header changes the language, remembered for the next page, and back.
 */
const env = demoInBrowser();

test('a zh-CN browser signs in and picks a role in Chinese; the switcher goes to English and back', async () => {
  const context = await env.browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${env.demo.bridgeUrl}/roles`);

  // The sign-in chooser (the demo has two IdPs) already speaks Chinese.
  expect(new URL(page.url()).pathname).toBe('/login');
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
  await expect(page.locator('h1').textContent()).resolves.toBe('登录');
  await completeSignIn(page, env.demo, 'alice');

  expect(new URL(page.url()).pathname).toBe('/roles');
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('zh-CN');
  await expect(page.locator('h1').textContent()).resolves.toBe('你的阿里云角色');
  const devAdmin = page.locator('[data-role-id="dev-admin"]');
  await expect(devAdmin.getByTestId('open-console').textContent()).resolves.toBe('打开控制台');
  await expect(devAdmin.getByTestId('get-credentials').textContent()).resolves.toBe('获取 CLI 凭证');
  await expect(devAdmin.locator('.reasons').textContent()).resolves.toMatch(/^授权来源：/);
  // The hour by default, or the length alice last asked for (other files of the shared demo use dev-admin): in Chinese either way.
  await expect(devAdmin.getByTestId('duration').locator('option:checked').textContent()).resolves.toMatch(/^\d+ (小时|分钟)( \d+ 分钟)?$/);
  await expect(page.getByTestId('role-filter').getAttribute('placeholder')).resolves.toBe('筛选角色和账号…');
  await page.screenshot({ path: artifactPath('picker-zh-CN.png'), fullPage: true });

  // To English: the same page comes back, in English, and stays so on the next page.
  await Promise.all([page.waitForURL(`${env.demo.bridgeUrl}/roles`), page.getByTestId('lang-en').click()]);
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
  await expect(page.locator('h1').textContent()).resolves.toBe('Your Alibaba Cloud roles');
  await expect(devAdmin.getByTestId('open-console').textContent()).resolves.toBe('Open console');
  const next = await context.newPage();
  await next.goto(`${env.demo.bridgeUrl}/device`);
  await expect(next.locator('html').getAttribute('lang')).resolves.toBe('en');
  await next.close();

  // And back to Chinese.
  await Promise.all([page.waitForURL(`${env.demo.bridgeUrl}/roles`), page.getByTestId('lang-zh-CN').click()]);
  await expect(page.locator('h1').textContent()).resolves.toBe('你的阿里云角色');
  await expect(page.getByTestId('lang-zh-CN').isDisabled()).resolves.toBe(true);
  await context.close();
});
