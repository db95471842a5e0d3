import * as client from 'openid-client';

import { TinyBrowser } from './browser.js';
import { authorizationRequest, BRIDGE, redeem, signIn, startTestIdp, type TestIdp } from './fixture.js';

let t: TestIdp;
beforeAll(async () => {
  t = await startTestIdp();
});
afterAll(() => t.idp.close());

describe('signing in at the development IdP', () => {
  test("alice's ID token carries email, name, groups and amr for the bridge", async () => {
    const tokens = await signIn(t, 'alice', 'alice');
    const claims = tokens.claims();

    expect(claims).toMatchObject({
      iss: t.idp.issuer,
      aud: BRIDGE.clientId,
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Example',
      groups: ['rambridge-dev', 'rambridge-ops'],
      amr: ['pwd', 'mfa'],
    });
  });

  test("bob's groups and single-factor amr", async () => {
    const claims = (await signIn(t, 'bob', 'bob')).claims();

    expect(claims).toMatchObject({ email: 'bob@example.com', groups: ['rambridge-readonly'], amr: ['pwd'] });
  });

  test('mallory, in no group, gets an empty groups array (not a missing claim)', async () => {
    const claims = (await signIn(t, 'mallory', 'mallory')).claims();

    expect(claims?.groups).toEqual([]);
  });

  test('sub is opaque and the same across separate sign-ins; different users differ', async () => {
    const first = (await signIn(t, 'alice', 'alice')).claims();
    const second = (await signIn(t, 'alice', 'alice')).claims();
    const bob = (await signIn(t, 'bob', 'bob')).claims();

    expect(first?.sub).toBe(second?.sub);
    expect(first?.sub).not.toBe(bob?.sub);
    expect(first?.sub).not.toContain('@');
  });

  test('a wrong password shows the form again with a message, issues no code, and a retry works', async () => {
    const browser = new TinyBrowser(t.idp.issuer);
    const pending = await authorizationRequest(t.config);
    const form = await browser.visit(pending.url);

    const retry = await browser.submit(form, { login: 'alice', password: 'wrong-password-42' });

    expect(retry.kind).toBe('page');
    if (retry.kind !== 'page') return;
    expect(retry.status).toBe(200);
    expect(retry.html).toContain('Invalid username or password.');
    expect(retry.html).toContain('name="password"');
    expect(retry.html).toContain('value="alice"');
    expect(retry.html).not.toContain('wrong-password-42');

    const tokens = await redeem(t.config, pending, await browser.submit(retry, { login: 'alice', password: 'alice' }));
    expect(tokens.claims()?.email).toBe('alice@example.com');
  });

  test('an unknown username gets the same message as a wrong password', async () => {
    const browser = new TinyBrowser(t.idp.issuer);
    const form = await browser.visit((await authorizationRequest(t.config)).url);

    const retry = await browser.submit(form, { login: 'eve', password: 'eve' });

    expect(retry.kind === 'page' && retry.status).toBe(200);
    expect(retry.kind === 'page' && retry.html).toContain('Invalid username or password.');
  });

  test('a second request in the same browser signs in silently; prompt=login asks again', async () => {
    const browser = new TinyBrowser(t.idp.issuer);
    const first = await authorizationRequest(t.config);
    await redeem(t.config, first, await browser.submit(await browser.visit(first.url), { login: 'bob', password: 'bob' }));

    const silent = await authorizationRequest(t.config);
    const silentTokens = await redeem(t.config, silent, await browser.visit(silent.url));
    expect(silentTokens.claims()?.email).toBe('bob@example.com');

    const forced = await browser.visit((await authorizationRequest(t.config, { prompt: 'login' })).url);
    expect(forced.kind === 'page' && forced.html).toContain('name="login"');
  });

  test('offline_access (with prompt=consent) yields a refresh token that refreshes the ID token', async () => {
    const browser = new TinyBrowser(t.idp.issuer);
    const pending = await authorizationRequest(t.config, { scope: 'openid email groups offline_access', prompt: 'consent' });
    const form = await browser.visit(pending.url);
    const tokens = await redeem(t.config, pending, await browser.submit(form, { login: 'alice', password: 'alice' }));
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const refreshed = await client.refreshTokenGrant(t.config, tokens.refresh_token ?? '');

    expect(refreshed.claims()).toMatchObject({ sub: tokens.claims()?.sub, groups: ['rambridge-dev', 'rambridge-ops'] });
  });
});
