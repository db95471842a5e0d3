import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { createApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { listenStartingUp, serveWith } from '../../src/http-server.js';
import { silentLogger } from '../../src/log.js';
import { MemoryStore } from '../../src/store/index.js';
import { AXE_CONTEXT, axeProblems, describeAxeProblems } from '../helpers/axe.js';
import { artifactPath } from '../helpers/browser.js';
import { demoConfig } from '../helpers/config.js';
import { completeSignIn, demoInBrowser } from '../helpers/demo.js';
import { FakeOp } from '../helpers/fake-op.js';
import { listeningBridgeOnFakeOp } from '../helpers/fake-op-bridge.js';

/**
 * Issue 12 item 7: every page the bridge renders, in real Chromium, has no serious or critical
 * axe-core violation in the light and the dark colour scheme and at phone width (390×844), where
 * nothing overflows sideways and the picker shows more than two roles. Each page leaves a
 * screenshot per variant (`<page>-<variant>.png`).
 */
const env = demoInBrowser();

const PHONE = { width: 390, height: 844 };
const VARIANTS = {
  light: { colorScheme: 'light' },
  dark: { colorScheme: 'dark' },
  phone: { colorScheme: 'light', viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} satisfies Record<string, BrowserContextOptions>;
type Variant = keyof typeof VARIANTS;
/** The few browser globals the checks read (the project compiles without the DOM library). */
interface InBrowser {
  document: { documentElement: { scrollWidth: number; clientWidth: number }; body: unknown; activeElement: { tagName: string } };
  scrollY: number;
  getComputedStyle(e: unknown): { overflowX: string; backgroundColor: string; outlineStyle: string; outlineWidth: string };
}
const ALL_VARIANTS = Object.keys(VARIANTS) as Variant[];

/** A fresh context of the variant that lets axe in (the CSP would refuse its script). */
async function openPage(variant: Variant): Promise<Page> {
  const context = await env.browser.newContext({ ...AXE_CONTEXT, ...VARIANTS[variant] });
  return context.newPage();
}

/** Signed in as `user` through the demo IdP, on the bridge at `path`. */
async function signedIn(variant: Variant, user: string, path = '/roles'): Promise<Page> {
  const page = await openPage(variant);
  await page.goto(`${env.demo.bridgeUrl}${path}`);
  await completeSignIn(page, env.demo, user);
  return page;
}

/**
 * What is wrong with the page as shown: axe's serious/critical violations, and at phone width any
 * sideways scrolling of the page. Leaves the screenshot either way.
 */
async function problemsOf(page: Page, name: string, variant: Variant): Promise<string[]> {
  await page.screenshot({ path: artifactPath(`${name}-${variant}.png`), fullPage: true });
  const problems = describeAxeProblems(await axeProblems(page)).map((line) => `[${variant}] ${line}`);
  if (variant === 'phone') {
    const { scrollWidth, clientWidth } = await page.evaluate(() => {
      const root = (globalThis as unknown as InBrowser).document.documentElement;
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
    });
    if (scrollWidth > clientWidth) problems.push(`[phone] the page scrolls sideways: ${scrollWidth}px wide in a ${clientWidth}px viewport`);
  }
  if (variant === 'dark') {
    // axe passes a page that ignores the scheme: the page must actually be dark when asked.
    const background = await page.evaluate(() => {
      const g = globalThis as unknown as InBrowser;
      return g.getComputedStyle(g.document.body).backgroundColor;
    });
    const [r = 255, gr = 255, b = 255] = (background.match(/\d+/g) ?? []).map(Number);
    if (r + gr + b > 3 * 64) problems.push(`[dark] the page ignores prefers-color-scheme: dark (body background ${background})`);
  }
  return problems;
}

/** Opens the page in each variant with `reach`, checks it, closes it; all variants' problems together. */
async function checkPage(name: string, reach: (variant: Variant) => Promise<Page>, variants = ALL_VARIANTS): Promise<string[]> {
  const problems: string[] = [];
  for (const variant of variants) {
    const page = await reach(variant);
    try {
      problems.push(...(await problemsOf(page, name, variant)));
    } finally {
      await page.context().close();
    }
  }
  return problems;
}

/** A device flow started as the CLI does, for the code, confirmation and done pages. */
async function startDeviceFlow(): Promise<{ userCode: string; path: string }> {
  const res = await fetch(`${env.demo.bridgeUrl}/oauth/device_authorization`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: 'rambridge-cli',
      client_host: 'a11y-workstation',
      code_challenge: createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url'),
      code_challenge_method: 'S256',
    }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { user_code: string; verification_uri_complete: string };
  const url = new URL(body.verification_uri_complete);
  return { userCode: body.user_code, path: url.pathname + url.search };
}

/** On the confirmation page of a fresh device flow, signed in as alice. */
async function deviceConfirmation(variant: Variant): Promise<Page> {
  const { path } = await startDeviceFlow();
  const page = await signedIn(variant, 'alice', path);
  await page.getByTestId('device-code-submit').click();
  await page.getByTestId('device-confirm').waitFor();
  return page;
}

test('the IdP chooser', async () => {
  const problems = await checkPage('chooser', async (variant) => {
    const page = await openPage(variant);
    await page.goto(`${env.demo.bridgeUrl}/login`);
    // With one IdP the bridge goes straight to it: then there is no chooser to check.
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByTestId('idp-demo').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('the role picker', async () => {
  const problems = await checkPage('roles', (variant) => signedIn(variant, 'alice'));
  expect(problems).toEqual([]);
});

test('the role picker with the filter in use and nothing matching', async () => {
  const problems = await checkPage('roles-no-match', async (variant) => {
    const page = await signedIn(variant, 'alice');
    await page.getByTestId('role-filter').fill('no role is called this');
    await page.locator('#no-match').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('the role picker filtered on the server (?q=)', async () => {
  const problems = await checkPage('roles-filtered', async (variant) => {
    const page = await signedIn(variant, 'alice', '/roles?q=prod');
    await page.getByTestId('role-count').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('a deep link naming none of the roles', async () => {
  const problems = await checkPage('roles-link-none', async (variant) => {
    const page = await signedIn(variant, 'alice', '/roles/nothing-like-this');
    await page.getByTestId('show-all-roles').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('at phone width, more than two roles fit a screen (before the condensed layout, two did)', async () => {
  const page = await signedIn('phone', 'alice');
  const bottomOf = (selector: string) =>
    page
      .locator(selector)
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().bottom + (globalThis as unknown as InBrowser).scrollY));
  const headings = await bottomOf('[data-testid="role"] h3');
  const cards = await bottomOf('[data-testid="role"]');
  expect(headings).toHaveLength(6);
  // All six of alice's roles are named within two screen heights, and all but the elevated one
  // (last, with its box for a reason) whole within them.
  expect(headings.filter((b) => b <= 2 * PHONE.height)).toHaveLength(6);
  expect(cards.filter((b) => b <= 2 * PHONE.height).length).toBeGreaterThanOrEqual(5);
  // The first screen, as a phone user first sees it, names more than two roles.
  expect(headings.filter((b) => b <= PHONE.height).length).toBeGreaterThan(2);
  await page.context().close();
});

test('whatever the keyboard reaches shows a focus ring, in both schemes', async () => {
  for (const variant of ['light', 'dark'] as const) {
    const page = await signedIn(variant, 'alice');
    const seen: Array<{ tag: string; outline: string }> = [];
    const focused = () =>
      page.evaluate(() => {
        const g = globalThis as unknown as InBrowser;
        const el = g.document.activeElement;
        const style = g.getComputedStyle(el);
        return { tag: el.tagName, outline: `${style.outlineStyle} ${style.outlineWidth}` };
      });
    // From the filter back past Sign out and the language switcher to the brand link, then forward
    // to the first role's star, selects and buttons.
    await page.getByTestId('role-filter').focus();
    seen.push(await focused());
    for (const key of ['Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab']) {
      await page.keyboard.press(key);
      seen.push(await focused());
    }
    expect(seen.map((s) => s.tag)).toEqual(expect.arrayContaining(['A', 'BUTTON', 'INPUT', 'SELECT']));
    expect(seen.filter((s) => s.outline !== 'solid 3px')).toEqual([]);
    await page.context().close();
  }
});

test('the credentials page; its code blocks can be scrolled from the keyboard', async () => {
  const reach = async (variant: Variant) => {
    const page = await signedIn(variant, 'bob');
    await page.locator('[data-role-id="dev-readonly"] [data-testid="get-credentials"]').click();
    await page.getByTestId('credentials').waitFor();
    return page;
  };
  const problems = await checkPage('credentials', reach);
  expect(problems).toEqual([]);

  // A block wider than its box scrolls inside it (the page does not), and the keyboard reaches it.
  const page = await reach('phone');
  const blocks = await page.locator('pre').evaluateAll((els) =>
    els.map((e) => ({
      id: e.id,
      scrolls: ['auto', 'scroll'].includes((globalThis as unknown as InBrowser).getComputedStyle(e).overflowX),
      tabindex: e.getAttribute('tabindex'),
      named: (e.getAttribute('aria-label') ?? '') !== '',
    })),
  );
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks).toEqual(blocks.map((b) => ({ id: b.id, scrolls: true, tabindex: '0', named: true })));
  await page.context().close();
});

test('the credentials page with another shell chosen by keyboard, its tabs and panel', async () => {
  const problems = await checkPage('credentials-powershell', async (variant) => {
    const page = await signedIn(variant, 'bob');
    await page.locator('[data-role-id="dev-readonly"] [data-testid="get-credentials"]').click();
    await page.getByTestId('credentials').waitFor();
    await page.getByRole('tab', { name: 'bash / zsh' }).focus();
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.getByTestId('credentials-env-powershell').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('the credentials page once the credentials are no longer shown', async () => {
  const problems = await checkPage('credentials-gone', async (variant) => {
    // An id never issued answers as one whose credentials are gone: the friendly page, no error.
    const page = await signedIn(variant, 'bob', `/roles/credentials/${'A'.repeat(43)}`);
    await page.getByTestId('credentials-gone').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('the device code entry page', async () => {
  const problems = await checkPage('device-code', (variant) => signedIn(variant, 'alice', '/device'));
  expect(problems).toEqual([]);
});

test('the device code entry page with a wrong code', async () => {
  const problems = await checkPage('device-code-error', async (variant) => {
    const page = await signedIn(variant, 'alice', '/device');
    await page.getByTestId('device-code-input').fill('ZZZZ-ZZZZ');
    await page.getByTestId('device-code-submit').click();
    await page.getByTestId('device-code-error').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('the device confirmation page', async () => {
  const problems = await checkPage('device-confirm', deviceConfirmation);
  expect(problems).toEqual([]);
});

/** On the done page after approving or denying a fresh device flow. */
const decided = (decision: 'approve' | 'deny', done: string) => async (variant: Variant) => {
  const page = await deviceConfirmation(variant);
  await page.getByTestId(`device-${decision}`).click();
  await page.getByTestId(done).waitFor();
  return page;
};

test('the device done page, approved', async () => {
  const problems = await checkPage('device-approved', decided('approve', 'device-approved'));
  expect(problems).toEqual([]);
});

test('the device done page, denied', async () => {
  const problems = await checkPage('device-denied', decided('deny', 'device-denied'));
  expect(problems).toEqual([]);
});

test('the error page, signed in', async () => {
  const problems = await checkPage('error', async (variant) => {
    const page = await signedIn(variant, 'bob', '/roles');
    await page.goto(`${env.demo.bridgeUrl}/no-such-page`);
    await page.getByTestId('error').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('the error page, signed out', async () => {
  const problems = await checkPage('error-anonymous', async (variant) => {
    const page = await openPage(variant);
    await page.goto(`${env.demo.bridgeUrl}/no-such-page`);
    await page.getByTestId('error').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('the no-roles page (mallory has no groups)', async () => {
  const problems = await checkPage('no-roles', async (variant) => {
    const page = await signedIn(variant, 'mallory');
    await page.getByTestId('no-roles').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('the no-roles page of an administrator (the explain command; a bridge with support configured)', async () => {
  const bridge = await listeningBridgeOnFakeOp((c) => {
    c.support = { contact: 'the cloud platform team', url: 'https://desk.example.com/cloud', adminGroups: ['cloud-admins'] };
  });
  try {
    bridge.op.user = { sub: 'admin-1', email: 'admin@example.com', groups: ['cloud-admins'], amr: ['pwd'] };
    const problems = await checkPage('no-roles-admin', async (variant) => {
      const page = await openPage(variant);
      await page.goto(`${bridge.bridgeUrl}/login?return_to=%2Froles`);
      await page.getByTestId('admin-command').waitFor();
      return page;
    });
    expect(problems).toEqual([]);
  } finally {
    await bridge.close();
  }
});

test('My CLI sessions, with a session to revoke', async () => {
  const problems = await checkPage('cli-sessions', async (variant) => {
    // A CLI session of alice's, started, approved and redeemed as the CLI does, so the page has a row.
    const verifier = randomBytes(32).toString('base64url');
    const started = await fetch(`${env.demo.bridgeUrl}/oauth/device_authorization`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: 'rambridge-cli',
        client_host: 'a11y-workstation',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }),
    });
    const { device_code, verification_uri_complete } = (await started.json()) as { device_code: string; verification_uri_complete: string };
    const link = new URL(verification_uri_complete);
    const page = await signedIn(variant, 'alice', link.pathname + link.search);
    await page.getByTestId('device-code-submit').click();
    await page.getByTestId('device-approve').click();
    await page.getByTestId('device-approved').waitFor();
    const redeemed = await fetch(`${env.demo.bridgeUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code,
        client_id: 'rambridge-cli',
        code_verifier: verifier,
      }),
    });
    expect(redeemed.status).toBe(200);
    await page.getByTestId('my-cli-sessions').click();
    await page.getByTestId('cli-session').first().waitFor();
    return page;
  });
  expect(problems).toEqual([]);
  // Three device logins and sign-ins: longer than one page's checks.
}, 90_000);

test('the chooser after the session ended', async () => {
  const problems = await checkPage('chooser-session-ended', async (variant) => {
    const page = await openPage(variant);
    await page.goto(`${env.demo.bridgeUrl}/login?return_to=%2Froles%2Fdev-readonly%3Faction%3Dconsole&expired=1`);
    await page.getByTestId('session-ended').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('a role page after signing in again, with the notice and the focused button', async () => {
  const problems = await checkPage('roles-resumed', async (variant) => {
    const page = await signedIn(variant, 'bob', '/roles/dev-readonly?action=console');
    await page.getByTestId('resume-notice').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('the signed-out page', async () => {
  const problems = await checkPage('signed-out', async (variant) => {
    const page = await signedIn(variant, 'bob');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('signed-out').waitFor();
    return page;
  });
  expect(problems).toEqual([]);
});

test('the console hand-off page (saml-post), held so it can be checked', async () => {
  const problems = await checkPage('console-post', async (variant) => {
    const page = await signedIn(variant, 'alice');
    // page.js submits the form at once; without it the page stays, as it does without JavaScript.
    // The console opens in a new tab (the picker stays): that tab is the one checked.
    await page.context().route('**/assets/page.js', (route) => route.abort());
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      page.locator('[data-role-id="prod-ops"] [data-testid="open-console"]').click(),
    ]);
    await tab.getByTestId('console-post').waitFor();
    return tab;
  });
  expect(problems).toEqual([]);
});

describe('the not-configured page (a bridge without an STS issuer)', () => {
  let op: FakeOp;
  let server: Server;
  let bridgeUrl: string;
  beforeAll(async () => {
    op = await FakeOp.start();
    server = await listenStartingUp('127.0.0.1', 0);
    bridgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = await demoConfig({ publicUrl: bridgeUrl, idpUrl: op.issuer, clientSecret: 'fake-op-secret' });
    delete config.issuer;
    const clock = new ManualClock(Date.now());
    const app = createApp({ config, store: new MemoryStore(clock), logger: silentLogger(), clock });
    const handle = app.callback();
    serveWith(server, (req, res) => void handle(req, res));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await op.close();
  });

  test('has no blocking violations', async () => {
    const problems = await checkPage('not-configured', async (variant) => {
      const page = await openPage(variant);
      // The fake OP answers the authorization request at once, as a signed-in IdP session would.
      await page.goto(`${bridgeUrl}/login?return_to=%2Froles`);
      await page.waitForURL(`${bridgeUrl}/roles`);
      await page.locator('[data-role-id="dev-admin"] [data-testid="get-credentials"]').click();
      await page.getByTestId('not-configured').waitFor();
      return page;
    });
    expect(problems).toEqual([]);
  });
});
