import { copyFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { DEMO_USERS } from '../../src/devidp/index.js';
import { RoleMapper } from '../../src/mapping/index.js';
import { artifactPath, chromiumForFile } from '../helpers/browser.js';
import { testKeyPair } from '../helpers/saml-keys.js';
import { startSamlInterop, type SamlInterop } from '../helpers/saml-simplesamlphp.js';

/**
 * Interop with a real SAML IdP: Debian's SimpleSAMLphp (exampleauth:UserPass with the demo users),
 * real Chromium typing into its login form, its auto-posting form reaching our ACS cross-origin.
 */
// The shared Chromium; the bridges are this file's own, each configured for SimpleSAMLphp.
const chromium = chromiumForFile();

async function signIn(interop: SamlInterop, user: string, landsOn: (url: URL) => boolean): Promise<Page> {
  const page = await (await chromium.browser.newContext()).newPage();
  await page.goto(`${interop.bridgeUrl}/roles`);
  await page.waitForURL((url) => url.href.startsWith(interop.ssp.url));
  await page.fill('#username', user);
  await page.fill('#password', user);
  await page.click('#submit_button');
  await page.waitForURL((url) => url.href.startsWith(interop.bridgeUrl) && landsOn(url));
  return page;
}

const onRoles = (url: URL) => url.pathname === '/roles';

/** The roles the demo grants to `username`'s groups: what the picker must show if the groups arrived intact. */
function rolesGranted(interop: SamlInterop, username: string): string[] {
  const user = DEMO_USERS.find((u) => u.username === username)!;
  const identity = {
    idp: 'ssp',
    issuer: interop.ssp.entityId,
    subject: user.email,
    email: user.email,
    groups: [...user.groups],
    amr: ['pwd'],
  };
  return new RoleMapper(interop.config.roles, interop.config.grants).rolesFor(identity).map((c) => c.role.id);
}

async function rolesShown(page: Page): Promise<string[]> {
  return page.getByTestId('role').evaluateAll((els) => els.map((e) => e.getAttribute('data-role-id')!));
}

describe('SAML sign-in through SimpleSAMLphp', () => {
  let interop: SamlInterop;
  beforeAll(async () => {
    interop = await startSamlInterop();
  });
  afterAll(async () => {
    // SimpleSAMLphp's side of the story, kept with the screenshots for when CI fails.
    if (interop) await copyFile(interop.ssp.logFile, artifactPath('simplesamlphp.log'));
    await interop?.close();
  });

  test('alice reaches the role picker with the roles of her groups', async () => {
    const page = await signIn(interop, 'alice', onRoles);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toBe('alice@example.com');
    const roles = await rolesShown(page);
    expect(roles).toEqual(expect.arrayContaining(['dev-admin', 'dev-readonly', 'prod-ops', 'prod-readonly']));
    expect(roles.sort()).toEqual(rolesGranted(interop, 'alice').sort());
    await page.screenshot({ path: artifactPath('saml-roles-alice.png'), fullPage: true });
    // Keyed on (IdP entityID, NameID): SimpleSAMLphp sends the email as NameID.
    const login = interop.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'login');
    expect(login).toMatchObject({
      user: { idp: 'ssp', issuer: interop.ssp.entityId, subject: 'alice@example.com' },
      groups: ['rambridge-dev', 'rambridge-ops'],
    });
    await page.context().close();
  });

  test('bob reaches the read-only roles', async () => {
    const page = await signIn(interop, 'bob', onRoles);
    expect((await rolesShown(page)).sort()).toEqual(['dev-readonly', 'prod-readonly']);
    await page.context().close();
  });

  test('each sign-in’s store writes are measured as `serve` wires the bridge, the replay marker too', async () => {
    const inserts = async () => {
      const text = await (await fetch(`${interop.bridgeUrl}/metrics`)).text();
      return Number(/^rambridge_store_operation_duration_seconds_count\{operation="insert",result="ok"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    const before = await inserts();
    await signIn(interop, 'bob', onRoles);
    // The sign-in flow spent (src/web/login-flow.ts), the user's session index, created if absent
    // (src/device/session-index.ts), and the assertion spent (src/idp/saml/connector.ts).
    expect((await inserts()) - before).toBe(3);
  });

  test('mallory, in no group, reaches the no-roles page', async () => {
    const page = await signIn(interop, 'mallory', onRoles);
    await expect(page.getByTestId('no-roles').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('groups-empty').isVisible()).resolves.toBe(true);
    await page.context().close();
  });
});

describe('SimpleSAMLphp with our SP key: signed AuthnRequests, encrypted assertions', () => {
  let interop: SamlInterop;
  beforeAll(async () => {
    interop = await startSamlInterop({ sp: await testKeyPair('rambridge SP'), encryptAssertions: true });
  });
  afterAll(async () => {
    await interop?.close();
  });

  test('it accepts our signed AuthnRequest, but its AES-128-CBC encryption is refused', async () => {
    // SimpleSAMLphp 1.19 always encrypts with AES-128-CBC under RSA-OAEP: the algorithm rambridge refuses.
    const page = await signIn(interop, 'alice', (url) => url.pathname === '/saml/ssp/acs');
    await expect(page.getByTestId('error-code').textContent()).resolves.toBe('ERR_SAML_ENCRYPTION_REFUSED');
    const refusal = interop.logLines
      .map((l) => JSON.parse(l) as { code?: string; detail?: unknown })
      .find((l) => l.code === 'ERR_SAML_ENCRYPTION_REFUSED');
    expect(refusal?.detail).toEqual({
      reason: 'EncryptedData algorithm not allowed',
      algorithm: 'http://www.w3.org/2001/04/xmlenc#aes128-cbc',
      methods: 1,
    });
    await page.screenshot({ path: artifactPath('saml-encryption-refused.png'), fullPage: true });
    await page.context().close();
  });
});
