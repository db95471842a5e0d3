import { createHash } from 'node:crypto';
import { testBridge } from '../../helpers/bridge.js';
import { MemoryStore } from '../../../src/store/index.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { storedEntries } from '../../unit/device/store-entries.js';
import { authorize, CLIENT_ID, decide, poll, signedIn, started, submit } from '../../helpers/device-flow.js';
import { DEVICE_CODE_GRANT } from '../../../src/wire/oauth.js';

/**
 * The device authorization and token endpoints over HTTP (RFC 8628 §3.1–3.5), the state machine
 * driven by the injected clock: pending, slow_down, approve, deny, expire, one-time use, races.
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());

const SECOND = 1000;
const oauthError = (error: string) => ({ status: 400, body: expect.objectContaining({ error }) });

describe('device authorization endpoint', () => {
  test('answers RFC 8628 §3.2: a 256-bit device code, an XXXX-XXXX user code, the verification URIs, 600 s, 5 s', async () => {
    const bridge = await testBridge(op);
    const res = await authorize(bridge.agent()).expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.body as Record<string, string | number>;
    expect(body.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(body).toMatchObject({
      verification_uri: 'http://127.0.0.1:8080/device',
      verification_uri_complete: `http://127.0.0.1:8080/device?user_code=${body.user_code}`,
      expires_in: 600,
      interval: 5,
    });
  });

  test('one address may start a bounded number of logins per 10 minutes (the endpoint needs no sign-in)', async () => {
    const bridge = await testBridge(op, { config: (c) => (c.device.maxStartsPerIpPer10Minutes = 3) });
    const cli = bridge.agent();
    for (let i = 0; i < 3; i++) await authorize(cli).expect(200);
    const refused = await authorize(cli).expect(429);
    expect(refused.body).toMatchObject({ code: 'ERR_RATE_LIMITED' });
    bridge.clock.advance(600 * SECOND);
    await authorize(cli).expect(200);
  });

  test('the addresses of one IPv6 /64 share one budget, and all addresses share one too, so no number of them fills the store', async () => {
    const bridge = await testBridge(op, {
      config: (c) => {
        c.device.maxStartsPerIpPer10Minutes = 2;
        c.device.maxStartsPer10Minutes = 5;
        c.server.trustProxy = 1;
      },
    });
    const from = (ip: string) => authorize(bridge.agent()).set('X-Forwarded-For', ip);
    await from('2001:db8:1:2::1').expect(200);
    await from('2001:db8:1:2::2').expect(200);
    expect((await from('2001:db8:1:2:ffff::3').expect(429)).body).toMatchObject({ code: 'ERR_RATE_LIMITED' });
    await from('2001:db8:1:3::1').expect(200);
    await from('198.51.100.1').expect(200);
    await from('::ffff:198.51.100.2').expect(200);
    // The fifth start from anywhere: a new address is refused too.
    const everyone = await from('203.0.113.9').expect(429);
    expect(everyone.body).toMatchObject({ code: 'ERR_RATE_LIMITED' });
    expect(everyone.body.error_description).toMatch(/right now/);
    bridge.clock.advance(600 * SECOND);
    await from('203.0.113.9').expect(200);
  });

  test('once all addresses are at their limit, new addresses leave nothing in the store (a flood of them cannot fill it)', async () => {
    const bridge = await testBridge(op, {
      config: (c) => {
        c.device.maxStartsPer10Minutes = 5;
        c.server.trustProxy = 1;
      },
      store: (clock) => new MemoryStore(clock, { maxEntries: 40 }),
    });
    for (let i = 0; i < 200; i++) {
      const res = await authorize(bridge.agent()).set('X-Forwarded-For', `2001:db8:${i.toString(16)}::1`);
      expect(res.status).toBe(i < 5 ? 200 : 429);
    }
    // The store has room left: a browser still signs in.
    await signedIn(bridge, op);
  });

  test('the discovery document leads a standard client to every endpoint', async () => {
    const bridge = await testBridge(op);
    const res = await bridge.agent().get('/.well-known/openid-configuration').expect(200);
    expect(res.body).toMatchObject({
      device_authorization_endpoint: 'http://127.0.0.1:8080/oauth/device_authorization',
      token_endpoint: 'http://127.0.0.1:8080/oauth/token',
      revocation_endpoint: 'http://127.0.0.1:8080/oauth/revoke',
      grant_types_supported: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
    });
  });

  test.each([
    ['another client id', { client_id: 'evil-cli' }, 401, 'invalid_client'],
    ['no client id', { client_id: '' }, 401, 'invalid_client'],
    ['PKCE plain', { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' }, 400, 'invalid_request'],
    ['a challenge without method', { code_challenge: 'a'.repeat(43) }, 400, 'invalid_request'],
    ['a malformed S256 challenge', { code_challenge: 'short', code_challenge_method: 'S256' }, 400, 'invalid_request'],
  ])('refuses %s', async (_name, params, status, error) => {
    const bridge = await testBridge(op);
    const res = await authorize(bridge.agent(), params).expect(status);
    expect(res.body).toMatchObject({ error });
  });

  test('refuses JSON bodies and repeated parameters (RFC 6749 §3.1, §3.2)', async () => {
    const bridge = await testBridge(op);
    await bridge
      .agent()
      .post('/oauth/device_authorization')
      .send({ client_id: CLIENT_ID })
      .expect(400, /invalid_request/);
    await bridge
      .agent()
      .post('/oauth/device_authorization')
      .type('form')
      .send('client_id=rambridge-cli&client_id=rambridge-cli')
      .expect(400, /invalid_request/);
  });

  test('without an issuer configured, CLI sign-in answers 501 with a reason', async () => {
    const bridge = await testBridge(op, { config: (c) => delete c.issuer });
    const res = await authorize(bridge.agent()).expect(501);
    expect(res.body).toMatchObject({ code: 'ERR_NOT_CONFIGURED' });
  });
});

describe('token endpoint, device_code grant', () => {
  test('pending until approved, then tokens exactly once', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    expect(await poll(cli, device_code)).toMatchObject(oauthError('authorization_pending'));
    await decide(await signedIn(bridge, op), user_code, 'approve');
    bridge.clock.advance(5 * SECOND);
    const tokens = await poll(cli, device_code).expect(200);
    expect(tokens.headers['cache-control']).toBe('no-store');
    expect(tokens.headers.pragma).toBe('no-cache');
    expect(tokens.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 600,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    bridge.clock.advance(5 * SECOND);
    expect(await poll(cli, device_code)).toMatchObject({ status: 400, body: { error: 'invalid_grant', code: 'ERR_DEVICE_CODE_INVALID' } });
  });

  test('slow_down is enforced on the server: +5 s per early poll, cleared by waiting the new interval', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code } = await started(cli);
    const at = async (seconds: number) => {
      bridge.clock.advance(seconds * SECOND);
      return (await poll(cli, device_code)).body.error as string;
    };
    await expect(at(0)).resolves.toBe('authorization_pending');
    await expect(at(2)).resolves.toBe('slow_down'); // interval now 10 s
    await expect(at(5)).resolves.toBe('slow_down'); // 5 s after the last poll < 10 s: interval now 15 s
    await expect(at(10)).resolves.toBe('slow_down'); // 10 < 15: interval now 20 s
    await expect(at(20)).resolves.toBe('authorization_pending');
    await expect(at(20)).resolves.toBe('authorization_pending');
  });

  test('denied: access_denied, and the code is dead in the browser too', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    const browser = await signedIn(bridge, op);
    const page = await decide(browser, user_code, 'deny');
    expect(page.text).toContain('data-testid="device-denied"');
    expect(await poll(cli, device_code)).toMatchObject({ status: 400, body: { error: 'access_denied', code: 'ERR_DEVICE_ACCESS_DENIED' } });
    const again = await submit(browser, user_code, 'approve');
    expect(again.text).toContain('data-code="ERR_DEVICE_USER_CODE_USED"');
    bridge.clock.advance(10 * SECOND);
    expect(await poll(cli, device_code)).toMatchObject(oauthError('access_denied'));
  });

  test('expired after 600 s: expired_token, and even a later approval cannot issue anything', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    const browser = await signedIn(bridge, op);
    bridge.clock.advance(599 * SECOND);
    expect(await poll(cli, device_code)).toMatchObject(oauthError('authorization_pending'));
    bridge.clock.advance(1 * SECOND);
    expect(await poll(cli, device_code)).toMatchObject({ status: 400, body: { error: 'expired_token', code: 'ERR_DEVICE_CODE_EXPIRED' } });
    const page = await submit(browser, user_code, 'approve');
    expect(page.text).toContain('data-code="ERR_DEVICE_USER_CODE_EXPIRED"');
    expect(await poll(cli, device_code)).toMatchObject(oauthError('expired_token'));
  });

  test('an approval at 599 s still has to be redeemed before 600 s', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    const browser = await signedIn(bridge, op);
    bridge.clock.advance(599 * SECOND);
    await decide(browser, user_code, 'approve');
    bridge.clock.advance(1 * SECOND);
    expect(await poll(cli, device_code)).toMatchObject(oauthError('expired_token'));
  });

  test('two polls racing at the moment of approval: exactly one gets tokens, the other invalid_grant', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    await decide(await signedIn(bridge, op), user_code, 'approve');
    const answers = await Promise.all([poll(cli, device_code), poll(cli, device_code), poll(bridge.agent(), device_code)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
    expect(answers.filter((a) => a.status === 400).map((a) => a.body.error)).toEqual(['invalid_grant', 'invalid_grant']);
  });

  test('PKCE: the verifier is required iff a challenge was sent, and a wrong one does not disturb the real poller', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const verifier = 'v'.repeat(64);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const { device_code, user_code } = await started(cli, { code_challenge: challenge, code_challenge_method: 'S256' });
    await decide(await signedIn(bridge, op), user_code, 'approve');
    expect(await poll(cli, device_code)).toMatchObject({ status: 400, body: { error: 'invalid_grant', code: 'ERR_DEVICE_PKCE_MISMATCH' } });
    expect(await poll(cli, device_code, { code_verifier: 'w'.repeat(64) })).toMatchObject(oauthError('invalid_grant'));
    await poll(cli, device_code, { code_verifier: verifier }).expect(200);

    const plain = await started(cli);
    expect(await poll(cli, plain.device_code, { code_verifier: verifier })).toMatchObject({ body: { code: 'ERR_DEVICE_PKCE_MISMATCH' } });
  });

  test('unknown codes, other clients, missing and unsupported grant types', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code } = await started(cli);
    expect(await poll(cli, 'x'.repeat(43))).toMatchObject(oauthError('invalid_grant'));
    expect(await poll(cli, device_code, { client_id: 'other' })).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    const token = (form: Record<string, string>) =>
      cli
        .post('/oauth/token')
        .type('form')
        .send({ client_id: CLIENT_ID, ...form });
    expect(await token({ grant_type: 'authorization_code', code: 'x' })).toMatchObject(oauthError('unsupported_grant_type'));
    expect(await token({ grant_type: 'password', username: 'a', password: 'b' })).toMatchObject(oauthError('unsupported_grant_type'));
    expect(await token({ device_code })).toMatchObject(oauthError('invalid_request'));
    expect(await token({ grant_type: DEVICE_CODE_GRANT })).toMatchObject(oauthError('invalid_request'));
  });

  test('the store holds only hashes: no device code, user code or token appears in it, nor in the logs', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    await decide(await signedIn(bridge, op), user_code, 'approve');
    const dumpBefore = JSON.stringify(storedEntries(bridge.store));
    const { body } = await poll(cli, device_code).expect(200);
    const dumpAfter = JSON.stringify(storedEntries(bridge.store));
    const secrets = [device_code, user_code, user_code.replace('-', ''), body.refresh_token, body.access_token];
    for (const secret of secrets) {
      expect(dumpBefore).not.toContain(secret);
      expect(dumpAfter).not.toContain(secret);
      expect(bridge.logLines.join('')).not.toContain(secret);
    }
    expect(storedEntries(bridge.store).some(([key]) => key.startsWith('device:grant:') || key.startsWith('cli:session:'))).toBe(true);
  });
});
