import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../src/demo/index.js';
import { silentLogger } from '../../src/log.js';
import { launchChromium } from './browser.js';

/** Starts the demo and Chromium once for a test file, and stops both after it. */
export function demoInBrowser(): { readonly demo: RunningDemo; readonly browser: Browser } {
  const env = {} as { demo: RunningDemo; browser: Browser };
  beforeAll(async () => {
    env.demo = await startTestDemo();
    env.browser = await launchChromium();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.demo?.close();
  });
  return env;
}

/** The whole demo on free ports, with keys in a temp dir. */
export function startTestDemo(): Promise<RunningDemo> {
  return startDemo({
    port: 0,
    idpPort: 0,
    emulatorPort: 0,
    samlIdpPort: 0,
    logger: silentLogger(),
    dataDir: mkdtempSync(join(tmpdir(), 'rambridge-demo-')),
  });
}

/**
 * Signs in through the development OIDC IdP's form, in a fresh browser context, ending on the
 * bridge at `path`.
 */
export async function signInAs(browser: Browser, demo: RunningDemo, user: string, path = '/roles'): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${demo.bridgeUrl}${path}`);
  await completeSignIn(page, demo, user);
  return page;
}

/**
 * From a page the bridge sent to /login: picks the OIDC IdP on the chooser (the demo offers two),
 * fills the IdP's form, and waits to be back on the bridge.
 */
export async function completeSignIn(page: Page, demo: RunningDemo, user: string): Promise<void> {
  if (new URL(page.url()).pathname === '/login') await page.getByTestId('idp-demo').click();
  await page.waitForURL((url) => url.href.startsWith(demo.idpUrl));
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', user);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL((url) => url.href.startsWith(demo.bridgeUrl));
}
