import { artifactPath, chromiumForFile } from '../helpers/browser.js';
import { startSamlInterop, type SamlInterop } from '../helpers/saml-simplesamlphp.js';

/**
 * A production IdP is another site than the bridge, so its answer reaches the ACS as a cross-site
 * POST, which SameSite=Lax cookies do not accompany. Here SimpleSAMLphp is addressed as
 * `localhost` and the bridge as `127.0.0.1` (two sites) on a plain-http loopback publicUrl: the
 * flow cookie must still arrive (Chromium keeps Secure; SameSite=None cookies on loopback http).
 */
// The shared Chromium; the bridge and SimpleSAMLphp are this file's own.
const chromium = chromiumForFile();
let interop: SamlInterop;
beforeAll(async () => {
  interop = await startSamlInterop({ idpUrlHost: 'localhost' });
});
afterAll(async () => {
  await interop?.close();
});

test('sign-in through an IdP on another site (localhost → 127.0.0.1) reaches the role picker', async () => {
  expect(new URL(interop.ssp.url).hostname).toBe('localhost');
  expect(new URL(interop.bridgeUrl).hostname).toBe('127.0.0.1');
  const page = await (await chromium.browser.newContext()).newPage();
  await page.goto(`${interop.bridgeUrl}/roles`);
  await page.waitForURL((url) => url.href.startsWith(interop.ssp.url));
  await page.fill('#username', 'alice');
  await page.fill('#password', 'alice');
  // The IdP's auto-submitting form posts to the bridge's ACS: cross-site, top-level.
  const acs = page.waitForRequest((req) => req.method() === 'POST' && req.url() === `${interop.bridgeUrl}/saml/ssp/acs`);
  await page.click('#submit_button');
  expect((await (await acs).allHeaders())['sec-fetch-site']).toBe('cross-site');
  // A redirect from the ACS commits /roles; a refusal commits the ACS URL with the error page.
  await page.waitForURL((url) => url.href.startsWith(interop.bridgeUrl));
  await page.screenshot({ path: artifactPath('saml-cross-site.png'), fullPage: true });
  const errorCode = (await page.getByTestId('error-code').count()) > 0 ? await page.getByTestId('error-code').textContent() : null;
  expect({ path: new URL(page.url()).pathname, errorCode }).toEqual({ path: '/roles', errorCode: null });
  await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe('alice@example.com');
  await page.context().close();
});
