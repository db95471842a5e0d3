import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OidcIdp } from '../../../src/config/index.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { storedEntries } from '../../unit/device/store-entries.js';
import { followOp, loginThroughFakeOp, testBridge } from '../../helpers/bridge.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * The OIDC relying party against crafted ID tokens (docs/security-reference.md §3.2, openid-client's conformance
 * list): every refusal shows an error page with its code, creates no session and consumes the flow.
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(async () => {
  await op.close();
});

const cookieNames = (res: { headers: Record<string, unknown> }) =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split('=')[0]);

/** The IdP's answer to an authorization request, brought back to the bridge by `browser`. */
async function answerAt(browser: ReturnType<Awaited<ReturnType<typeof testBridge>>['agent']>, authorizeUrl: string) {
  const callback = await followOp(authorizeUrl);
  return browser.get(callback.pathname + callback.search);
}

describe('OIDC sign-in', () => {
  test('a normal sign-in lands on the role picker with a fresh session', async () => {
    const { agent } = await testBridge(op);
    const browser = agent();
    const res = await loginThroughFakeOp(browser, op);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/roles');
    const roles = await browser.get('/roles').expect(200);
    expect(roles.text).toContain('dev-admin');
  });

  test('the authorization request always carries PKCE S256, state and nonce, and the exact redirect URI', async () => {
    const { agent } = await testBridge(op);
    const start = await agent().get('/login').expect(302);
    const q = new URL(start.headers.location!).searchParams;
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('redirect_uri')).toBe('http://127.0.0.1:8080/oidc/demo/callback');
    expect(q.get('scope')).toBe('openid email profile groups');
    expect(cookieNames(start)).toContain('rambridge.flow');
  });

  test('the code exchange names the configured redirect URI, whatever host the request line names', async () => {
    // An absolute-form request target (`GET http://elsewhere/oidc/demo/callback?…`) is routed by
    // its path; the redirect_uri sent with the code must still be the one the authorization
    // request named (RFC 6749 §4.1.3), never one taken from the request.
    const { app, agent } = await testBridge(op);
    const browser = agent();
    const start = await browser.get('/login').expect(302);
    const callback = await followOp(start.headers.location!);
    const cookies = (start.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    const handle = app.callback();
    const server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<IncomingMessage>((resolve, reject) =>
        request(
          { host: '127.0.0.1', port, path: `http://elsewhere.example${callback.pathname}${callback.search}`, headers: { Cookie: cookies } },
          resolve,
        )
          .on('error', reject)
          .end(),
      );
      answer.resume();
      // The fake OP refuses a code exchanged with another redirect_uri, as RFC 6749 requires.
      expect([answer.statusCode, answer.headers.location]).toEqual([302, '/roles']);
    } finally {
      server.close();
    }
  });

  test('return_to survives the round trip, and only when it is safe', async () => {
    const { agent } = await testBridge(op);
    expect((await loginThroughFakeOp(agent(), op, '/roles/dev-admin')).headers.location).toBe('/roles/dev-admin');
    expect((await loginThroughFakeOp(agent(), op, '//evil.example.com/')).headers.location).toBe('/roles');
  });

  test.each([
    ['ID token for another audience', { claims: { aud: 'someone-else' } }],
    ['extra audience without azp', { claims: { aud: ['rambridge', 'other'] } }],
    ['wrong issuer', { claims: { iss: 'https://evil.example.com' } }],
    ['nonce mismatch', { claims: { nonce: 'not-the-nonce' } }],
    ['expired ID token', { claims: { exp: Math.floor(Date.now() / 1000) - 120 } }],
    ['alg none', { alg: 'none' as const }],
    ['HS256 with the public key as secret', { alg: 'HS256' as const }],
    ['signed by a key that is not in the JWKS', { foreignKey: true }],
    ['missing sub', { claims: { sub: undefined } }],
    ['iat an hour in the future', { claims: { iat: Math.floor(Date.now() / 1000) + 3600 } }],
    ['auth_time an hour in the future', { claims: { auth_time: Math.floor(Date.now() / 1000) + 3600 } }],
  ])('%s → ERR_AUTH_TOKEN_INVALID, no session', async (_name, next) => {
    const { agent, logLines } = await testBridge(op);
    const browser = agent();
    op.next = next;
    const res = await loginThroughFakeOp(browser, op);
    expect(res.status).toBe(401);
    expect(res.text).toContain('ERR_AUTH_TOKEN_INVALID');
    expect(cookieNames(res)).not.toContain('rambridge.sid');
    await browser
      .get('/roles')
      .expect(302)
      .expect('location', /^\/login/);
    expect(logLines.join('')).not.toMatch(/"id_token":"ey/);
  });

  test('re-authentication: prompt=login and max_age=0 are sent, and an old auth_time is refused', async () => {
    const { agent } = await testBridge(op);
    const browser = agent();
    op.next = { claims: { auth_time: Math.floor(Date.now() / 1000) - 3600 } };
    const start = await browser.get('/login?reauth=1').expect(302);
    const q = new URL(start.headers.location!).searchParams;
    expect([q.get('prompt'), q.get('max_age')]).toEqual(['login', '0']);
    const callback = await followOp(start.headers.location!);
    const res = await browser.get(callback.pathname + callback.search).expect(401);
    expect(res.text).toContain('ERR_AUTH_NOT_REAUTHENTICATED');
  });

  test('re-authentication: an IdP that sends no auth_time under max_age=0 did not re-authenticate, and says so', async () => {
    const { agent } = await testBridge(op);
    const browser = agent();
    op.next = { claims: { auth_time: undefined } };
    const start = await browser.get('/login?reauth=1').expect(302);
    const callback = await followOp(start.headers.location!);
    const res = await browser.get(callback.pathname + callback.search).expect(401);
    expect(res.text).toContain('ERR_AUTH_NOT_REAUTHENTICATED');
  });

  test('a signed-in session starts empty: a CSRF token planted before sign-in is refused after it', async () => {
    const { agent, store } = await testBridge(op);
    const browser = agent();
    // The attacker's own session and its token, then planted in the victim's browser (the same agent).
    await loginThroughFakeOp(browser, op);
    const planted = csrfOf((await browser.get('/roles').expect(200)).text);
    expect((await loginThroughFakeOp(browser, op)).status).toBe(302);
    // One session left, holding only what this sign-in wrote.
    const sessions = storedEntries(store).filter(([key]) => key.startsWith('session:'));
    expect(sessions.map(([, json]) => Object.keys(JSON.parse(json) as object).filter((k) => !k.startsWith('_')))).toEqual([
      ['identity', 'loginAt', 'seenAt', 'signInId'],
    ]);
    const refused = await browser.post('/logout').type('form').send({ _csrf: planted }).expect(403);
    expect(refused.text).toContain('ERR_CSRF');
    const fresh = csrfOf((await browser.get('/roles').expect(200)).text);
    expect(fresh).not.toBe(planted);
    await browser.post('/logout').type('form').send({ _csrf: fresh }).expect(303).expect('location', '/signed-out');
  });

  test('an IdP error response is shown as the IdP refusing, with its own code', async () => {
    const { agent } = await testBridge(op);
    op.next = { authorizeError: 'access_denied' };
    const res = await loginThroughFakeOp(agent(), op);
    expect(res.status).toBe(401);
    expect(res.text).toContain('ERR_AUTH_IDP_ERROR');
    expect(res.text).toContain('not be assigned to rambridge');
  });

  test('an answer with another state is refused before the IdP is asked, and the flow stays for the right one', async () => {
    const { agent } = await testBridge(op);
    const browser = agent();
    const grants = op.tokenGrants.length;
    op.next = { state: 'attacker-state' };
    const res = await loginThroughFakeOp(browser, op);
    expect([res.status, res.text]).toEqual([409, expect.stringContaining('ERR_AUTH_OTHER_SIGN_IN')]);
    expect(op.tokenGrants.length).toBe(grants);
    // The browser's own sign-in, answered now, still goes through.
    const start = await browser.get('/login').expect(302);
    expect((await answerAt(browser, start.headers.location!)).status).toBe(302);
  });

  test('a sign-in started in two tabs: the earlier tab’s answer is refused, the later one signs in', async () => {
    const { agent } = await testBridge(op);
    const browser = agent();
    const first = await browser.get('/login').expect(302); // tab 1
    const second = await browser.get('/login').expect(302); // tab 2 replaces the flow
    const earlier = await answerAt(browser, first.headers.location!);
    expect([earlier.status, earlier.text]).toEqual([409, expect.stringContaining('ERR_AUTH_OTHER_SIGN_IN')]);
    const later = await answerAt(browser, second.headers.location!);
    expect([later.status, later.headers.location]).toEqual([302, '/roles']);
  });

  test('a replayed callback finds no flow: ERR_AUTH_FLOW_MISSING', async () => {
    const { agent } = await testBridge(op);
    const browser = agent();
    const start = await browser.get('/login').expect(302);
    const callback = await followOp(start.headers.location!);
    const path = callback.pathname + callback.search;
    const flowCookie = (start.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('rambridge.flow='))!.split(';')[0]!;
    await browser.get(path).expect(302);
    // Replay with the original flow cookie re-attached, as an attacker holding both would.
    const replay = await agent().get(path).set('Cookie', flowCookie).expect(400);
    expect(replay.text).toContain('ERR_AUTH_FLOW_MISSING');
  });

  test('a callback in another browser (no flow cookie) is refused: login CSRF', async () => {
    const { agent } = await testBridge(op);
    const start = await agent().get('/login').expect(302);
    const callback = await followOp(start.headers.location!);
    const victim = agent();
    const res = await victim.get(callback.pathname + callback.search).expect(400);
    expect(res.text).toContain('ERR_AUTH_FLOW_MISSING');
    await victim.get('/roles').expect(302);
  });

  test('a flow cookie older than its TTL is refused', async () => {
    const { agent, clock } = await testBridge(op);
    const browser = agent();
    const start = await browser.get('/login').expect(302);
    const callback = await followOp(start.headers.location!);
    clock.advance(10 * 60 * 1000);
    const res = await browser.get(callback.pathname + callback.search).expect(400);
    expect(res.text).toContain('ERR_AUTH_FLOW_MISSING');
  });

  test("an answer for one IdP at another IdP's callback is refused (mix-up)", async () => {
    const { agent } = await testBridge(op, {
      config: (c) => {
        const demo = c.idps[0]!;
        if (demo.type === 'oidc') c.idps.push({ ...demo, id: 'other', redirectUri: 'http://127.0.0.1:8080/oidc/other/callback' });
      },
    });
    const browser = agent();
    const start = await browser.get('/login?idp=demo').expect(302);
    const callback = await followOp(start.headers.location!);
    const res = await browser.get(`/oidc/other/callback${callback.search}`).expect(400);
    expect(res.text).toContain('ERR_AUTH_STATE_MISMATCH');
  });

  test('an Entra groups overage claim gives an admin-facing error instead of a user without groups', async () => {
    const { agent } = await testBridge(op);
    op.next = { claims: { groups: undefined, _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: 'https://graph' } } } };
    const res = await loginThroughFakeOp(agent(), op);
    expect(res.status).toBe(401);
    expect(res.text).toContain('ERR_AUTH_GROUPS_OVERAGE');
    expect(res.text).toContain('Groups assigned to the application');
  });

  test('a group claim under another name sent as a pointer (a distributed claim) is refused the same way', async () => {
    const { agent } = await testBridge(op, { config: (c) => void ((c.idps[0] as OidcIdp).claims.groups = ['memberOf']) });
    op.next = {
      claims: { groups: undefined, _claim_names: { memberOf: 'src1' }, _claim_sources: { src1: { endpoint: 'https://graph' } } },
    };
    const res = await loginThroughFakeOp(agent(), op);
    expect(res.status).toBe(401);
    expect(res.text).toContain('ERR_AUTH_GROUPS_OVERAGE');
  });

  test('an error answer whose state is not this sign-in’s is not shown as the IdP refusing, and ends nothing', async () => {
    const { agent } = await testBridge(op);
    for (const query of ['error=access_denied&state=forged', 'error=access_denied']) {
      const browser = agent();
      const start = await browser.get('/login').expect(302); // a sign-in in progress: its flow cookie is set
      const res = await browser.get(`/oidc/demo/callback?${query}`).set('Accept', 'text/html');
      expect(res.text).toContain('ERR_AUTH_OTHER_SIGN_IN');
      expect(res.text).not.toContain('not be assigned to rambridge');
      expect((await answerAt(browser, start.headers.location!)).status).toBe(302);
    }
  });

  test('an unknown IdP id is a 404 with its code', async () => {
    const { agent } = await testBridge(op);
    const res = await agent().get('/login?idp=nope').expect(404);
    expect(res.text).toContain('ERR_IDP_UNKNOWN');
  });

  test('users are keyed on (issuer, sub): the session holds the identity from the verified token', async () => {
    const { agent, logLines } = await testBridge(op);
    op.user = { ...op.user, sub: 'stable-sub-42' };
    await loginThroughFakeOp(agent(), op);
    const login = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'login')!;
    expect(login).toMatchObject({ user: { issuer: op.issuer, subject: 'stable-sub-42' }, groups: ['rambridge-dev'] });
    op.user = { ...op.user, sub: 'user-1' };
  });
});
