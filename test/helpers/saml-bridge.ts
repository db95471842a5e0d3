import { Writable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import request, { type Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import { validateConfig, type SamlIdp } from '../../src/config/index.js';
import { createLogger } from '../../src/log.js';
import { MemoryStore, type Store } from '../../src/store/index.js';
import { testKeyPair, type TestKeyPair } from './saml-keys.js';
import { base64, responseXml, signBoth, type ResponseOptions } from './saml-response.js';

export const IDP_ENTITY_ID = 'https://idp.example.com/saml/metadata';

/** The test IdP's keys, made once per test file. */
let idpKeys: Promise<TestKeyPair> | undefined;
export const testIdpKeys = () => (idpKeys ??= testKeyPair('rambridge test SAML IdP'));

/** Two accounts, four roles, the demo's groups: enough for a role picker, independent of config/demo.yaml. */
const ACCESS = {
  accounts: [
    { alias: 'dev', id: '1111222233334444' },
    { alias: 'prod', id: '5555666677778888' },
  ],
  roles: [
    { id: 'dev-admin', account: 'dev', role: 'rambridge-dev-admin' },
    { id: 'dev-readonly', account: 'dev', role: 'rambridge-dev-readonly' },
    { id: 'prod-ops', account: 'prod', role: 'rambridge-prod-ops' },
    { id: 'prod-readonly', account: 'prod', role: 'rambridge-prod-readonly' },
  ],
  grants: [
    { groups: ['rambridge-dev'], roles: ['dev-admin', 'dev-readonly'] },
    { groups: ['rambridge-ops'], roles: ['prod-ops', 'prod-readonly'] },
  ],
};

/**
 * The bridge app (not listening) with one SAML IdP `corp` trusting the test IdP's certificate, on a
 * manual clock, with captured log lines. `idp` and `server` override entries as in YAML; the whole config goes
 * through validation like a file would.
 */
export async function samlBridge(
  idp: Record<string, unknown> = {},
  otherIdps: Record<string, unknown>[] = [],
  server: Record<string, unknown> = {},
  options: { clock?: ManualClock; store?: (clock: ManualClock) => Store } = {},
) {
  const keys = await testIdpKeys();
  const corp = {
    id: 'corp',
    type: 'saml',
    entryPoint: 'https://idp.example.com/sso',
    issuer: IDP_ENTITY_ID,
    certificates: [keys.certificatePem],
    // The test IdP's addresses are its own records (the generic preset trusts none by default).
    emailVerified: true,
    ...idp,
  };
  const result = validateConfig({
    server: { publicUrl: 'http://127.0.0.1:8080', sessionSecrets: ['s'.repeat(32)], ...server },
    idps: [corp, ...otherIdps],
    ...ACCESS,
  });
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.problems)}`);
  const config = result.config;
  const clock = options.clock ?? new ManualClock(Date.now());
  const store = options.store?.(clock) ?? new MemoryStore(clock);
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  const app = createApp({ config, store, clock, logger: createLogger({ level: 'debug', destination }) });
  return { app, config, clock, store, logLines, idp: config.idps[0] as SamlIdp, idpKeys: keys, agent: () => request.agent(app.callback()) };
}

export type SamlBridge = Awaited<ReturnType<typeof samlBridge>>;

/** Starts a sign-in at the bridge; returns the AuthnRequest's ID and the redirect URL to the IdP. */
export async function startSamlLogin(
  agent: TestAgent,
  returnTo?: string,
): Promise<{ requestId: string; location: URL; authnRequest: string }> {
  const query = new URLSearchParams({ idp: 'corp', ...(returnTo ? { return_to: returnTo } : {}) });
  const res = await agent.get(`/login?${query.toString()}`).expect(302);
  return { location: new URL(res.headers.location!), ...authnRequestOf(res.headers.location!) };
}

/** The AuthnRequest in a Redirect-binding URL (deflated, base64) and its ID. */
export function authnRequestOf(location: string): { requestId: string; authnRequest: string } {
  const authnRequest = inflateRawSync(Buffer.from(new URL(location).searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  return { authnRequest, requestId: /\sID="([^"]+)"/.exec(authnRequest)![1]! };
}

/** A valid, signed response to `requestId` for the bridge's `corp` IdP, with `overrides` applied. */
export function answer(bridge: SamlBridge, requestId: string | null, overrides: Partial<ResponseOptions> = {}): string {
  return responseXml({
    idpEntityId: IDP_ENTITY_ID,
    spEntityId: bridge.idp.spEntityId,
    acsUrl: bridge.idp.acsUrl,
    inResponseTo: requestId,
    ...overrides,
  });
}

export function signedAnswer(bridge: SamlBridge, requestId: string | null, overrides: Partial<ResponseOptions> = {}): string {
  return signBoth(answer(bridge, requestId, overrides), bridge.idpKeys);
}

/**
 * Posts a response to the ACS the way the IdP's auto-submitting form does: cross-site, no token of
 * ours; `headers` adds to the browser's (a proxy's X-Forwarded-For).
 */
export function postToAcs(
  agent: TestAgent,
  xml: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<Response> {
  return agent
    .post('/saml/corp/acs')
    .set({ Origin: 'https://idp.example.com', 'Sec-Fetch-Site': 'cross-site', Accept: 'text/html', ...headers })
    .type('form')
    .send({ SAMLResponse: base64(xml), ...extra });
}

export const cookieNames = (res: { headers: Record<string, unknown> }): string[] =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split('=')[0]!);

/** The refusal contract: the error page with this code, and no session for this browser. */
export async function expectRefused(agent: TestAgent, res: Response, code: string): Promise<void> {
  expect({ status: res.status >= 400 && res.status < 500, code: /data-testid="error-code">([A-Z_]+)</.exec(res.text)?.[1] }).toEqual({
    status: true,
    code,
  });
  expect(cookieNames(res)).not.toContain('rambridge.sid');
  await agent
    .get('/roles')
    .expect(302)
    .expect('location', /^\/login/);
}

/** The test IdP's SAML metadata, as an IdP publishes it. */
export function idpMetadataXml(certificatePem: string, ssoUrl = 'https://idp.example.com/sso'): string {
  const der = certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${IDP_ENTITY_ID}">
  <!-- comments are fine in metadata -->
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" WantAuthnRequestsSigned="false">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${ssoUrl}/post"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}
