import type { Page } from 'playwright-core';
import { AXE_CONTEXT, axeProblems, describeAxeProblems } from '../helpers/axe.js';
import { artifactPath, chromiumForFile } from '../helpers/browser.js';
import { ALICE_DEV_OPS } from '../helpers/fake-op.js';
import { listeningBridgeOnFakeOp } from '../helpers/fake-op-bridge.js';

/**
 * The picker and the console launch page with under 16 min left of the browser session (nothing
 * can be offered, STS's minimum being 15 min), in real Chromium: the alert that says so is what a
 * keyboard or screen-reader user meets (focused on the launch page, named by every action it
 * disables), the actions are still found and never submit, and axe finds nothing blocking, in
 * English and Chinese.
 */
const env = chromiumForFile();
let bridge: Awaited<ReturnType<typeof listeningBridgeOnFakeOp>>;

beforeAll(async () => {
  bridge = await listeningBridgeOnFakeOp((c) => {
    c.server.sessionMaxAgeSeconds = 7200;
    c.server.sessionIdleSeconds = 7200;
  });
  bridge.op.user = ALICE_DEV_OPS;
  // The IdP's tokens follow the bridge's clock, moved on below.
  bridge.op.now = () => bridge.clock.now();
});
afterAll(async () => {
  await bridge?.close();
});

/** The few browser globals the checks read (the project compiles without the DOM library). */
interface InBrowser {
  document: {
    activeElement: { getAttribute(name: string): string | null } | null;
    getElementById(id: string): { getAttribute(name: string): string | null } | null;
  };
}

type Lang = 'en' | 'zh-CN';

/** Signed in (a fresh session: two hours), 14 min left of it, at `path` in `lang`. */
async function endingPage(lang: Lang, path: string): Promise<Page> {
  const context = await env.browser.newContext({ ...AXE_CONTEXT, locale: lang });
  const page = await context.newPage();
  await page.goto(`${bridge.bridgeUrl}/login?return_to=${encodeURIComponent('/roles')}`);
  await page.waitForURL(`${bridge.bridgeUrl}/roles`);
  bridge.clock.advance((7200 - 840) * 1000);
  await page.goto(`${bridge.bridgeUrl}${path}`);
  await page.getByTestId('session-ending').waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe(lang);
  return page;
}

/** Each action button's state, and the text of whatever describes it (empty when nothing does). */
function actionsOf(page: Page) {
  return page.locator('[data-testid="open-console"], [data-testid="get-credentials"]').evaluateAll((buttons) =>
    buttons.map((b) => {
      const doc = (globalThis as unknown as InBrowser).document;
      const describedBy: string[] = (b.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean);
      return {
        testid: b.getAttribute('data-testid'),
        ariaDisabled: b.getAttribute('aria-disabled'),
        describedBy: describedBy.map((id) => doc.getElementById(id)?.getAttribute('data-testid') ?? `(missing #${id})`),
      };
    }),
  );
}

const focusedTestid = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as InBrowser).document.activeElement?.getAttribute('data-testid') ?? null);

/** Posts to the role actions the page sends (none may leave it). */
function postsOf(page: Page): string[] {
  const posts: string[] = [];
  page.context().on('request', (request) => {
    if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
  });
  return posts;
}

describe.each<Lang>(['en', 'zh-CN'])('%s', (lang) => {
  test('the picker: every disabled action is described by the alert, reached by Tab, and sends nothing', async () => {
    const page = await endingPage(lang, '/roles');
    try {
      const actions = await actionsOf(page);
      expect(actions.length).toBeGreaterThanOrEqual(8);
      expect(actions).toEqual(actions.map((a) => ({ testid: a.testid, ariaDisabled: 'true', describedBy: ['session-ending'] })));

      // From the filter, Tab reaches the first role's actions (not skipped as `disabled` buttons are).
      await page.getByTestId('role-filter').focus();
      const reached: Array<string | null> = [];
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Tab');
        reached.push(await focusedTestid(page));
      }
      expect(reached).toEqual(expect.arrayContaining(['open-console', 'get-credentials']));

      // Pressed (a click, Enter on the button, Enter in the filter): nothing is sent, no tab opens.
      const posts = postsOf(page);
      const opened: unknown[] = [];
      page.context().on('page', (p) => opened.push(p));
      const first = page.locator('[data-role-id="dev-readonly"]');
      // force: Playwright waits for an aria-disabled button to be enabled, as for a disabled one.
      await first.getByTestId('open-console').click({ force: true });
      await first.getByTestId('get-credentials').focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('role-filter').fill('dev-readonly');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      expect(posts).toEqual([]);
      expect(opened).toEqual([]);
      expect(new URL(page.url()).pathname).toBe('/roles');

      await page.screenshot({ path: artifactPath(`roles-session-ending-${lang}.png`), fullPage: true });
      expect(describeAxeProblems(await axeProblems(page))).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  test('the console launch page: the alert takes the focus, describes the disabled button, and nothing is sent', async () => {
    const page = await endingPage(lang, '/roles/dev-readonly/console?service=ecs');
    try {
      // Opened to act at once (by the CLI, a link): what the user meets first is why it cannot.
      await page.waitForFunction(
        () => (globalThis as unknown as InBrowser).document.activeElement?.getAttribute('data-testid') === 'session-ending',
        undefined,
        { timeout: 2000 },
      );
      expect(await actionsOf(page)).toEqual([{ testid: 'open-console', ariaDisabled: 'true', describedBy: ['session-ending'] }]);

      const posts = postsOf(page);
      await page.getByTestId('open-console').click({ force: true });
      await page.getByTestId('open-console').focus();
      await page.keyboard.press('Enter');
      await page.waitForTimeout(300);
      expect(posts).toEqual([]);
      expect(new URL(page.url()).pathname).toBe('/roles/dev-readonly/console');

      await page.screenshot({ path: artifactPath(`launch-session-ending-${lang}.png`), fullPage: true });
      expect(describeAxeProblems(await axeProblems(page))).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});

test('an elevated role’s disabled actions do nothing either: no validation of its empty justification, the focus stays', async () => {
  bridge.op.user = { ...ALICE_DEV_OPS, amr: ['pwd', 'mfa'] }; // a second factor: prod-admin (elevated) is granted
  const invalidsOf = (page: Page) => page.evaluate(() => (globalThis as unknown as { invalids: number }).invalids);
  const countInvalids = (page: Page) =>
    page.evaluate(() => {
      const g = globalThis as unknown as {
        invalids: number;
        document: { addEventListener(type: string, f: () => void, capture: boolean): void };
      };
      g.invalids = 0;
      g.document.addEventListener('invalid', () => g.invalids++, true);
    });
  try {
    const picker = await endingPage('en', '/roles');
    try {
      await countInvalids(picker);
      const admin = picker.locator('[data-role-id="prod-admin"]');
      await admin.getByTestId('open-console').focus();
      await picker.keyboard.press('Enter');
      await admin.getByTestId('get-credentials').click({ force: true });
      await picker.waitForTimeout(300);
      expect(await invalidsOf(picker)).toBe(0);
      expect(await focusedTestid(picker)).toBe('get-credentials');
      // Nor does the picker’s Enter-to-open take the user to the justification of what cannot be done.
      await picker.getByTestId('role-filter').fill('prod-admin');
      await picker.keyboard.press('Enter');
      await picker.waitForTimeout(300);
      expect(await focusedTestid(picker)).toBe('role-filter');
    } finally {
      await picker.context().close();
    }

    const launch = await endingPage('en', '/roles/prod-admin/console');
    try {
      await countInvalids(launch);
      await launch.getByTestId('open-console').click({ force: true });
      await launch.waitForTimeout(300);
      expect(await invalidsOf(launch)).toBe(0);
      expect(await focusedTestid(launch)).not.toBe('justification');
    } finally {
      await launch.context().close();
    }
  } finally {
    bridge.op.user = ALICE_DEV_OPS;
  }
});
