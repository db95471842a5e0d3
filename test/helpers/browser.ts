import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { BROWSER_ENV } from '../e2e/shared/global-setup.js';

/**
 * The e2e project's one Chromium (started by test/e2e/shared/global-setup.ts), connected for one
 * test file: `close()` disconnects and closes the contexts this file opened, not the browser.
 */
export function connectChromium(): Promise<Browser> {
  const endpoint = process.env[BROWSER_ENV];
  if (!endpoint) throw new Error(`${BROWSER_ENV} is not set: run browser tests through the e2e project (npm run test:e2e).`);
  return chromium.connect(endpoint);
}

/** Connects to the shared Chromium before the file's tests and disconnects after them. */
export function chromiumForFile(): { readonly browser: Browser } {
  const env = {} as { browser: Browser };
  beforeAll(async () => {
    env.browser = await connectChromium();
  });
  afterAll(async () => {
    await env.browser?.close();
  });
  return env;
}

/** Where end-to-end tests leave screenshots (git-ignored; CI keeps them as artifacts). */
export function artifactPath(name: string): string {
  const dir = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return `${dir}${name}`;
}
