import type { CliSession } from '../../../src/device/index.js';
import { loginThroughFakeOp, testBridge } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { heldSessionSaves, HoldPoint } from '../../helpers/hold-point.js';
import { storedEntries } from '../../unit/device/store-entries.js';
import { MemoryStore } from '../../../src/store/index.js';
import {
  bearer,
  type Bridge,
  decide,
  loggedIn,
  MOVED_TO_DEV,
  poll,
  READER,
  refresh,
  signedIn,
  started,
  submit,
  withRefreshGroups,
} from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * Issue 6: with `refreshGroups`, a CLI refresh re-reads the user at the IdP (refresh_token grant)
 * so group changes reach the roles at once, an IdP refusing the user ends the CLI session, and an
 * IdP that cannot be reached changes nothing.
 */
let op: FakeOp;
beforeEach(async () => {
  op = await FakeOp.start();
});
afterEach(() => op.close());

async function roleIds(bridge: Bridge, accessToken: string): Promise<string[]> {
  const res = await bridge.agent().get('/api/roles').set(bearer(accessToken)).expect(200);
  return (res.body as { roles: Array<{ id: string }> }).roles.map((r) => r.id).sort();
}

/** The stored CLI sessions, as the store holds them. */
function cliSessions(bridge: Bridge): CliSession[] {
  return storedEntries(bridge.store)
    .filter(([key]) => key.startsWith('cli:session:'))
    .map(([, value]) => JSON.parse(value) as CliSession);
}

const logs = (bridge: Bridge) => bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('refreshGroups: a CLI refresh re-reads the user at the IdP', () => {
  test('the IdP refresh token is connector data: never inside an identity, in the browser session or the CLI session', async () => {
    const bridge = await testBridge(op, { config: withRefreshGroups });
    const browser = await signedIn(bridge, op, READER);
    const browserSessions = () =>
      storedEntries(bridge.store)
        .filter(([key]) => key.startsWith('session:'))
        .map(([, value]) => JSON.parse(value) as { identity: object; connectorData?: { refreshToken?: string } });
    const [atSignIn] = op.liveRefreshTokens();
    expect(browserSessions()[0]!.connectorData?.refreshToken).toBe(atSignIn);
    expect(JSON.stringify(browserSessions()[0]!.identity)).not.toContain(atSignIn);

    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    await decide(browser, user_code, 'approve');
    await poll(cli, device_code).expect(200);
    // Approving moved the token: the CLI session holds it beside its identity, the browser no longer.
    const [session] = cliSessions(bridge);
    expect(session!.connectorData?.refreshToken).toBe(atSignIn);
    expect(JSON.stringify(session!.identity)).not.toContain(atSignIn);
    expect(JSON.stringify(browserSessions())).not.toContain(atSignIn);
  });

  test('groups changed at the IdP change the roles after the next refresh; the rotated IdP token is kept', async () => {
    const bridge = await testBridge(op, { config: withRefreshGroups });
    const { cli, tokens } = await loggedIn(bridge, op, READER);
    expect(op.authorizeRequests.at(-1)!.get('scope')!.split(' ')).toContain('offline_access');
    expect(await roleIds(bridge, tokens.access_token)).toEqual(['dev-readonly', 'prod-readonly']);
    const issuedAtSignIn = op.liveRefreshTokens();
    expect(cliSessions(bridge).map((s) => s.connectorData?.refreshToken)).toEqual(issuedAtSignIn);

    op.user = MOVED_TO_DEV;
    const next = (await refresh(cli, tokens.refresh_token).expect(200)).body as typeof tokens;
    const roles = await roleIds(bridge, next.access_token);
    expect(roles).toContain('dev-admin');
    expect(roles).not.toContain('prod-readonly');
    const whoami = await cli.get('/api/whoami').set(bearer(next.access_token)).expect(200);
    expect(whoami.body).toMatchObject({ subject: READER.sub, groups: ['rambridge-dev'] });
    expect(whoami.body).not.toHaveProperty('upstreamRefreshToken');

    // The IdP rotated its token: the session holds the new one, so the next refresh works too.
    const [rotated] = op.liveRefreshTokens();
    expect(rotated).not.toBe(issuedAtSignIn[0]);
    expect(cliSessions(bridge)[0]!.connectorData?.refreshToken).toBe(rotated);
    await refresh(cli, next.refresh_token).expect(200);
    expect(op.tokenGrants.filter((g) => g === 'refresh_token')).toHaveLength(2);

    expect(logs(bridge).find((l) => l.event === 'upstream-refreshed')).toMatchObject({
      groupsBefore: ['rambridge-readonly'],
      groups: ['rambridge-dev'],
    });
    for (const token of [...issuedAtSignIn, rotated!, ...op.liveRefreshTokens()]) expect(bridge.logLines.join('')).not.toContain(token);
  });

  test.each(['iat', 'auth_time'])('a refreshed ID token with %s in the future is refused: the identity stays as it was', async (claim) => {
    const bridge = await testBridge(op, { config: withRefreshGroups });
    const { cli, tokens } = await loggedIn(bridge, op, READER);
    op.user = MOVED_TO_DEV;
    op.refreshClaims = { [claim]: Math.floor(bridge.clock.now() / 1000) + 3600 };
    const next = (await refresh(cli, tokens.refresh_token).expect(200)).body as typeof tokens;
    expect(await roleIds(bridge, next.access_token)).toEqual(['dev-readonly', 'prod-readonly']);
    expect(logs(bridge).find((l) => l.event === 'upstream-refresh-failed')).toMatchObject({ code: 'ERR_AUTH_TOKEN_INVALID' });
  });

  test('the IdP answering invalid_grant (user disabled, grant revoked) ends the CLI session', async () => {
    const bridge = await testBridge(op, { config: withRefreshGroups });
    const { cli, tokens } = await loggedIn(bridge, op, READER);
    op.refreshBehaviour = 'invalid_grant';
    const res = await refresh(cli, tokens.refresh_token).expect(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant', code: 'ERR_UPSTREAM_REFRESH_DENIED' });
    await cli.get('/api/whoami').set(bearer(tokens.access_token)).expect(401);
    expect(cliSessions(bridge)).toEqual([]);
    expect(logs(bridge).find((l) => l.event === 'cli-session-revoked')).toMatchObject({ level: 40, by: 'idp', subject: READER.sub });
  });

  test.each([
    [400, 'interaction_required'], // Entra: a Conditional Access policy now wants MFA or a new sign-in
    [400, 'login_required'],
    [400, 'consent_required'],
    [403, 'access_denied'],
    [400, 'a_code_nobody_listed'],
  ])('the IdP refusing the refresh with %i %s ends the CLI session too, as invalid_grant does', async (status, error) => {
    const bridge = await testBridge(op, { config: withRefreshGroups });
    const { cli, tokens } = await loggedIn(bridge, op, READER);
    op.refreshBehaviour = { status, error };
    const res = await refresh(cli, tokens.refresh_token).expect(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant', code: 'ERR_UPSTREAM_REFRESH_DENIED' });
    await cli.get('/api/whoami').set(bearer(tokens.access_token)).expect(401);
    expect(cliSessions(bridge)).toEqual([]);
  });

  test.each([
    [401, 'invalid_client'],
    [400, 'unauthorized_client'],
    [400, 'invalid_request'],
    [429, 'slow_down'],
    [400, 'temporarily_unavailable'], // Entra: "retry after a small delay"
    [400, 'server_error'],
    [403, 'insufficient_scope'],
  ])(
    'the IdP answering %i %s (the client’s configuration, a rate limit, or “try again”) keeps the identity, as an outage does',
    async (status, error) => {
      const bridge = await testBridge(op, { config: withRefreshGroups });
      const { cli, tokens } = await loggedIn(bridge, op, READER);
      op.refreshBehaviour = { status, error };
      const next = (await refresh(cli, tokens.refresh_token).expect(200)).body as typeof tokens;
      await cli.get('/api/whoami').set(bearer(next.access_token)).expect(200);
      expect(logs(bridge).find((l) => l.event === 'upstream-refresh-failed')).toMatchObject({ level: 40, subject: READER.sub });
    },
  );

  test('a refreshed ID token for another subject is refused like invalid_grant', async () => {
    const bridge = await testBridge(op, { config: withRefreshGroups });
    const { cli, tokens } = await loggedIn(bridge, op, READER);
    // The fake OP answers for whoever `user` is now, as long as the token was issued to that sub.
    const token = op.liveRefreshTokens()[0]!;
    (op as unknown as { refreshTokens: Map<string, string> }).refreshTokens.set(token, 'mallory');
    op.user = { ...READER, sub: 'mallory' };
    const res = await refresh(cli, tokens.refresh_token).expect(400);
    expect(res.body).toMatchObject({ error: 'invalid_grant', code: 'ERR_UPSTREAM_REFRESH_DENIED' });
    await cli.get('/api/whoami').set(bearer(tokens.access_token)).expect(401);
    expect(logs(bridge).find((l) => l.event === 'cli-session-revoked')).toMatchObject({
      detail: { reason: 'refreshed token names another user', sub: 'mallory' },
    });
  });

  test.each(['down', 'server_error'] as const)(
    'an IdP that is %s keeps the identity: the refresh succeeds, the next one catches up',
    async (behaviour) => {
      const bridge = await testBridge(op, { config: withRefreshGroups });
      const { cli, tokens } = await loggedIn(bridge, op, READER);
      op.user = MOVED_TO_DEV;
      op.refreshBehaviour = behaviour;
      const next = (await refresh(cli, tokens.refresh_token).expect(200)).body as typeof tokens;
      expect(await roleIds(bridge, next.access_token)).toEqual(['dev-readonly', 'prod-readonly']);
      expect(logs(bridge).find((l) => l.event === 'upstream-refresh-failed')).toMatchObject({ level: 40, subject: READER.sub });

      op.refreshBehaviour = 'ok';
      const after = (await refresh(cli, next.refresh_token).expect(200)).body as typeof tokens;
      expect(await roleIds(bridge, after.access_token)).toContain('dev-admin');
    },
  );

  test('each CLI session gets an IdP refresh token of its own: a second approval signs in at the IdP again', async () => {
    const bridge = await testBridge(op, { config: withRefreshGroups });
    const browser = await signedIn(bridge, op, READER);
    const first = bridge.agent();
    const one = await started(first);
    await decide(browser, one.user_code, 'approve');
    const firstTokens = (await poll(first, one.device_code).expect(200)).body as { refresh_token: string };
    // The browser session gave its token away: it no longer holds it.
    const stored = JSON.stringify(storedEntries(bridge.store).filter(([key]) => key.startsWith('session:')));
    expect(stored).not.toContain(op.liveRefreshTokens()[0]!);

    // Recent sign-in, so no forced prompt (no reauth), but a round trip through the IdP.
    const again = await browser.get('/device').expect(302);
    expect(again.headers.location).toMatch(/^\/login\?/);
    expect(new URLSearchParams(again.headers.location!.split('?')[1]).get('reauth')).toBeNull();
    expect((await loginThroughFakeOp(browser, op, '/device')).status).toBe(302);

    const second = bridge.agent();
    const two = await started(second);
    await decide(browser, two.user_code, 'approve');
    const secondTokens = (await poll(second, two.device_code).expect(200)).body as { refresh_token: string };
    const upstream = cliSessions(bridge).map((s) => s.connectorData?.refreshToken);
    expect(new Set(upstream).size).toBe(2);

    // With rotation at the IdP, both sessions keep refreshing.
    await refresh(first, firstTokens.refresh_token).expect(200);
    await refresh(second, secondTokens.refresh_token).expect(200);
  });
});

test('two approvals posted at once from one browser do not both take its IdP refresh token', async () => {
  // The first approval is held at its grant until the second has got as far as it can: both read
  // the browser session (and its token) before either saves it.
  let firstGrant: string | undefined;
  const firstApproval = new HoldPoint();
  class HeldStore extends MemoryStore {
    override async insert(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
      const inserted = await super.insert(key, value, ttlSeconds);
      if (firstGrant !== undefined && key.startsWith('device:upstream-refresh:')) firstApproval.release();
      return inserted;
    }
    override async update<T>(key: string, updater: (current: T) => T, ttlSeconds?: number): Promise<T | undefined> {
      if (key.startsWith('device:grant:') && firstGrant === undefined) {
        firstGrant = key;
        await firstApproval.hold();
      } else if (key.startsWith('device:grant:') && key !== firstGrant) firstApproval.release();
      return super.update(key, updater, ttlSeconds);
    }
  }
  const bridge = await testBridge(op, { config: withRefreshGroups, store: (clock) => new HeldStore(clock) });
  const browser = await signedIn(bridge, op, READER);
  const [first, second] = [bridge.agent(), bridge.agent()];
  const [one, two] = [await started(first), await started(second)];
  const pages = [await submit(browser, one.user_code), await submit(browser, two.user_code)];
  const approve = (userCode: string, page: { text: string }) =>
    browser
      .post('/device')
      .type('form')
      .send({ _csrf: csrfOf(page.text), user_code: userCode, decision: 'approve' });
  const [a, b] = await Promise.all([approve(one.user_code, pages[0]!), approve(two.user_code, pages[1]!)]);

  // One is approved with the token; the other goes through the IdP for a token of its own.
  expect(a.text).toContain('data-testid="device-approved"');
  expect([b.status, b.headers.location]).toEqual([303, `/login?return_to=${encodeURIComponent(`/device?user_code=${two.user_code}`)}`]);
  expect((await loginThroughFakeOp(browser, op, `/device?user_code=${two.user_code}`)).status).toBe(302);
  await decide(browser, two.user_code, 'approve');
  await poll(first, one.device_code).expect(200);
  await poll(second, two.device_code).expect(200);
  const upstream = cliSessions(bridge).map((s) => s.connectorData?.refreshToken);
  expect(upstream).toHaveLength(2);
  expect(new Set(upstream).size).toBe(2);
});

test('a request that saves the browser session back after an approval cannot give its IdP refresh token to a later one', async () => {
  // Another tab's request reads the session (token and all) before the approval, and saves it after.
  const { point, holdNextSave, store } = heldSessionSaves();
  const bridge = await testBridge(op, { config: withRefreshGroups, store });
  const browser = await signedIn(bridge, op, READER);
  const [first, second] = [bridge.agent(), bridge.agent()];
  const one = await started(first);
  const page = await submit(browser, one.user_code);
  bridge.clock.advance(61_000); // the other tab's request will save the session (its last-seen time)
  holdNextSave();
  const stale = browser.get('/roles').then((res) => res);
  await point.reached;
  await browser
    .post('/device')
    .type('form')
    .send({ _csrf: csrfOf(page.text), user_code: one.user_code, decision: 'approve' });
  point.release();
  await stale;
  await poll(first, one.device_code).expect(200);

  // Long after the first code's lifetime, the sign-in still recent: the token the stale save put
  // back is still claimed, so the next approval goes through the IdP for one of its own.
  bridge.clock.advance(20 * 60_000);
  const two = await started(second);
  // The identity is due too, and cannot be re-read: the page itself goes through the IdP first.
  const opened = await browser.get(`/device?user_code=${two.user_code}`);
  expect([opened.status, opened.headers.location]).toEqual([302, expect.stringMatching(/^\/login\?/)]);
  expect((await loginThroughFakeOp(browser, op, `/device?user_code=${two.user_code}`)).status).toBe(302);
  await decide(browser, two.user_code, 'approve');
  await poll(second, two.device_code).expect(200);
  const upstream = cliSessions(bridge).map((s) => s.connectorData?.refreshToken);
  expect(new Set(upstream).size).toBe(2);
});

test('an IdP that gives one refresh token per user, not per sign-in: the second approval goes through the IdP once, then shares it', async () => {
  op.oneRefreshTokenPerUser = true;
  const bridge = await testBridge(op, { config: withRefreshGroups });
  const browser = await signedIn(bridge, op, READER);
  const [first, second] = [bridge.agent(), bridge.agent()];
  const one = await started(first);
  await decide(browser, one.user_code, 'approve');
  await poll(first, one.device_code).expect(200);

  const two = await started(second);
  const entry = await browser.get(`/device?user_code=${two.user_code}`);
  expect([entry.status, entry.headers.location]).toEqual([302, expect.stringMatching(/^\/login\?/)]);
  expect((await loginThroughFakeOp(browser, op, `/device?user_code=${two.user_code}`)).status).toBe(302);
  // The IdP handed the same token to the new sign-in: approved with it, not sent round again.
  const approved = await decide(browser, two.user_code, 'approve');
  expect(approved.text).toContain('data-testid="device-approved"');
  await poll(second, two.device_code).expect(200);
  expect(cliSessions(bridge).map((s) => s.connectorData?.refreshToken)).toEqual([`rt-${READER.sub}`, `rt-${READER.sub}`]);
});

describe('without refreshGroups', () => {
  test('offline_access is not asked for, no IdP refresh token is kept, and a refresh does not call the IdP', async () => {
    const bridge = await testBridge(op);
    const { cli, tokens } = await loggedIn(bridge, op, READER);
    expect(op.authorizeRequests.at(-1)!.get('scope')!.split(' ')).not.toContain('offline_access');
    const [session] = cliSessions(bridge);
    expect(session!.connectorData?.refreshToken).toBeUndefined();
    await refresh(cli, tokens.refresh_token).expect(200);
    expect(op.tokenGrants).not.toContain('refresh_token');
  });
});
