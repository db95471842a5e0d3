import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type Koa from 'koa';
import { ManualClock } from '../../../src/clock.js';
import type { BridgeConfig } from '../../../src/config/index.js';
import { RedisStore } from '../../../src/store/index.js';
import { followOp, testBridge } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { startRedisServer, type RunningRedis } from '../../helpers/redis-server.js';
import { cookieNames, expectRefused, postToAcs, samlBridge, signedAnswer, startSamlLogin } from '../../helpers/saml-bridge.js';
import { ALICE, authorize, bearer, CLIENT_ID, decide, poll, refresh, signedIn, started } from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * Two bridge instances behind one load balancer, sharing one real redis-server: each instance has
 * its own app and its own Redis connection, as two `serve` processes would. Whatever one instance
 * starts, the other must be able to finish, and whatever one refuses or revokes, the other must
 * refuse too — at once, not after some cache expires.
 */
let redis: RunningRedis;
let op: FakeOp;
const stores: RedisStore[] = [];
let prefixes = 0;

beforeAll(async () => {
  [redis, op] = await Promise.all([startRedisServer(), FakeOp.start()]);
});
afterAll(async () => {
  await op?.close();
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

/** A store factory for one pair of instances: same Redis, same prefix, one connection each. */
function sharedRedis() {
  const keyPrefix = `multi-${++prefixes}:`;
  return (clock: ManualClock) => {
    const store = new RedisStore({ url: redis.url, keyPrefix }, clock);
    stores.push(store);
    return store;
  };
}

/** Two OIDC bridge instances on one Redis and one clock (instances of a fleet agree on time). */
async function twoOidcInstances(config?: (c: BridgeConfig) => void) {
  const clock = new ManualClock(Date.now());
  const store = sharedRedis();
  const a = await testBridge(op, { clock, store, config });
  const b = await testBridge(op, { clock, store, config });
  return { a, b, clock };
}

/**
 * One browser (one cookie jar) whose requests the load balancer sends to either instance. The two
 * agents share superagent's jar, so a cookie set by A is sent to B, as a browser would.
 */
function browserAcross(appA: Koa, appB: Koa): { onA: TestAgent; onB: TestAgent } {
  const onA = request.agent(appA.callback());
  const onB = request.agent(appB.callback());
  (onB as unknown as { jar: unknown }).jar = (onA as unknown as { jar: unknown }).jar;
  return { onA, onB };
}

describe('two instances, one Redis', () => {
  test('an OIDC sign-in started on A completes on B, and the session works on both', async () => {
    const { a, b } = await twoOidcInstances();
    const { onA, onB } = browserAcross(a.app, b.app);
    op.user = ALICE;
    const start = await onA.get('/login?return_to=/roles/dev-admin').expect(302);
    const callback = await followOp(start.headers.location!);
    const done = await onB.get(callback.pathname + callback.search);
    expect(done.status).toBe(302);
    expect(done.headers.location).toBe('/roles/dev-admin');
    for (const agent of [onA, onB]) expect((await agent.get('/roles').expect(200)).text).toContain('alice@example.com');
  });

  test('a SAML sign-in started on A completes on B; the same assertion is then a replay on A', async () => {
    const clock = new ManualClock(Date.now());
    const store = sharedRedis();
    const a = await samlBridge({}, [], {}, { clock, store });
    const b = await samlBridge({}, [], {}, { clock, store });
    const { onA, onB } = browserAcross(a.app, b.app);
    const { requestId } = await startSamlLogin(onA, '/roles/dev-admin');
    const res = await postToAcs(onB, signedAnswer(b, requestId, { assertionId: '_across' }));
    expect(res.status).toBe(302);
    expect(cookieNames(res)).toContain('rambridge.sid');
    expect((await onA.get('/roles').expect(200)).text).toContain('alice@example.com');

    // The assertion ID was spent in Redis by B: a fresh flow on A refuses it.
    const other = a.agent();
    const again = await startSamlLogin(other);
    await expectRefused(other, await postToAcs(other, signedAnswer(a, again.requestId, { assertionId: '_across' })), 'ERR_SAML_REPLAY');
  });

  test('a SAML assertion accepted on A is refused as a replay on B', async () => {
    const clock = new ManualClock(Date.now());
    const store = sharedRedis();
    const a = await samlBridge({}, [], {}, { clock, store });
    const b = await samlBridge({}, [], {}, { clock, store });
    const first = a.agent();
    const one = await startSamlLogin(first);
    expect((await postToAcs(first, signedAnswer(a, one.requestId, { assertionId: '_once' }))).status).toBe(302);
    const second = b.agent();
    const two = await startSamlLogin(second);
    await expectRefused(second, await postToAcs(second, signedAnswer(b, two.requestId, { assertionId: '_once' })), 'ERR_SAML_REPLAY');
  });

  test('a device login started on A is approved on B and polled on A', async () => {
    const { a, b } = await twoOidcInstances();
    const cli = a.agent();
    const { device_code, user_code } = await started(cli);
    expect((await poll(cli, device_code).expect(400)).body.error).toBe('authorization_pending');
    await decide(await signedIn(b, op, ALICE), user_code, 'approve');
    const tokens = (await poll(cli, device_code).expect(200)).body as { access_token: string; refresh_token: string };
    // The tokens work on either instance, and the device code was spent for both.
    await b.agent().get('/api/whoami').set(bearer(tokens.access_token)).expect(200);
    expect((await poll(b.agent(), device_code).expect(400)).body.error).toMatch(/^(invalid_grant|expired_token)$/);
  });

  test('refresh-token reuse detected on B revokes the family issued on A', async () => {
    const { a, b } = await twoOidcInstances();
    const cli = a.agent();
    const { device_code, user_code } = await started(cli);
    await decide(await signedIn(a, op, ALICE), user_code, 'approve');
    const issued = (await poll(cli, device_code).expect(200)).body as { access_token: string; refresh_token: string };
    const rotated = (await refresh(cli, issued.refresh_token).expect(200)).body as { access_token: string; refresh_token: string };

    const reuse = await refresh(b.agent(), issued.refresh_token).expect(400);
    expect(reuse.body).toMatchObject({ error: 'invalid_grant', code: 'ERR_REFRESH_TOKEN_REUSED' });
    expect((await refresh(cli, rotated.refresh_token).expect(400)).body.code).toBe('ERR_REFRESH_TOKEN_INVALID');
    await cli.get('/api/whoami').set(bearer(rotated.access_token)).expect(401);
  });

  test('an access token revoked on A is refused on B at once', async () => {
    const { a, b } = await twoOidcInstances();
    const cli = a.agent();
    const { device_code, user_code } = await started(cli);
    await decide(await signedIn(a, op, ALICE), user_code, 'approve');
    const { access_token } = (await poll(cli, device_code).expect(200)).body as { access_token: string };
    await b.agent().get('/api/whoami').set(bearer(access_token)).expect(200);
    await cli.post('/oauth/revoke').type('form').send({ token: access_token, client_id: CLIENT_ID }).expect(200);
    const refused = await b.agent().get('/api/whoami').set(bearer(access_token)).expect(401);
    expect(refused.body.code).toBe('ERR_TOKEN_INVALID');
  });

  test('the device-login start limit counts starts on both instances', async () => {
    const { a, b } = await twoOidcInstances((c) => {
      c.device.maxStartsPerIpPer10Minutes = 3;
    });
    await started(a.agent());
    await started(b.agent());
    await started(a.agent());
    const refusedOnB = await authorize(b.agent()).expect(429);
    expect(refusedOnB.body.code).toBe('ERR_RATE_LIMITED');
    expect((await authorize(a.agent()).expect(429)).body.code).toBe('ERR_RATE_LIMITED');
  });

  test('wrong user codes count across instances toward one user limit', async () => {
    const { a, b } = await twoOidcInstances((c) => {
      c.device.maxFailedUserCodes = 2;
    });
    // The same browser session, its requests spread over both instances.
    const { onA, onB } = browserAcross(a.app, b.app);
    op.user = ALICE;
    const start = await onA.get('/login').expect(302);
    const callback = await followOp(start.headers.location!);
    await onA.get(callback.pathname + callback.search).expect(302);
    const { user_code } = await started(a.agent());
    const wrong = async (agent: TestAgent) => {
      const form = await agent.get('/device').expect(200);
      const csrf = csrfOf(form.text);
      return agent.post('/device').type('form').send({ _csrf: csrf, user_code: 'BCDF-GHJK' });
    };
    expect((await wrong(onA)).status).toBe(200);
    expect((await wrong(onB)).status).toBe(200);
    const limited = await wrong(onA);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('ERR_DEVICE_TOO_MANY_ATTEMPTS');
    // Even the right code now waits: the limit is per user, whichever instance counted.
    const form = await onB.get('/device').expect(200);
    const csrf = csrfOf(form.text);
    const right = await onB.post('/device').type('form').send({ _csrf: csrf, user_code });
    expect({ status: right.status, code: right.body.code }).toEqual({ status: 429, code: 'ERR_DEVICE_TOO_MANY_ATTEMPTS' });
  });
});
