import { FakeOp } from '../../helpers/fake-op.js';
import { loginThroughFakeOp, testBridge } from '../../helpers/bridge.js';

/**
 * OIDC failures that name their cause, for the admin reading the log and the user reading the
 * page: a refused client secret, a discovery document for another issuer, the library's real
 * reason for a refused ID token, and a groups claim the IdP did not send.
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(async () => {
  await op.close();
});
afterEach(() => {
  op.challengeInvalidClient = false;
  op.discoveryIssuer = undefined;
  op.tokenAnswer = undefined;
});

type LogLine = Record<string, unknown> & { detail?: Record<string, unknown> };
const parsed = (lines: string[]): LogLine[] => lines.map((l) => JSON.parse(l) as LogLine);
const refusal = (lines: string[], code: string) => parsed(lines).find((l) => l.code === code);

describe('errors that name their cause', () => {
  test.each([
    ['a JSON invalid_client', false],
    ['a WWW-Authenticate challenge', true],
  ])('a wrong client secret (%s) is ERR_IDP_CLIENT_REJECTED, saying the IdP refused the client credentials', async (_name, challenge) => {
    op.challengeInvalidClient = challenge;
    const { agent, logLines } = await testBridge({ issuer: op.issuer, clientSecret: 'not-the-secret' });
    const res = await loginThroughFakeOp(agent().set('Accept', 'text/html'), op);
    expect(res.status).toBe(502);
    expect(res.text).toContain('ERR_IDP_CLIENT_REJECTED');
    expect(res.text).toContain('refused rambridge&#39;s client credentials');
    const line = refusal(logLines, 'ERR_IDP_CLIENT_REJECTED')!;
    expect(line.detail).toMatchObject({ idp: 'demo', httpStatus: 401 });
    if (!challenge) expect(line.detail!.idpError).toBe('invalid_client');
    expect(logLines.join('')).not.toContain('not-the-secret');
  });

  test('a discovery document naming another issuer is ERR_IDP_ISSUER_MISMATCH, with both issuers in the log', async () => {
    op.discoveryIssuer = 'https://login.example.com/tenant-a';
    const { agent, logLines } = await testBridge(op);
    const res = await agent().get('/login').expect(502);
    expect(res.body.code).toBe('ERR_IDP_ISSUER_MISMATCH');
    expect(refusal(logLines, 'ERR_IDP_ISSUER_MISMATCH')!.detail).toMatchObject({
      idp: 'demo',
      configuredIssuer: op.issuer,
      discoveredIssuer: 'https://login.example.com/tenant-a',
    });
    expect((await agent().get('/readyz').expect(200)).body.idps.demo).toEqual({ status: 'failing', code: 'ERR_IDP_ISSUER_MISMATCH' });
  });

  test("a refused ID token logs the library's real reason, different for each refusal", async () => {
    const reasons: string[] = [];
    for (const claims of [{ aud: 'someone-else' }, { nonce: 'not-the-nonce' }, { iss: 'https://evil.example.com' }]) {
      const { agent, logLines } = await testBridge(op);
      op.next = { claims };
      expect((await loginThroughFakeOp(agent(), op)).status).toBe(401);
      const detail = refusal(logLines, 'ERR_AUTH_TOKEN_INVALID')!.detail!;
      reasons.push(String(detail.error));
      expect(detail.claim).toBe(Object.keys(claims)[0]);
    }
    expect(new Set(reasons).size).toBe(3);
    // The outer sentence is openid-client's generic one; the cause after it names the check.
    for (const [i, reason] of reasons.entries()) expect(reason).toMatch(new RegExp(` <- OAUTH_.*"${['aud', 'nonce', 'iss'][i]}"`));
    expect(reasons.join()).not.toMatch(/not-the-nonce|someone-else|evil\.example/);
  });

  test('a groups claim the IdP did not send is logged as such, and the no-roles page names the expected claim', async () => {
    const { agent, logLines } = await testBridge(op);
    const browser = agent();
    op.next = { claims: { groups: undefined } };
    await loginThroughFakeOp(browser, op);
    const page = await browser.get('/roles').expect(403);
    expect(page.text).toContain('data-testid="groups-claim"');
    expect(page.text).toMatch(/<code>groups<\/code>/);
    const warning = parsed(logLines).find((l) => l.event === 'groups-missing');
    expect(warning).toMatchObject({ idp: 'demo', expectedClaims: ['groups'] });
  });
});

describe('callbacks whose code the IdP refuses (SECURITY.md, "GET /oidc/:idp/callback")', () => {
  /** What a script does: a fresh flow from GET /login, then a made-up code. */
  async function madeUpCode(bridge: Awaited<ReturnType<typeof testBridge>>, i: number) {
    const client = bridge.agent();
    const start = await client.get('/login').expect(302);
    const state = new URL(start.headers.location!).searchParams.get('state')!;
    return client.get(`/oidc/demo/callback?code=made-up-${i}&state=${state}`).set('Accept', 'application/json');
  }

  test('after 30 from one address in 10 minutes, its callbacks are refused without asking the IdP', async () => {
    const bridge = await testBridge(op);
    const before = op.tokenGrants.length;
    for (let i = 0; i < 30; i++) expect((await madeUpCode(bridge, i)).status).toBe(401);
    const limited = await madeUpCode(bridge, 30);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('ERR_RATE_LIMITED');
    expect(op.tokenGrants.length - before).toBe(30);
    // The window slides: ten minutes later the address is heard again.
    bridge.clock.advance(10 * 60_000);
    expect((await madeUpCode(bridge, 31)).status).toBe(401);
  });

  test.each([
    ['a page that is not an OAuth error (a proxy’s or firewall’s)', { 'content-type': 'text/html' }, '<h1>Bad Request</h1>'],
    ['a WWW-Authenticate challenge', { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_grant"' }, '{}'],
  ])('a 400 written as %s counts as a refused code too', async (_name, headers, body) => {
    const bridge = await testBridge(op);
    op.tokenAnswer = { status: 400, headers, body };
    const before = op.tokenGrants.length;
    for (let i = 0; i < 30; i++) expect((await madeUpCode(bridge, i)).body.code).toBe('ERR_AUTH_IDP_ERROR');
    expect((await madeUpCode(bridge, 30)).status).toBe(429);
    expect(op.tokenGrants.length - before).toBe(30);
  });

  test('a 502 page from a proxy is the IdP failing, not a refused code: not counted', async () => {
    const bridge = await testBridge(op);
    op.tokenAnswer = { status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>Bad Gateway</h1>' };
    for (let i = 0; i < 31; i++) expect((await madeUpCode(bridge, i)).body.code).toBe('ERR_IDP_UNREACHABLE');
  });

  test('sign-ins that succeed are not counted: one address signs in as often as its people do', async () => {
    const bridge = await testBridge(op);
    for (let i = 0; i < 40; i++) expect((await loginThroughFakeOp(bridge.agent(), op)).status).toBe(302);
  });
});
