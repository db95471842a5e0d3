import { loginThroughFakeOp, testBridge } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import type { BridgeConfig, Idp } from '../../../src/config/index.js';
import type { StsClient } from '../../../src/sts/index.js';
import type { Store } from '../../../src/store/index.js';
import { BridgeError } from '../../../src/errors.js';
import { RolePreferences } from '../../../src/preferences/index.js';
import { ALICE, bearer, CLIENT_ID, decide, loggedIn, poll, refresh, signedIn, started } from '../../helpers/device-flow.js';

/**
 * After the device login: refresh with rotation and reuse detection (RFC 6749 §6, BCP §4.14),
 * the absolute session lifetime, revocation (RFC 7009), and the bearer API (RFC 6750).
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());

const HOUR = 3600_000;
const wholeSeconds = (ms: number) => Math.floor(ms / 1000) * 1000;
const CANARY = 'CANARY-secret-0123456789';

/** An STS that answers every AssumeRoleWith* with fixed credentials whose secret is a canary. */
function fakeSts(calls: unknown[] = []): StsClient {
  const answer = (roleArn: string) => ({
    credentials: {
      accessKeyId: 'STS.AK',
      accessKeySecret: CANARY,
      securityToken: 'CANARY-token',
      expiration: new Date(Date.UTC(2030, 0, 1, 12, 0, 0, 123)),
    },
    assumedRoleUser: { arn: `${roleArn.replace(':role/', ':assumed-role/')}/alice`, assumedRoleId: 'id' },
    requestId: 'req-1',
  });
  return {
    assumeRoleWithSaml: (input) =>
      Promise.resolve(
        (calls.push(input), { ...answer(input.roleArn), samlAssertionInfo: { subjectType: '', subject: '', recipient: '', issuer: '' } }),
      ),
    assumeRoleWithOidc: (input) =>
      Promise.resolve((calls.push(input), { ...answer(input.roleArn), oidcTokenInfo: { issuer: '', subject: '', clientIds: [] } })),
    assumeRole: (input) => Promise.resolve((calls.push(input), answer(input.roleArn))),
    getCallerIdentity: () => Promise.reject(new Error('unused')),
  };
}

describe('refresh', () => {
  test('rotates: each refresh token works once and the new access token works', async () => {
    const bridge = await testBridge(op);
    const { cli, tokens } = await loggedIn(bridge, op);
    bridge.clock.advance(HOUR);
    const next = await refresh(cli, tokens.refresh_token).expect(200);
    expect(next.headers['cache-control']).toBe('no-store');
    expect(next.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
      refresh_token: expect.any(String),
    });
    expect(next.body.refresh_token).not.toBe(tokens.refresh_token);
    await cli.get('/api/whoami').set(bearer(next.body.access_token)).expect(200);
    await refresh(cli, next.body.refresh_token).expect(200);
  });

  test('reuse of a rotated refresh token revokes the family: every token of the session stops working', async () => {
    const bridge = await testBridge(op);
    const { cli, tokens } = await loggedIn(bridge, op);
    const next = (await refresh(cli, tokens.refresh_token).expect(200)).body;
    const reuse = await refresh(cli, tokens.refresh_token).expect(400);
    expect(reuse.body).toMatchObject({ error: 'invalid_grant', code: 'ERR_REFRESH_TOKEN_REUSED' });
    expect((await refresh(cli, next.refresh_token).expect(400)).body).toMatchObject({
      error: 'invalid_grant',
      code: 'ERR_REFRESH_TOKEN_INVALID',
    });
    await cli.get('/api/whoami').set(bearer(next.access_token)).expect(401);
    const warning = bridge.logLines.map((l) => JSON.parse(l)).find((l) => l.code === 'ERR_REFRESH_TOKEN_REUSED');
    expect(warning).toMatchObject({ level: 40, detail: { subject: 'alice-sub' } });
  });

  test('the absolute session lifetime (12 h) ends refresh, however active the session', async () => {
    const bridge = await testBridge(op);
    const { cli, tokens } = await loggedIn(bridge, op);
    let current = tokens;
    for (let h = 1; h < 12; h++) {
      bridge.clock.advance(HOUR);
      current = (await refresh(cli, current.refresh_token).expect(200)).body;
    }
    bridge.clock.advance(HOUR - 300_000);
    const last = (await refresh(cli, current.refresh_token).expect(200)).body;
    expect(last.expires_in).toBe(300); // capped at the session's end
    const who = await cli.get('/api/whoami').set(bearer(last.access_token)).expect(200);
    expect(Date.parse(who.body.sessionExpiresAt)).toBe(wholeSeconds(bridge.clock.now() + 300_000));
    bridge.clock.advance(300_000);
    expect((await refresh(cli, last.refresh_token).expect(400)).body).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('revocation (RFC 7009)', () => {
  test('revoking the refresh token ends the session: its access token fails at once', async () => {
    const bridge = await testBridge(op);
    const { cli, tokens } = await loggedIn(bridge, op);
    const res = await cli
      .post('/oauth/revoke')
      .type('form')
      .send({ token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: CLIENT_ID })
      .expect(200);
    expect(res.text).toBe('');
    await cli.get('/api/whoami').set(bearer(tokens.access_token)).expect(401);
    await refresh(cli, tokens.refresh_token).expect(400);
  });

  test('revoking the access token ends the session too (hint or no hint)', async () => {
    const bridge = await testBridge(op);
    const { cli, tokens } = await loggedIn(bridge, op);
    await cli
      .post('/oauth/revoke')
      .type('form')
      .send({ token: tokens.access_token, token_type_hint: 'refresh_token', client_id: CLIENT_ID })
      .expect(200);
    await refresh(cli, tokens.refresh_token).expect(400);
    // Revoked again (a second logout): 200 as before, but no second record of a revocation that did not happen.
    await cli.post('/oauth/revoke').type('form').send({ token: tokens.access_token, client_id: CLIENT_ID }).expect(200);
    const records = bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.filter((r) => r.event === 'cli-session-revoked' && r.by === 'client')).toHaveLength(1);
  });

  test('unknown tokens still answer 200; other clients and a missing token do not', async () => {
    const bridge = await testBridge(op);
    const { cli, tokens } = await loggedIn(bridge, op);
    await cli.post('/oauth/revoke').type('form').send({ token: 'nonsense', client_id: CLIENT_ID }).expect(200);
    await cli.post('/oauth/revoke').type('form').send({ token: 'a.b.c', client_id: CLIENT_ID }).expect(200);
    await cli
      .post('/oauth/revoke')
      .type('form')
      .send({ token: tokens.refresh_token, client_id: 'other' })
      .expect(401, /invalid_client/);
    await cli
      .post('/oauth/revoke')
      .type('form')
      .send({ client_id: CLIENT_ID })
      .expect(400, /invalid_request/);
    await cli.get('/api/whoami').set(bearer(tokens.access_token)).expect(200);
  });
});

test('a body that fails to parse never reaches the log, with the tokens it carries', async () => {
  const bridge = await testBridge(op);
  const { cli, tokens } = await loggedIn(bridge, op);
  const before = bridge.logLines.length;
  await cli
    .post('/oauth/token')
    .set('Content-Type', 'application/json')
    .send(`{"grant_type":"refresh_token","refresh_token":"${tokens.refresh_token}",`)
    .expect(400);
  await cli
    .post('/api/credentials')
    .set(bearer(tokens.access_token))
    .set('Content-Type', 'application/json')
    .send(`{"role":"dev-admin","note":"${CANARY}"`)
    .expect(400);
  const lines = bridge.logLines.slice(before).join('\n');
  expect(lines).toContain('ERR_BAD_REQUEST');
  expect(lines).not.toContain(tokens.refresh_token);
  expect(lines).not.toContain(CANARY);
});

describe.each([
  ['removed from the configuration', (idp: Idp) => (idp.id = 'replacement')],
  ['pointed at another issuer (another tenant)', (idp: Idp) => (idp.issuer = 'https://other-tenant.example.com')],
])("an IdP %s ends its users' CLI sessions", (_change, change) => {
  /** The same bridge (store, clock, keys) started again with the IdP changed: as a reload would. */
  async function withoutItsIdp(storeAfter: (store: Store) => Store = (store) => store) {
    const before = await testBridge(op);
    const { cli, tokens } = await loggedIn(before, op);
    const after = await testBridge(op, {
      clock: before.clock,
      store: () => storeAfter(before.store),
      config: (c) => void change(c.idps[0]!),
    });
    const started = before.logLines
      .map((l) => JSON.parse(l) as { event?: string; sid?: string })
      .find((l) => l.event === 'cli-session-started');
    return { after, agent: after.agent(), tokens, cli, sid: started!.sid };
  }

  test('the bearer API refuses the session and ends it, with an audit record naming the user', async () => {
    const { after, agent, tokens, sid } = await withoutItsIdp();
    const res = await agent.get('/api/roles').set(bearer(tokens.access_token)).expect(401);
    expect(res.headers['www-authenticate']).toContain('invalid_token');
    const revoked = after.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'cli-session-revoked');
    expect(revoked).toEqual([
      expect.objectContaining({ audit: true, by: 'config', sid, user: expect.objectContaining({ subject: ALICE.sub }) }),
    ]);
    expect((await refresh(agent, tokens.refresh_token)).status).toBe(400);
  });

  test('a session another call ended first (another instance, at the same moment) is not recorded twice', async () => {
    // The store ends the session itself as the revocation takes it: someone else's revocation won.
    const { after, agent, tokens } = await withoutItsIdp((store) =>
      Object.assign(Object.create(store) as Store, {
        consume: async <T>(key: string) => {
          const value = await store.consume<T>(key);
          return key.startsWith('cli:session:') ? undefined : value;
        },
      }),
    );
    await agent.get('/api/roles').set(bearer(tokens.access_token)).expect(401);
    const revoked = after.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'cli-session-revoked');
    expect(revoked).toEqual([]);
  });

  test('a refresh ends it too', async () => {
    const { agent, tokens } = await withoutItsIdp();
    const res = await refresh(agent, tokens.refresh_token);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
    await agent.get('/api/roles').set(bearer(tokens.access_token)).expect(401);
  });
});

describe('pass-through roles (the IdP’s own ID token goes to STS)', () => {
  const passThrough = (c: BridgeConfig) => {
    const role = c.roles.find((r) => r.id === 'dev-readonly')!;
    role.oidcPassThrough = { provider: 'corporate' };
    role.providerArn = 'acs:ram::1111222233334444:oidc-provider/corporate';
  };
  afterEach(() => (op.now = Date.now));

  test('a CLI login approved once the kept ID token is half spent goes through the IdP for a fresh one', async () => {
    const calls: Array<{ oidcToken?: string }> = [];
    const bridge = await testBridge(op, { sts: fakeSts(calls), config: passThrough });
    op.now = () => bridge.clock.now(); // the fake OP's ID tokens live 300 s on the bridge's clock
    const browser = await signedIn(bridge, op);
    bridge.clock.advance(200_000); // the sign-in is recent; its ID token has 100 s left
    const cli = bridge.agent();
    const { user_code, device_code } = await started(cli);
    const entry = await browser.get(`/device?user_code=${user_code}`);
    expect([entry.status, new URLSearchParams(entry.headers.location!.split('?')[1]).get('reauth')]).toEqual([302, null]);
    expect((await loginThroughFakeOp(browser, op, `/device?user_code=${user_code}`)).status).toBe(302);
    await decide(browser, user_code, 'approve');
    const tokens = (await poll(cli, device_code).expect(200)).body as { access_token: string };

    bridge.clock.advance(150_000); // past the first ID token's expiry, well within the fresh one's
    await cli.post('/api/credentials').set(bearer(tokens.access_token)).send({ role: 'dev-readonly', durationSeconds: 900 }).expect(200);
    expect(calls).toHaveLength(1);
  });
});

describe('bearer API', () => {
  test('whoami answers the identity the user approved with, and the session end', async () => {
    const bridge = await testBridge(op);
    const { cli, tokens } = await loggedIn(bridge, op);
    const res = await cli.get('/api/whoami').set(bearer(tokens.access_token)).expect(200);
    expect(res.body).toEqual({
      idp: 'demo',
      issuer: op.issuer,
      subject: 'alice-sub',
      email: 'alice@example.com',
      name: 'Alice',
      groups: ['rambridge-dev'],
      amr: ['pwd'],
      sessionExpiresAt: new Date(wholeSeconds(bridge.clock.now() + 12 * HOUR)).toISOString().replace('.000Z', 'Z'),
    });
  });

  test('roles: the current mapping, with maximum durations capped for elevated roles', async () => {
    const bridge = await testBridge(op, {
      config: (c) => {
        c.roles.find((r) => r.id === 'dev-admin')!.elevated = true;
        c.elevation.maxSessionDuration = 1800;
      },
    });
    const { cli, tokens } = await loggedIn(bridge, op);
    const res = await cli.get('/api/roles').set(bearer(tokens.access_token)).expect(200);
    expect(res.body.roles).toEqual([
      {
        id: 'dev-admin',
        arn: 'acs:ram::1111222233334444:role/rambridge-dev-admin',
        accountId: '1111222233334444',
        accountName: 'Development',
        description: 'Full access to the development account.',
        via: 'saml',
        maxSessionDuration: 1800,
        maxDurationNow: 1800,
        elevated: true,
        favourite: false,
      },
      {
        id: 'dev-readonly',
        arn: 'acs:ram::1111222233334444:role/rambridge-dev-readonly',
        accountId: '1111222233334444',
        accountName: 'Development',
        description: 'Read-only access to ECS and OSS in development.',
        via: 'oidc',
        maxSessionDuration: 43200,
        // The role's 12 hours, less the minute kept short of what is left of the 12-hour CLI session.
        maxDurationNow: 43200 - 60,
        elevated: false,
        favourite: false,
      },
    ]);
  });

  test.each([
    ['no Authorization header', undefined, 'Bearer', 'ERR_TOKEN_MISSING'],
    ['another scheme', 'Basic YTpi', 'Bearer', 'ERR_TOKEN_MISSING'],
    ['garbage', 'Bearer not-a-jwt', 'Bearer error="invalid_token"', 'ERR_TOKEN_INVALID'],
  ])('401 with the RFC 6750 challenge: %s', async (_name, header, challenge, code) => {
    const bridge = await testBridge(op);
    const req = bridge.agent().get('/api/roles');
    const res = await (header ? req.set('Authorization', header) : req).expect(401);
    expect(res.headers['www-authenticate']).toBe(challenge);
    expect(res.body).toMatchObject({ error: 'invalid_token', code });
  });

  test('an access token expires after 10 minutes on the injected clock', async () => {
    const bridge = await testBridge(op);
    const { cli, tokens } = await loggedIn(bridge, op);
    bridge.clock.advance(599_000);
    await cli.get('/api/whoami').set(bearer(tokens.access_token)).expect(200);
    bridge.clock.advance(1000);
    const res = await cli.get('/api/whoami').set(bearer(tokens.access_token)).expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });

  test('only a refused token gets the invalid_token challenge: not an STS 401, not a store outage', async () => {
    const sts = fakeSts();
    sts.assumeRoleWithOidc = () => Promise.reject(new BridgeError('ERR_STS_EXPIRED'));
    const bridge = await testBridge(op, { sts });
    const { cli, tokens } = await loggedIn(bridge, op);
    const expired = await cli
      .post('/api/credentials')
      .set(bearer(tokens.access_token))
      .send({ role: 'dev-readonly', durationSeconds: 900 });
    expect([expired.status, expired.body.code]).toEqual([401, 'ERR_STS_EXPIRED']);
    expect(expired.body.error).not.toBe('invalid_token');
    expect(expired.headers['www-authenticate'] ?? '').not.toContain('invalid_token');

    bridge.store.find = () => Promise.reject(new Error('store down'));
    const outage = await cli.get('/api/whoami').set(bearer(tokens.access_token));
    expect(outage.status).toBeGreaterThanOrEqual(500);
    expect(outage.headers['www-authenticate']).toBeUndefined();
  });

  test('credentials: the same checks, issuer and audit as the web, never cached, secrets never logged', async () => {
    const calls: unknown[] = [];
    const bridge = await testBridge(op, { sts: fakeSts(calls) });
    const { cli, tokens } = await loggedIn(bridge, op);
    const res = await cli
      .post('/api/credentials')
      .set(bearer(tokens.access_token))
      .send({ role: 'dev-readonly', durationSeconds: 7200 })
      .expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({
      accessKeyId: 'STS.AK',
      accessKeySecret: CANARY,
      securityToken: 'CANARY-token',
      expiration: '2030-01-01T12:00:00Z',
      durationSeconds: 7200,
      roleArn: 'acs:ram::1111222233334444:role/rambridge-dev-readonly',
      assumedRoleArn: 'acs:ram::1111222233334444:assumed-role/rambridge-dev-readonly/alice',
      roleSessionName: expect.stringMatching(/^alice@example\.com-[\w-]{11}$/),
      requestId: 'req-1',
    });
    expect(calls).toEqual([
      expect.objectContaining({ durationSeconds: 7200, roleArn: 'acs:ram::1111222233334444:role/rambridge-dev-readonly' }),
    ]);
    const audit = bridge.logLines.map((l) => JSON.parse(l)).find((l) => l.event === 'issuance');
    expect(audit).toMatchObject({ channel: 'cli', roleId: 'dev-readonly', outcome: 'issued', user: { subject: 'alice-sub' } });
    expect(bridge.logLines.join('')).not.toContain('CANARY');
  });

  test.each([
    ['a role not granted', { role: 'prod-ops', durationSeconds: 3600 }, 403, 'ERR_ROLE_NOT_GRANTED'],
    ['an unknown role', { role: 'acs:ram::5555666677778888:role/admin', durationSeconds: 3600 }, 403, 'ERR_ROLE_NOT_GRANTED'],
    ['a duration over the role maximum', { role: 'dev-admin', durationSeconds: 14401 }, 400, 'ERR_DURATION_INVALID'],
    ['a duration as text', { role: 'dev-admin', durationSeconds: '3600' }, 400, 'ERR_DURATION_INVALID'],
    ['no duration', { role: 'dev-admin' }, 400, 'ERR_DURATION_INVALID'],
  ])('credentials refused: %s, and STS is never called', async (_name, body, status, code) => {
    const calls: unknown[] = [];
    const bridge = await testBridge(op, { sts: fakeSts(calls) });
    const { cli, tokens } = await loggedIn(bridge, op);
    const res = await cli.post('/api/credentials').set(bearer(tokens.access_token)).send(body).expect(status);
    expect(res.body).toMatchObject({ code });
    expect(calls).toEqual([]);
    // The audit says who asked, and from which CLI session, as it does for the picker.
    const { sid } = JSON.parse(Buffer.from(tokens.access_token.split('.')[1]!, 'base64url').toString()) as { sid: string };
    const refusal = bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.audit === true && l.code === code);
    expect(refusal).toMatchObject({ event: 'refusal', route: '/api/credentials', sid, user: { idp: 'demo', subject: 'alice-sub' } });
  });

  test('credentials never outlive the CLI session: the duration is cut to what is left of it, and under 15 min left is a new sign-in', async () => {
    const calls: Array<{ durationSeconds?: number }> = [];
    const bridge = await testBridge(op, { sts: fakeSts(calls), config: (c) => (c.device.sessionMaxAgeSeconds = 3000) });
    const { cli, tokens } = await loggedIn(bridge, op);
    const ask = (accessToken: string) =>
      cli.post('/api/credentials').set(bearer(accessToken)).send({ role: 'dev-readonly', durationSeconds: 3600 });
    // The answer says what was granted: the CLI tells its user from it, with no other request.
    expect((await ask(tokens.access_token).expect(200)).body).toMatchObject({ durationSeconds: 3000 });
    expect(calls).toEqual([expect.objectContaining({ durationSeconds: 3000 })]);
    const audits = () => bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'issuance');
    expect(audits().at(-1)).toMatchObject({ outcome: 'issued', durationSeconds: 3000, requestedDurationSeconds: 3600 });

    bridge.clock.advance(2100_000 + 1000); // 14 min 59 s left: less than STS's 900 s minimum
    const next = (await refresh(cli, tokens.refresh_token).expect(200)).body as { access_token: string };
    const refused = await ask(next.access_token).expect(401);
    expect(refused.headers['www-authenticate']).toBeUndefined(); // not the token: a refresh would not help
    expect(refused.body).toMatchObject({
      code: 'ERR_NOT_SIGNED_IN',
      error_description: expect.stringMatching(/^Your rambridge session ends in 14 min: too soon for credentials/),
      hint: 'Sign out and sign in again, then retry.',
    });
    expect(calls).toHaveLength(1);
  });

  test('roles say what the CLI session can get now (maxDurationNow) beside the role’s maximum, which keeps its meaning', async () => {
    const bridge = await testBridge(op, { config: (c) => (c.device.sessionMaxAgeSeconds = 3 * 3600) });
    const { cli, tokens } = await loggedIn(bridge, op);
    const prefs = new RolePreferences({ store: bridge.store, clock: bridge.clock });
    const identity = { issuer: op.issuer, subject: 'alice-sub' };
    await prefs.recordUse(identity, 'dev-readonly', 2 * 3600);
    await prefs.recordUse(identity, 'dev-admin', 1800);
    const roles = async () => {
      const next = (await refresh(cli, tokens.refresh_token).expect(200)).body as { access_token: string; refresh_token: string };
      tokens.refresh_token = next.refresh_token;
      const res = await cli.get('/api/roles').set(bearer(next.access_token)).expect(200);
      return Object.fromEntries(
        (res.body.roles as Array<Record<string, unknown>>).map((r) => [
          r.id,
          { maxSessionDuration: r.maxSessionDuration, maxDurationNow: r.maxDurationNow, lastDuration: r.lastDuration },
        ]),
      );
    };
    // What is left of the 3 hours, less a minute; the role’s maximum and the last duration as before.
    expect(await roles()).toEqual({
      'dev-admin': { maxSessionDuration: 4 * 3600, maxDurationNow: 3 * 3600 - 60, lastDuration: 1800 },
      'dev-readonly': { maxSessionDuration: 43200, maxDurationNow: 3 * 3600 - 60, lastDuration: 2 * 3600 },
    });

    bridge.clock.advance(2 * HOUR + 600_000); // 50 min left
    expect(await roles()).toEqual({
      'dev-admin': { maxSessionDuration: 4 * 3600, maxDurationNow: 2940, lastDuration: 1800 },
      'dev-readonly': { maxSessionDuration: 43200, maxDurationNow: 2940, lastDuration: 2 * 3600 },
    });

    bridge.clock.advance(2040_000); // 16 min left: 15 can be had
    expect((await roles())['dev-readonly']).toMatchObject({ maxSessionDuration: 43200, maxDurationNow: 900 });
    bridge.clock.advance(1000); // 15 min 59 s left: nothing is offered any more
    expect((await roles())['dev-readonly']).toMatchObject({ maxSessionDuration: 43200, maxDurationNow: 0 });

    bridge.clock.advance(60_000); // 14 min 59 s left
    // A client that asks for what it was offered (0) hears why there is nothing: a new login, not a duration.
    const next = (await refresh(cli, tokens.refresh_token).expect(200)).body as { access_token: string };
    const refused = await cli
      .post('/api/credentials')
      .set(bearer(next.access_token))
      .send({ role: 'dev-readonly', durationSeconds: 0 })
      .expect(401);
    expect(refused.body).toMatchObject({ code: 'ERR_NOT_SIGNED_IN', hint: 'Sign out and sign in again, then retry.' });
  });

  test('credentials need MFA and a justification for elevated roles', async () => {
    const bridge = await testBridge(op, { sts: fakeSts(), config: (c) => (c.roles.find((r) => r.id === 'dev-admin')!.elevated = true) });
    const { cli, tokens } = await loggedIn(bridge, op, ALICE);
    const res = await cli
      .post('/api/credentials')
      .set(bearer(tokens.access_token))
      .send({ role: 'dev-admin', durationSeconds: 900, justification: 'incident 42 needs a fix' })
      .expect(403);
    expect(res.body).toMatchObject({ code: 'ERR_ELEVATION_MFA_REQUIRED' });
  });

  test('an elevated role: a justification too short and one too long are refused, each with its own code', async () => {
    const calls: unknown[] = [];
    const bridge = await testBridge(op, {
      sts: fakeSts(calls),
      config: (c) => (c.roles.find((r) => r.id === 'dev-admin')!.elevated = true),
    });
    const { cli, tokens } = await loggedIn(bridge, op, { ...ALICE, amr: ['pwd', 'mfa'] });
    const ask = (justification: string) =>
      cli.post('/api/credentials').set(bearer(tokens.access_token)).send({ role: 'dev-admin', durationSeconds: 900, justification });
    expect((await ask('short').expect(400)).body).toMatchObject({ code: 'ERR_JUSTIFICATION_REQUIRED' });
    const long = (await ask('x'.repeat(501)).expect(400)).body as { code: string; error_description: string };
    expect(long.code).toBe('ERR_JUSTIFICATION_TOO_LONG');
    expect(long.error_description).toContain('at most 500');
    expect(calls).toEqual([]);
    await ask('x'.repeat(500)).expect(200);
  });

  test('credentials without STS configured: 501 ERR_NOT_CONFIGURED (after the role check)', async () => {
    const bridge = await testBridge(op);
    const { cli, tokens } = await loggedIn(bridge, op);
    expect(
      (
        await cli
          .post('/api/credentials')
          .set(bearer(tokens.access_token))
          .send({ role: 'dev-readonly', durationSeconds: 3600 })
          .expect(501)
      ).body,
    ).toMatchObject({ code: 'ERR_NOT_CONFIGURED' });
    expect(
      (await cli.post('/api/credentials').set(bearer(tokens.access_token)).send({ role: 'prod-ops', durationSeconds: 3600 }).expect(403))
        .body,
    ).toMatchObject({ code: 'ERR_ROLE_NOT_GRANTED' });
  });

  test('a form-encoded credentials request is refused (JSON only)', async () => {
    const bridge = await testBridge(op, { sts: fakeSts() });
    const { cli, tokens } = await loggedIn(bridge, op);
    await cli
      .post('/api/credentials')
      .set(bearer(tokens.access_token))
      .type('form')
      .send({ role: 'dev-readonly', durationSeconds: '3600' })
      .expect(400, /invalid_request/);
  });
});
