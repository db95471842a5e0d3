/**
 * A running development IdP with the bridge registered as its client, and openid-client driving the
 * authorization code flow against it the way the bridge does.
 */
import * as client from 'openid-client';

import { startDevIdp, type DevIdpClient, type RunningDevIdp } from '../../../src/devidp/index.js';
import { TinyBrowser, type Landing } from './browser.js';

/** Another origin than the IdP's (localhost vs 127.0.0.1): the browser leaves the IdP to get there. */
export const BRIDGE: DevIdpClient = {
  clientId: 'rambridge',
  clientSecret: 'bridge-test-secret-0123456789abcdef',
  redirectUris: ['http://localhost:8080/auth/callback'],
  postLogoutRedirectUris: ['http://localhost:8080/signed-out'],
};
export const REDIRECT_URI = 'http://localhost:8080/auth/callback';
export const SCOPE = 'openid email profile groups';

export interface TestIdp {
  idp: RunningDevIdp;
  config: client.Configuration;
}

export async function startTestIdp(extraClients: DevIdpClient[] = []): Promise<TestIdp> {
  const idp = await startDevIdp({ clients: [BRIDGE, ...extraClients] });
  const config = await discover(idp, BRIDGE);
  return { idp, config };
}

export function discover(idp: RunningDevIdp, rp: DevIdpClient, auth?: client.ClientAuth): Promise<client.Configuration> {
  // Plain http is allowed only because the IdP is on loopback for the tests.
  return client.discovery(new URL(idp.issuer), rp.clientId, rp.clientSecret, auth, {
    execute: [client.allowInsecureRequests],
  });
}

export interface PendingAuthorization {
  url: URL;
  codeVerifier: string;
  state: string;
  nonce: string;
}

export async function authorizationRequest(
  config: client.Configuration,
  params: Record<string, string> = {},
): Promise<PendingAuthorization> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  return { url, codeVerifier, state, nonce };
}

/** Redeems the code in `landing` (the redirect back to the bridge) with the request's checks. */
export function redeem(
  config: client.Configuration,
  pending: PendingAuthorization,
  landing: Landing,
): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> {
  if (landing.kind !== 'left') throw new Error(`expected a redirect to the bridge, got a page at ${landing.url}`);
  return client.authorizationCodeGrant(config, landing.location, {
    pkceCodeVerifier: pending.codeVerifier,
    expectedState: pending.state,
    expectedNonce: pending.nonce,
    idTokenExpected: true,
  });
}

/** The whole flow in a fresh browser: authorize, fill the login form, come back, redeem the code. */
export async function signIn(
  { idp, config }: TestIdp,
  login: string,
  password: string,
): Promise<client.TokenEndpointResponse & client.TokenEndpointResponseHelpers> {
  const browser = new TinyBrowser(idp.issuer);
  const pending = await authorizationRequest(config);
  const form = await browser.visit(pending.url);
  return redeem(config, pending, await browser.submit(form, { login, password }));
}
