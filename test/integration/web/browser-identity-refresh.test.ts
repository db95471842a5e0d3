import { MemoryStore } from '../../../src/store/index.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { heldSessionSaves } from '../../helpers/hold-point.js';
import { loginThroughFakeOp, testBridge } from '../../helpers/bridge.js';
import {
  bearer,
  type Bridge,
  decide,
  MOVED_TO_DEV,
  poll,
  READER,
  refresh,
  signedIn,
  started,
  withRefreshGroups,
} from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';
import { storedEntries } from '../../unit/device/store-entries.js';

/**
 * Pentest s14 finding 2: with `refreshGroups`, a browser session re-reads the user at the IdP once
 * its identity is older than one CLI access-token lifetime (10 min), as CLI refreshes do.
 */
let op: FakeOp;
beforeEach(async () => {
  op = await FakeOp.start();
});
afterEach(() => op.close());

const INTERVAL = 10 * 60_000;

const logs = (bridge: Bridge) => bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
const idpRefreshes = () => op.tokenGrants.filter((g) => g === 'refresh_token').length;

async function bridgeWith(options: Parameters<typeof testBridge<MemoryStore>>[1] = {}) {
  const bridge = await testBridge(op, { config: withRefreshGroups, ...options });
  op.now = () => bridge.clock.now();
  return bridge;
}

type Agent = Awaited<ReturnType<typeof signedIn>>;
const pickerRoles = async (browser: Agent) =>
  [...(await browser.get('/roles').expect(200)).text.matchAll(/data-role-id="([^"]+)"/g)].map((m) => m[1]).sort();

async function usesRole(browser: Agent, path: '/roles/credentials' | '/roles/console', role: string): Promise<number> {
  const page = await browser.get('/roles').expect(200);
  const res = await browser
    .post(path)
    .type('form')
    .send({ _csrf: csrfOf(page.text), role, duration: '3600' });
  return res.status;
}

test('a group removed at the IdP leaves the picker after the interval; its console and credentials are refused', async () => {
  const bridge = await bridgeWith();
  const browser = await signedIn(bridge, op, READER);
  op.user = MOVED_TO_DEV;
  bridge.clock.advance(INTERVAL - 1000);
  expect(await pickerRoles(browser)).toContain('prod-readonly'); // not yet due
  expect(idpRefreshes()).toBe(0);

  bridge.clock.advance(1000);
  const roles = await pickerRoles(browser);
  expect(roles).not.toContain('prod-readonly');
  expect(roles).toContain('dev-admin');
  expect(idpRefreshes()).toBe(1);
  expect(await usesRole(browser, '/roles/credentials', 'prod-readonly')).toBe(403);
  expect(await usesRole(browser, '/roles/console', 'prod-readonly')).toBe(403);
  expect(await usesRole(browser, '/roles/credentials', 'dev-admin')).toBe(501); // granted (no STS in this bridge)
  expect(idpRefreshes()).toBe(1); // once per interval
  expect(logs(bridge).find((l) => l.event === 'upstream-refreshed')).toMatchObject({
    session: 'browser',
    groupsBefore: ['rambridge-readonly'],
    groups: ['rambridge-dev'],
  });
  // The rotated IdP token was kept: the next interval's re-read works too.
  bridge.clock.advance(INTERVAL);
  op.user = READER;
  expect(await pickerRoles(browser)).toContain('prod-readonly');
  expect(idpRefreshes()).toBe(2);
  for (const token of op.liveRefreshTokens()) expect(bridge.logLines.join('')).not.toContain(token);
});

test('a user disabled at the IdP: the browser session ends at the next request after the interval', async () => {
  const bridge = await bridgeWith();
  const browser = await signedIn(bridge, op, READER);
  op.refreshBehaviour = 'invalid_grant';
  bridge.clock.advance(INTERVAL);
  const res = await browser.get('/roles').set('Accept', 'text/html').expect(302);
  expect(res.headers.location).toBe('/login?return_to=%2Froles&expired=1');
  expect(logs(bridge).find((l) => l.event === 'session-ended' && !l.audit)).toMatchObject({ level: 40, by: 'idp', subject: READER.sub });
  expect(logs(bridge).find((l) => l.event === 'session-ended' && l.audit === true)).toMatchObject({
    by: 'idp',
    user: { subject: READER.sub },
    msg: 'browser session ended',
  });
  expect(storedEntries(bridge.store).filter(([key]) => key.startsWith('session:'))).toEqual([]);
  // Signing in again is the way back (the IdP decides).
  await browser.get('/roles').expect(302);
});

test('an IdP that cannot be asked keeps the identity, warned once per interval', async () => {
  const bridge = await bridgeWith();
  const browser = await signedIn(bridge, op, READER);
  op.user = MOVED_TO_DEV;
  op.refreshBehaviour = 'down';
  bridge.clock.advance(INTERVAL);
  expect(await pickerRoles(browser)).toContain('prod-readonly');
  expect(await pickerRoles(browser)).toContain('prod-readonly');
  bridge.clock.advance(INTERVAL / 2);
  expect(await usesRole(browser, '/roles/credentials', 'prod-readonly')).toBe(501);
  const failed = () => logs(bridge).filter((l) => l.event === 'upstream-refresh-failed');
  expect(failed()).toHaveLength(1);
  expect(failed()[0]).toMatchObject({ level: 40, session: 'browser', subject: READER.sub });

  // Back up: the next interval asks again and the new groups arrive.
  op.refreshBehaviour = 'ok';
  bridge.clock.advance(INTERVAL / 2);
  expect(await pickerRoles(browser)).not.toContain('prod-readonly');
  expect(failed()).toHaveLength(1);
});

async function approvalAfterUnansweredReread(behaviour: 'server_error' | 'down') {
  op.rotateRefreshTokens = false;
  const bridge = await bridgeWith();
  const browser = await signedIn(bridge, op, READER);
  op.refreshBehaviour = behaviour;
  bridge.clock.advance(INTERVAL);
  await pickerRoles(browser); // the re-read goes unanswered
  op.refreshBehaviour = 'ok';
  bridge.clock.advance(60_000);
  const cli = bridge.agent();
  const { user_code } = await started(cli);
  return approvalAnswer(browser, user_code);
}

/** Opens the code's page, confirms it and approves, as the pages do; the approval's answer, whatever it is. */
async function approvalAnswer(browser: Agent, user_code: string) {
  const form = await browser.get(`/device?user_code=${user_code}`).expect(200);
  const confirm = await browser
    .post('/device')
    .type('form')
    .send({ _csrf: csrfOf(form.text), user_code })
    .expect(200);
  return browser
    .post('/device')
    .type('form')
    .send({ _csrf: csrfOf(confirm.text), user_code, decision: 'approve' });
}

test('an error answer from the IdP at a re-read leaves its token to the next approval', async () => {
  expect((await approvalAfterUnansweredReread('server_error')).status).toBe(200); // approved (a 503 temporarily_unavailable)
});

test('a dropped connection at a re-read keeps the claim: the IdP may have spent the token', async () => {
  const res = await approvalAfterUnansweredReread('down');
  expect([res.status, res.headers.location]).toEqual([303, expect.stringMatching(/^\/login\?/)]);
});

test('two requests at once: one asks the IdP, the other goes on with the identity it has', async () => {
  // The first re-read is held at the IdP's answer until the second request has been through.
  const { point, holdNextSave, store } = heldSessionSaves();
  const bridge = await bridgeWith({ store });
  const browser = await signedIn(bridge, op, READER);
  op.user = MOVED_TO_DEV;
  bridge.clock.advance(INTERVAL);
  holdNextSave();
  // The first request re-reads, and is held saving the session; the second read the session before.
  const first = browser.get('/roles').then((res) => res);
  await point.reached;
  const second = await browser.get('/roles');
  point.release();
  expect(second.status).toBe(200);
  expect((await first).status).toBe(200);
  expect(second.text).toContain('data-role-id="prod-readonly"');
  expect(idpRefreshes()).toBe(1);
  expect(logs(bridge).filter((l) => l.event === 'session-ended')).toEqual([]);
  expect(await pickerRoles(browser)).not.toContain('prod-readonly');
  expect(idpRefreshes()).toBe(1);
});

test('a request that read the session before a re-read and saves it after does not bring back the old identity', async () => {
  const { point, holdNextSave, store } = heldSessionSaves();
  const bridge = await bridgeWith({ store });
  const browser = await signedIn(bridge, op, READER);
  // Not yet due, but a minute on: this request saves the session (its last-seen time).
  bridge.clock.advance(INTERVAL - 1000);
  holdNextSave();
  const stale = browser.get('/roles').then((res) => res);
  await point.reached;
  op.user = MOVED_TO_DEV;
  bridge.clock.advance(1000);
  const reread = await pickerRoles(browser).finally(() => point.release());
  expect(reread).not.toContain('prod-readonly'); // re-read, saved
  await stale; // saves what it read: the old identity and the IdP token the re-read spent
  expect(await pickerRoles(browser)).not.toContain('prod-readonly');
  bridge.clock.advance(INTERVAL);
  expect(await pickerRoles(browser)).toContain('dev-admin');
  expect(idpRefreshes()).toBe(2); // the rotated token, not the spent one
  expect(logs(bridge).filter((l) => l.event === 'session-ended')).toEqual([]);
});

test('a CLI login approved after the interval carries the re-read groups', async () => {
  const bridge = await bridgeWith();
  const browser = await signedIn(bridge, op, READER);
  op.user = MOVED_TO_DEV;
  bridge.clock.advance(INTERVAL);
  const cli = bridge.agent();
  const { device_code, user_code } = await started(cli);
  await decide(browser, user_code, 'approve');
  const tokens = (await poll(cli, device_code).expect(200)).body as { access_token: string };
  const roles = (await cli.get('/api/roles').set(bearer(tokens.access_token)).expect(200)).body as { roles: Array<{ id: string }> };
  expect(roles.roles.map((r) => r.id)).not.toContain('prod-readonly');
  expect(roles.roles.map((r) => r.id)).toContain('dev-admin');
});

test('after a CLI approval took the IdP refresh token, the browser signs in again when its identity is due', async () => {
  const bridge = await bridgeWith();
  const browser = await signedIn(bridge, op, READER);
  const cli = bridge.agent();
  const { device_code, user_code } = await started(cli);
  await decide(browser, user_code, 'approve');
  await poll(cli, device_code).expect(200);
  op.user = MOVED_TO_DEV;
  bridge.clock.advance(INTERVAL - 1000);
  expect(await pickerRoles(browser)).toContain('prod-readonly'); // not yet due

  bridge.clock.advance(1000);
  // The verification page makes the round trip itself, keeping the code, with no new prompt.
  const device = await browser.get('/device?user_code=BCDF-GHJK').expect(302);
  expect(device.headers.location).toBe(`/login?${new URLSearchParams({ return_to: '/device?user_code=BCDF-GHJK' }).toString()}`);
  const res = await browser.get('/roles').set('Accept', 'text/html').expect(302);
  expect(res.headers.location).toBe('/login?return_to=%2Froles');
  expect(logs(bridge).find((l) => l.event === 'session-ended')).toMatchObject({ by: 'refresh-token-taken', subject: READER.sub });
  expect((await loginThroughFakeOp(browser, op, '/roles')).status).toBe(302);
  expect(await pickerRoles(browser)).not.toContain('prod-readonly');
});

test.each(['/logout', '/logout/', '/LOGOUT'])(
  'sign-out (%s) with cli_sessions=end after a CLI approval took the IdP token, the identity due: the CLI sessions end',
  async (path) => {
    const bridge = await bridgeWith();
    const browser = await signedIn(bridge, op, READER);
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    await decide(browser, user_code, 'approve');
    const tokens = (await poll(cli, device_code).expect(200)).body as { refresh_token: string };
    bridge.clock.advance(INTERVAL / 2);
    const csrf = csrfOf((await browser.get('/sessions').expect(200)).text);
    bridge.clock.advance(INTERVAL / 2 + 1000); // due, not idle
    // The router matches /logout ignoring case and a trailing slash: so must the re-read's exception.
    await browser.post(path).type('form').send({ _csrf: csrf, cli_sessions: 'end' }).expect(303);
    expect((await browser.get('/signed-out').expect(200)).text).toContain('data-testid="cli-sessions-ended"');
    await refresh(cli, tokens.refresh_token).expect(400);
    expect(logs(bridge).some((l) => l.event === 'logout')).toBe(true);
    expect(idpRefreshes()).toBe(0); // signing out spends nothing at the IdP
  },
);

test('a request that read the session before an approval and saves it after: the identity still cannot outlive the interval', async () => {
  const { point, holdNextSave, store } = heldSessionSaves();
  const bridge = await bridgeWith({ store });
  const browser = await signedIn(bridge, op, READER);
  const cli = bridge.agent();
  const { device_code, user_code } = await started(cli);
  bridge.clock.advance(61_000); // the other tab's request will save the session (its last-seen time)
  holdNextSave();
  const stale = browser.get('/roles').then((res) => res);
  await point.reached;
  await decide(browser, user_code, 'approve').finally(() => point.release());
  await stale; // puts the token the approval took back into the session
  await poll(cli, device_code).expect(200);
  op.user = MOVED_TO_DEV;
  bridge.clock.advance(INTERVAL);
  await browser.get('/roles').set('Accept', 'text/html').expect(302);
  expect(idpRefreshes()).toBe(0); // the token the CLI session holds was not spent
});

test('without refreshGroups the browser session never asks the IdP', async () => {
  const bridge = await testBridge(op);
  op.now = () => bridge.clock.now();
  const browser = await signedIn(bridge, op, READER);
  op.user = MOVED_TO_DEV;
  bridge.clock.advance(INTERVAL + 1000);
  expect(await pickerRoles(browser)).toContain('prod-readonly');
  expect(idpRefreshes()).toBe(0);
});

test('an IdP that gives no refresh token: warned at sign-in; the browser goes through the IdP when due, the CLI session ends at its refresh', async () => {
  (op as unknown as { newRefreshToken: () => undefined }).newRefreshToken = () => undefined;
  const bridge = await bridgeWith();
  const browser = await signedIn(bridge, op, READER);
  const unavailable = () => logs(bridge).filter((l) => l.event === 'upstream-refresh-unavailable');
  expect(unavailable()).toEqual([expect.objectContaining({ level: 40, idp: 'demo', subject: READER.sub })]);
  const cli = bridge.agent();
  const { device_code, user_code } = await started(cli);
  await decide(browser, user_code, 'approve');
  const tokens = (await poll(cli, device_code).expect(200)).body as { refresh_token: string };

  bridge.clock.advance(INTERVAL);
  const res = await browser.get('/roles').set('Accept', 'text/html').expect(302);
  expect(res.headers.location).toBe('/login?return_to=%2Froles');
  expect(logs(bridge).find((l) => l.event === 'session-ended')).toMatchObject({ by: 'upstream-refresh-unavailable' });
  await refresh(cli, tokens.refresh_token).expect(400);
  expect(logs(bridge).find((l) => l.event === 'cli-session-revoked')).toMatchObject({ by: 'upstream-refresh-unavailable' });
  expect(logs(bridge).find((l) => l.event === 'cli-session-revoked' && l.audit === true)).toMatchObject({
    by: 'upstream-refresh-unavailable',
    user: expect.objectContaining({ subject: READER.sub }),
  });
  expect(idpRefreshes()).toBe(0);
  expect(unavailable()).toHaveLength(1); // once per sign-in
});

test('an IdP that gives no refresh token, the identity due: the verification page goes through the IdP before an approval', async () => {
  (op as unknown as { newRefreshToken: () => undefined }).newRefreshToken = () => undefined;
  const bridge = await bridgeWith();
  const browser = await signedIn(bridge, op, READER);
  op.user = MOVED_TO_DEV; // removed from the readonly group at the IdP
  bridge.clock.advance(INTERVAL + 5 * 60_000); // due, and still a recent sign-in for the device page
  const { user_code } = await started(bridge.agent());
  const form = await browser.get(`/device?user_code=${user_code}`).expect(302);
  expect(form.headers.location).toMatch(/^\/login\?/);
  expect(decodeURIComponent(form.headers.location!)).toContain(`/device?user_code=${user_code}`);
});

test('a 5xx whose body is not an OAuth error the IdP gives (a gateway’s timeout page) keeps the claim: the IdP may have spent the token', async () => {
  const bridge = await bridgeWith();
  const browser = await signedIn(bridge, op, READER);
  op.refreshBehaviour = { status: 504, error: 'Gateway Timeout' };
  bridge.clock.advance(INTERVAL);
  await browser.get('/roles').expect(200);
  const failed = logs(bridge).find((l) => l.event === 'upstream-refresh-failed') as { detail?: Record<string, unknown> };
  expect(failed.detail?.refreshTokenUnspent).toBeUndefined();
  op.refreshBehaviour = 'ok';
  const { user_code } = await started(bridge.agent());
  const approve = await approvalAnswer(browser, user_code);
  // The claim stays with the re-read: the approval goes through the IdP for a token of its own.
  expect(approve.status).toBe(303);
});
