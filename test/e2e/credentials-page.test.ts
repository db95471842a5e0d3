import type { BrowserContextOptions, Page } from 'playwright-core';
import { artifactPath } from '../helpers/browser.js';
import { completeSignIn, demoInBrowser } from '../helpers/demo.js';

/**
 * Issue 12 items 5 and 6 in real Chromium: "Get CLI credentials" lands on a GET page (reload shows
 * the same keys), the shells are tabs worked by the keyboard (sections without JavaScript), the
 * countdown goes down, copy buttons copy, and nothing scrolls sideways at phone width.
 */
const env = demoInBrowser();
const PHONE = {
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
} satisfies BrowserContextOptions;

/** The few browser globals read here (the project compiles without the DOM library). */
interface InBrowser {
  document: { documentElement: { scrollWidth: number; clientWidth: number }; activeElement: { id: string; tagName: string } | null };
  navigator: { clipboard: { readText(): Promise<string> } };
}

/** Bob signed in, on the credentials page of dev-readonly; `before` runs first (a fake clock). */
async function credentialsPage(options: BrowserContextOptions = {}, before?: (page: Page) => Promise<void>): Promise<Page> {
  const context = await env.browser.newContext(options);
  const page = await context.newPage();
  await before?.(page);
  await page.goto(`${env.demo.bridgeUrl}/roles`);
  await completeSignIn(page, env.demo, 'bob');
  await page.locator('[data-role-id="dev-readonly"] [data-testid="get-credentials"]').click();
  await page.getByTestId('credentials').waitFor();
  return page;
}

const selected = (page: Page) => page.locator('[role="tab"][aria-selected="true"]').getAttribute('id');
const visiblePanels = (page: Page) =>
  page
    .locator('[data-tabpanel]')
    .evaluateAll((panels) => panels.filter((p) => !(p as unknown as { hidden: boolean }).hidden).map((p) => p.id));

test('the page is a GET of its own: a reload shows the same keys', async () => {
  const page = await credentialsPage();
  expect(new URL(page.url()).pathname).toMatch(/^\/roles\/credentials\/[A-Za-z0-9_-]{43}$/);
  const keys = await page.getByTestId('credentials-env').textContent();
  await page.reload();
  await page.getByTestId('credentials').waitFor();
  expect(await page.getByTestId('credentials-env').textContent()).toBe(keys);
  await page.screenshot({ path: artifactPath('credentials.png'), fullPage: true });
  await page.context().close();
});

test('the shells are tabs: arrows, Home and End move and show, Tab goes into the shown panel', async () => {
  const page = await credentialsPage();
  await expect(page.getByRole('tablist').isVisible()).resolves.toBe(true);
  expect(await page.getByRole('tab').allTextContents()).toEqual(['bash / zsh', 'fish', 'PowerShell', 'cmd']);
  expect(await selected(page)).toBe('tab-bash');
  expect(await visiblePanels(page)).toEqual(['shell-bash']);

  await page.getByRole('tab', { name: 'bash / zsh' }).focus();
  await page.keyboard.press('ArrowRight');
  expect([await selected(page), await visiblePanels(page)]).toEqual(['tab-fish', ['shell-fish']]);
  expect(await page.evaluate(() => (globalThis as unknown as InBrowser).document.activeElement?.id)).toBe('tab-fish');
  await page.keyboard.press('End');
  expect([await selected(page), await visiblePanels(page)]).toEqual(['tab-cmd', ['shell-cmd']]);
  await page.keyboard.press('ArrowRight'); // wraps round
  expect(await selected(page)).toBe('tab-bash');
  await page.keyboard.press('ArrowLeft');
  expect(await selected(page)).toBe('tab-cmd');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  expect([await selected(page), await visiblePanels(page)]).toEqual(['tab-powershell', ['shell-powershell']]);
  await expect(page.getByTestId('credentials-env-powershell').textContent()).resolves.toMatch(/^\$Env:ALIBABA_CLOUD_ACCESS_KEY_ID = '/);
  // Only the selected tab is in the Tab order; the next stop is the panel's first code block.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => (globalThis as unknown as InBrowser).document.activeElement?.id)).toBe('creds-env-powershell');
  await page.context().close();
});

test('without JavaScript, the shells are sections one below the other', async () => {
  const page = await credentialsPage({ javaScriptEnabled: false });
  expect(await page.locator('[data-tablist]').isVisible()).toBe(false);
  for (const shell of ['bash', 'fish', 'powershell', 'cmd']) {
    expect(await page.getByTestId(`shell-${shell}`).isVisible()).toBe(true);
    expect(await page.locator(`#shell-${shell}-heading`).isVisible()).toBe(true);
  }
  await page.context().close();
});

test('the countdown goes down as time passes, in the page language', async () => {
  const page = await credentialsPage({}, (p) => p.clock.install());
  const countdown = page.getByTestId('credentials-countdown');
  const minutesLeft = async () => Number(/Expires in (\d+) min\./.exec((await countdown.textContent()) ?? '')?.[1]);
  // Bob's dev-readonly default is 1 h: "1 h" or "59 min" at first, depending on the second STS rounded to.
  await page.clock.runFor(60_000);
  const before = await minutesLeft();
  expect(before).toBeGreaterThanOrEqual(57);
  await page.clock.runFor(5 * 60_000);
  expect(await minutesLeft()).toBe(before - 5);
  await page.clock.runFor(60 * 60_000);
  expect(await countdown.textContent()).toBe('These credentials have expired: get new ones.');
  await page.context().close();
});

test('at phone width nothing scrolls sideways: long keys wrap inside their blocks, which the keyboard reaches', async () => {
  const page = await credentialsPage(PHONE);
  const { scrollWidth, clientWidth } = await page.evaluate(() => {
    const root = (globalThis as unknown as InBrowser).document.documentElement;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
  expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  const blocks = await page.locator('pre').evaluateAll((els) =>
    els.map((e) => ({
      tabindex: e.getAttribute('tabindex'),
      named: (e.getAttribute('aria-label') ?? '') !== '',
      fits: e.scrollWidth <= e.clientWidth,
    })),
  );
  expect(blocks).toHaveLength(9);
  expect(blocks.filter((b) => !(b.tabindex === '0' && b.named && b.fits))).toEqual([]);
  await page.screenshot({ path: artifactPath('credentials-phone.png'), fullPage: true });
  await page.context().close();
});

test('a copy button puts its block on the clipboard and says so', async () => {
  const page = await credentialsPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  await page.getByRole('tab', { name: 'fish' }).click();
  const button = page.locator('#shell-fish button[data-copy="creds-env-fish"]');
  await button.click();
  // The clipboard answers asynchronously; the button says so once it has.
  await page.waitForFunction("document.querySelector('#shell-fish button[data-copy]').textContent === 'Copied'", undefined, {
    timeout: 5000,
  });
  const copied = await page.evaluate(() => (globalThis as unknown as InBrowser).navigator.clipboard.readText());
  expect(copied).toBe(await page.getByTestId('credentials-env-fish').textContent());
  expect(copied).toMatch(/^set -gx ALIBABA_CLOUD_ACCESS_KEY_ID '/);
  await page.context().close();
});

test('in Chinese: the countdown and the aliyun language follow the page; the shells keep their names', async () => {
  const page = await credentialsPage({ locale: 'zh-CN' }, (p) => p.clock.install());
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  const countdown = page.getByTestId('credentials-countdown');
  await page.clock.runFor(2 * 60_000);
  expect(await countdown.textContent()).toMatch(/^\d+ 分钟后过期。$/);
  expect(await page.getByRole('tab').allTextContents()).toEqual(['bash / zsh', 'fish', 'PowerShell', 'cmd']);
  expect(await page.getByTestId('credentials-configure-bash').textContent()).toMatch(/ --language zh$/);
  await page.screenshot({ path: artifactPath('credentials-zh-CN.png'), fullPage: true });
  await page.context().close();
});
