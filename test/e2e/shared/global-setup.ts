import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserServer } from 'playwright-core';
import type * as Demo from '../../../src/demo/index.js';
import type * as Log from '../../../src/log.js';

/**
 * Jest global setup of the e2e project: starts ONE demo (bridge, development IdP, Alibaba Cloud
 * emulator, SimpleSAMLphp) and ONE Chromium for all e2e files, instead of one of each per file, and
 * publishes their addresses in the environment the test workers inherit. Files stay independent:
 * each test opens its own browser context, and the demo keeps no state between users.
 *
 * Jest loads this file outside its module mapping: only packages and real file names resolve, so the
 * demo comes from the build in dist/ (`npm run test:e2e` builds first) and the test files import the
 * constants from here, not the other way round.
 */

/** Where the shared demo's addresses are published (JSON of `SharedDemo`). */
export const DEMO_ENV = 'RAMBRIDGE_E2E_DEMO';
/** Where the shared Chromium's WebSocket endpoint is published (for playwright's `connect`). */
export const BROWSER_ENV = 'RAMBRIDGE_E2E_BROWSER';

/**
 * The device-flow poll interval of e2e demos: 1 s instead of the production 5 s, so a CLI login
 * learns of the approval within a second. The production default stays in src/config/defaults.ts.
 */
export const TEST_DEVICE_INTERVAL_SECONDS = 1;

/** What test files know of the shared demo: its addresses (only the global teardown stops it). */
export type SharedDemo = Omit<Demo.RunningDemo, 'close'>;

/** Debian's Chromium, headless, with no network chatter of its own (this machine has no internet). */
const CHROMIUM_LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** What the global teardown stops; kept on globalThis, the one object setup and teardown share. */
export interface SharedServices {
  demo: Demo.RunningDemo;
  browser: BrowserServer;
}
export const SERVICES_KEY = '__rambridgeE2eServices';

/** A module of the build; a missing build says what to run instead of ERR_MODULE_NOT_FOUND. */
async function built<T>(path: string): Promise<T> {
  const url = new URL(`../../../dist/${path}`, import.meta.url);
  try {
    return (await import(url.href)) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    throw new Error(
      `The e2e tests run the build in dist/, which is missing or out of date: run npm run build (npm run test:e2e builds first).`,
      { cause: err },
    );
  }
}

/**
 * The whole demo on free ports, keys in a temp dir, polling every second, silent. From dist/: the
 * same build the CLI under test runs, loaded without transforming the server's sources per file.
 */
export async function startE2eDemo(options: Pick<Demo.DemoOptions, 'configure'> = {}): Promise<Demo.RunningDemo> {
  const { startDemo } = await built<typeof Demo>('demo/index.js');
  const { silentLogger } = await built<typeof Log>('log.js');
  return startDemo({
    port: 0,
    idpPort: 0,
    emulatorPort: 0,
    samlIdpPort: 0,
    logger: silentLogger(),
    dataDir: mkdtempSync(join(tmpdir(), 'rambridge-demo-')),
    deviceIntervalSeconds: TEST_DEVICE_INTERVAL_SECONDS,
    ...options,
  });
}

export default async function startSharedServices(): Promise<void> {
  const browser = await chromium.launchServer(CHROMIUM_LAUNCH);
  try {
    const demo = await startE2eDemo();
    (globalThis as Record<string, unknown>)[SERVICES_KEY] = { demo, browser } satisfies SharedServices;
    const { bridgeUrl, idpUrl, samlIdpUrl, emulatorUrl } = demo;
    process.env[DEMO_ENV] = JSON.stringify({ bridgeUrl, idpUrl, samlIdpUrl, emulatorUrl } satisfies SharedDemo);
    process.env[BROWSER_ENV] = browser.wsEndpoint();
  } catch (err) {
    await browser.close();
    throw err;
  }
}
