import type { Page } from 'playwright-core';
import type { BridgeConfig } from '../../src/config/index.js';
import type { RunningDemo } from '../../src/demo/index.js';
import { artifactPath, chromiumForFile } from '../helpers/browser.js';
import { completeSignIn, signInAs, startTestDemo } from '../helpers/demo.js';

/**
 * Issue 12 item 2, "smooth with 500 roles across 100 accounts": a demo of this file's own whose
 * config gains 100 generated accounts of 5 roles each, all granted to alice's group. The picker
 * renders every one, the filter finds one of them, and the keyboard walks the visible ones.
 */
const ACCOUNTS = 100;
const KINDS = ['admin', 'readonly', 'ops', 'billing', 'audit'] as const;
const accountId = (n: number) => String(1_000_000_000_000_000 + n);
const alias = (n: number) => `acct-${String(n).padStart(3, '0')}`;

/** 500 roles (copies of dev-readonly in other accounts) and a grant of them all to `rambridge-dev`. */
function fiveHundredRoles(config: BridgeConfig): void {
  const template = config.roles.find((r) => r.id === 'dev-readonly')!;
  const ids: string[] = [];
  for (let n = 1; n <= ACCOUNTS; n++) {
    for (const kind of KINDS) {
      const id = `${alias(n)}-${kind}`;
      ids.push(id);
      config.roles.push({
        ...template,
        id,
        roleName: `rambridge-${kind}`,
        arn: `acs:ram::${accountId(n)}:role/rambridge-${kind}`,
        accountId: accountId(n),
        accountAlias: alias(n),
        accountName: `Team ${n} account`,
        description: `Generated ${kind} role of team ${n}.`,
      });
    }
  }
  config.grants.push({ id: 'generated', groups: ['rambridge-dev'], roles: ids });
}

let demo: RunningDemo;
const chromium = chromiumForFile();
beforeAll(async () => {
  demo = await startTestDemo({ configure: fiveHundredRoles });
});
afterAll(async () => {
  await demo?.close();
});

const shownRoles = (page: Page) =>
  page.locator('[data-testid="role"]:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-role-id')));

test('alice sees all 506 roles in 102 accounts; `acct 042 billing` finds one; the keyboard walks the matches', async () => {
  const page = await signInAs(chromium.browser, demo, 'alice');
  await expect(page.getByTestId('role').count()).resolves.toBe(506);
  await expect(page.getByTestId('account').count()).resolves.toBe(ACCOUNTS + 2);
  await expect(page.getByTestId('role-count').textContent()).resolves.toBe('506 roles');
  await page.screenshot({ path: artifactPath('picker-500-roles.png') });

  await page.keyboard.press('/');
  await page.keyboard.type('acct 042 billing');
  await expect(shownRoles(page)).resolves.toEqual(['acct-042-billing']);
  await expect(page.getByTestId('role-count').textContent()).resolves.toBe('1 role');
  await expect(page.locator('[data-testid="account"]:visible').count()).resolves.toBe(1);

  // All the billing roles, walked with the arrows; Enter opens the highlighted one in a new tab.
  await page.getByTestId('role-filter').fill('billing');
  await expect(shownRoles(page).then((ids) => ids.length)).resolves.toBe(ACCOUNTS);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
  const active = page.locator('[data-testid="role"].active');
  await expect(active.getAttribute('data-role-id')).resolves.toBe('acct-004-billing');
  await expect(active.isVisible()).resolves.toBe(true);
  const [request] = await Promise.all([
    page.context().waitForEvent('request', (r) => r.url().endsWith('/roles/console') && r.method() === 'POST'),
    page.keyboard.press('Enter'),
  ]);
  expect(new URLSearchParams(request.postData() ?? '').get('role')).toBe('acct-004-billing');
  expect(new URL(page.url()).pathname).toBe('/roles');
  await page.context().close();
});

test('?q= on the server narrows 506 roles to one without JavaScript', async () => {
  const context = await chromium.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${demo.bridgeUrl}/roles?q=acct+077+audit`);
  await completeSignIn(page, demo, 'alice');
  await expect(shownRoles(page)).resolves.toEqual(['acct-077-audit']);
  await context.close();
});
