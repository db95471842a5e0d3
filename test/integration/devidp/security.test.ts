import { decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';

import { TinyBrowser, type Landing } from './browser.js';
import { authorizationRequest, BRIDGE, discover, redeem, REDIRECT_URI, SCOPE, signIn, startTestIdp, type TestIdp } from './fixture.js';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t.idp.close());

function page(landing: Landing): Extract<Landing, { kind: 'page' }> {
  if (landing.kind !== 'page') throw new Error(`expected a page, was sent to ${landing.location.href}`);
  return landing;
}

/** The OAuth error code of a refused token request, whether in the JSON body or a WWW-Authenticate challenge. */
async function oauthErrorOf(request: Promise<unknown>): Promise<string> {
  try {
    await request;
  } catch (err) {
    if (err instanceof client.ResponseBodyError) return err.error;
    if (err instanceof client.WWWAuthenticateChallengeError) return err.cause[0]?.parameters.error ?? 'none';
    throw err;
  }
  throw new Error('the request was not refused');
}

/** Where the IdP sent the browser back to the bridge, with the response parameters (query or fragment). */
function response(landing: Landing): URLSearchParams {
  if (landing.kind !== 'left') throw new Error(`expected a redirect to the bridge, got a page at ${landing.url}`);
  expect(`${landing.location.origin}${landing.location.pathname}`).toBe(REDIRECT_URI);
  return new URLSearchParams(landing.location.search || landing.location.hash.slice(1));
}

describe('what the development IdP advertises', () => {
  test('discovery: code flow only, S256 only, secret-based client auth, RS256 ID tokens, our claims', async () => {
    const meta = (await (await fetch(`${t.idp.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;

    expect(meta).toMatchObject({
      issuer: t.idp.issuer,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(meta.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(['client_secret_basic', 'client_secret_post']));
    expect(meta.token_endpoint_auth_methods_supported).toHaveLength(2);
    expect(meta.claims_supported).toEqual(expect.arrayContaining(['email', 'name', 'groups', 'amr']));
  });

  test('the JWKS publishes one public RSA key, and ID tokens are signed with it', async () => {
    const { keys } = (await (await fetch(`${t.idp.issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    const tokens = await signIn(t, 'bob', 'bob');

    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(keys[0]).not.toHaveProperty('d');
    expect(decodeProtectedHeader(tokens.id_token ?? '')).toMatchObject({ alg: 'RS256', kid: keys[0]?.kid });
  });
});

describe('PKCE and the authorization code', () => {
  test('a request without code_challenge is refused with invalid_request and no code', async () => {
    const url = client.buildAuthorizationUrl(t.config, { redirect_uri: REDIRECT_URI, scope: SCOPE, state: 's1' });

    const params = response(await new TinyBrowser(t.idp.issuer).visit(url));

    expect(params.get('error')).toBe('invalid_request');
    expect(params.has('code')).toBe(false);
  });

  test('code_challenge_method=plain is refused', async () => {
    const pending = await authorizationRequest(t.config, { code_challenge_method: 'plain' });

    const params = response(await new TinyBrowser(t.idp.issuer).visit(pending.url));

    expect(params.get('error')).toBe('invalid_request');
    expect(params.has('code')).toBe(false);
  });

  test('response_type=token (implicit) is refused', async () => {
    const pending = await authorizationRequest(t.config, { response_type: 'token' });

    const params = response(await new TinyBrowser(t.idp.issuer).visit(pending.url));

    expect(params.get('error')).toBe('unsupported_response_type');
    expect(params.has('access_token')).toBe(false);
  });

  test('a code redeemed with the wrong code_verifier is refused', async () => {
    const browser = new TinyBrowser(t.idp.issuer);
    const pending = await authorizationRequest(t.config);
    const back = await browser.submit(await browser.visit(pending.url), { login: 'bob', password: 'bob' });

    const other = client.randomPKCECodeVerifier();
    expect(await oauthErrorOf(redeem(t.config, { ...pending, codeVerifier: other }, back))).toBe('invalid_grant');
  });

  test('a code is single-use', async () => {
    const browser = new TinyBrowser(t.idp.issuer);
    const pending = await authorizationRequest(t.config);
    const back = await browser.submit(await browser.visit(pending.url), { login: 'bob', password: 'bob' });
    await redeem(t.config, pending, back);

    expect(await oauthErrorOf(redeem(t.config, pending, back))).toBe('invalid_grant');
  });
});

describe('client authentication', () => {
  test('the client secret is accepted by client_secret_basic as well as client_secret_post', async () => {
    const basic = await discover(t.idp, BRIDGE, client.ClientSecretBasic());
    const post = await discover(t.idp, BRIDGE, client.ClientSecretPost());

    expect((await signIn({ idp: t.idp, config: basic }, 'alice', 'alice')).claims()?.aud).toBe(BRIDGE.clientId);
    expect((await signIn({ idp: t.idp, config: post }, 'alice', 'alice')).claims()?.aud).toBe(BRIDGE.clientId);
  });

  test.each([
    ['client_secret_basic', client.ClientSecretBasic()],
    ['client_secret_post', client.ClientSecretPost()],
  ])('a wrong client secret is refused (%s)', async (_name, auth) => {
    const wrong = await discover(t.idp, { ...BRIDGE, clientSecret: 'not-the-secret' }, auth);

    expect(await oauthErrorOf(signIn({ idp: t.idp, config: wrong }, 'bob', 'bob'))).toBe('invalid_client');
  });
});

describe('the sign-in pages', () => {
  test('the login form: fields, banner, demo users, no caching and a strict CSP', async () => {
    const login = page(await new TinyBrowser(t.idp.issuer).visit((await authorizationRequest(t.config)).url));

    expect(login.status).toBe(200);
    expect(login.html).toContain('rambridge development IdP — not for production');
    expect(login.html).toMatch(/<input[^>]*name="login"/);
    expect(login.html).toMatch(/<input[^>]*name="password"[^>]*type="password"|<input[^>]*type="password"[^>]*name="password"/);
    expect(login.html).toMatch(/<button type="submit">Sign in<\/button>/);
    expect(login.html).toContain('mallory');
    expect(login.headers.get('cache-control')).toBe('no-store');
    const csp = login.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    // The login POST ends in a redirect to the bridge; browsers check that against form-action.
    expect(csp).toContain("form-action 'self' http://localhost:8080");
    expect(csp).not.toContain('unsafe-inline');
  });

  test('what the user typed is escaped when the form is shown again', async () => {
    const browser = new TinyBrowser(t.idp.issuer);
    const form = await browser.visit((await authorizationRequest(t.config)).url);

    const again = page(await browser.submit(form, { login: '"><script>alert(1)</script>', password: 'x' }));

    expect(again.html).not.toContain('<script>');
    expect(again.html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  test('an unknown interaction gets an error page, not a stack trace', async () => {
    const landing = page(await new TinyBrowser(t.idp.issuer).visit(`${t.idp.issuer}/interaction/not-a-real-uid`));

    expect(landing.status).toBe(400);
    expect(landing.html).toContain('Sign-in session not found');
    expect(landing.html).not.toMatch(/at \w+ \(/);
  });

  test('an unknown client_id gets an error page and is not redirected anywhere', async () => {
    const landing = page(
      await new TinyBrowser(t.idp.issuer).visit(
        `${t.idp.issuer}/auth?client_id=nobody&response_type=code&scope=openid&redirect_uri=${encodeURIComponent(REDIRECT_URI)}`,
      ),
    );

    expect(landing.status).toBe(400);
    expect(landing.html).toContain('invalid_client');
    expect(landing.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

describe('logout', () => {
  test('RP-initiated logout ends the IdP session and returns to the bridge with its state', async () => {
    const browser = new TinyBrowser(t.idp.issuer);
    const pending = await authorizationRequest(t.config);
    const tokens = await redeem(
      t.config,
      pending,
      await browser.submit(await browser.visit(pending.url), { login: 'bob', password: 'bob' }),
    );

    const confirm = page(
      await browser.visit(
        client.buildEndSessionUrl(t.config, {
          id_token_hint: tokens.id_token ?? '',
          post_logout_redirect_uri: 'http://localhost:8080/signed-out',
          state: 'bye',
        }),
      ),
    );
    const back = await browser.submit(confirm, { logout: 'yes' });

    expect(back.kind === 'left' && back.location.href).toBe('http://localhost:8080/signed-out?state=bye');
    const next = page(await browser.visit((await authorizationRequest(t.config)).url));
    expect(next.html).toContain('name="password"');
  });
});
