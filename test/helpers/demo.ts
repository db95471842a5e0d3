import type { Browser, Page } from 'playwright-core';
import type { DemoOptions, RunningDemo } from '../../src/demo/index.js';
import { DEMO_ENV, startE2eDemo, type SharedDemo } from '../e2e/shared/global-setup.js';
import { chromiumForFile } from './browser.js';

/** The e2e project's one demo (started by test/e2e/shared/global-setup.ts): its addresses. */
export function sharedDemo(): SharedDemo {
  const published = process.env[DEMO_ENV];
  if (!published) throw new Error(`${DEMO_ENV} is not set: run browser tests through the e2e project (npm run test:e2e).`);
  return JSON.parse(published) as SharedDemo;
}

/** The shared demo, and the shared Chromium connected for this test file. */
export function demoInBrowser(): { readonly demo: SharedDemo; readonly browser: Browser } {
  return Object.assign(chromiumForFile(), { demo: sharedDemo() });
}

/**
 * A demo of the file's own, on free ports with keys in a temp dir: for a file that must stop its
 * bridge, which the shared one cannot do to the others.
 */
export function startTestDemo(options: Pick<DemoOptions, 'configure'> = {}): Promise<RunningDemo> {
  return startE2eDemo(options);
}

/**
 * Signs in through the development OIDC IdP's form, in a fresh browser context, ending on the
 * bridge at `path`.
 */
export async function signInAs(browser: Browser, demo: SharedDemo, user: string, path = '/roles'): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${demo.bridgeUrl}${path}`);
  await completeSignIn(page, demo, user);
  return page;
}

/**
 * From a page the bridge sent to /login: picks the OIDC IdP on the chooser (the demo offers two),
 * fills the IdP's form, and waits to be back on the bridge.
 */
export async function completeSignIn(page: Page, demo: SharedDemo, user: string): Promise<void> {
  if (new URL(page.url()).pathname === '/login') await page.getByTestId('idp-demo').click();
  await page.waitForURL((url) => url.href.startsWith(demo.idpUrl));
  await page.fill('input[name="login"]', user);
  await page.fill('input[name="password"]', user);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL((url) => url.href.startsWith(demo.bridgeUrl));
}
