import { FakeOp } from '../../helpers/fake-op.js';
import { loginThroughFakeOp, testBridge } from '../../helpers/bridge.js';
import { signedInBrowser } from '../../helpers/web.js';
import type { BridgeConfig } from '../../../src/config/index.js';
import type { CheckedRoleRequest } from '../../../src/issuance/role-request.js';

let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(async () => {
  await op.close();
});

const ALICE = { sub: 'alice-sub', email: 'alice@example.com', name: 'Alice', groups: ['rambridge-dev', 'rambridge-ops'], amr: ['pwd'] };
const MALLORY = { sub: 'mallory-sub', email: 'mallory@example.com', name: 'Mallory', groups: [], amr: ['pwd'] };

const signedIn = (user = ALICE, options: Parameters<typeof testBridge>[1] = {}) => signedInBrowser(op, user, options);

describe('role picker', () => {
  test('alice sees her roles grouped by account, with ARNs, descriptions and clamped durations', async () => {
    const { page } = await signedIn();
    expect(page.status).toBe(200);
    const accounts = [...page.text.matchAll(/data-testid="account" data-account-id="(\d+)"/g)].map((m) => m[1]);
    expect(accounts).toEqual(['1111222233334444', '5555666677778888']);
    const roles = [...page.text.matchAll(/data-testid="role" data-role-id="([^"]+)"/g)].map((m) => m[1]);
    expect(roles).toEqual(['dev-admin', 'dev-readonly', 'prod-ops', 'prod-readonly', 'prod-auditor']);
    expect(page.text).toContain('acs:ram::1111222233334444:role/rambridge-dev-admin');
    expect(page.text).toContain('Full access to the development account.');
    // prod-ops allows at most 1 h: no longer option is offered.
    const prodOps = page.text.slice(page.text.indexOf('data-role-id="prod-ops"'), page.text.indexOf('data-role-id="prod-readonly"'));
    expect([...prodOps.matchAll(/<option value="(\d+)"/g)].map((m) => m[1])).toEqual(['900', '1800', '3600']);
    expect(page.text).toContain('developers (group rambridge-dev)');
  });

  test('a user without roles sees which groups they have and that none grants a role', async () => {
    const { page } = await signedIn({ ...MALLORY, groups: ['marketing'] });
    expect(page.status).toBe(403);
    expect(page.text).toContain('data-testid="no-roles"');
    expect(page.text).toContain('<code>marketing</code>');
  });

  test.each([
    [false, []],
    [true, ['dev-admin', 'dev-readonly']],
  ])('email_verified %s: an emailDomains grant matches only a verified address', async (verified, roles) => {
    const onlyExampleCom = (c: BridgeConfig) => {
      for (const grant of c.grants) grant.when = { emailDomains: ['example.com'] };
    };
    const { page } = await signedIn({ ...ALICE, groups: ['rambridge-dev'], email_verified: verified } as typeof ALICE, {
      config: onlyExampleCom,
    });
    expect([...page.text.matchAll(/data-testid="role" data-role-id="([^"]+)"/g)].map((m) => m[1])).toEqual(roles);
    // An address nobody verified is not shown as the user's either.
    expect(page.text.includes('alice@example.com')).toBe(verified);
  });

  test('a user with no groups at all is told so', async () => {
    const { page } = await signedIn(MALLORY);
    expect(page.text).toContain('data-testid="groups-empty"');
  });

  test('a deep link shows the one role; a role the user lacks is 403', async () => {
    const { browser } = await signedIn({ ...ALICE, groups: ['rambridge-readonly'] });
    const one = await browser.get('/roles/dev-readonly').expect(200);
    expect([...one.text.matchAll(/data-role-id="([^"]+)"/g)].map((m) => m[1])).toEqual(['dev-readonly']);
    const denied = await browser.get('/roles/dev-admin').expect(403);
    expect(denied.text).toContain('ERR_ROLE_NOT_GRANTED');
  });

  test('HTML in IdP-provided values is escaped', async () => {
    const { page } = await signedIn({ ...MALLORY, email: '<script>alert(1)</script>@x', groups: ['<img src=x onerror=alert(1)>'] });
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('role actions', () => {
  test('a valid choice reaches the console action with the server-side role and duration', async () => {
    const seen: CheckedRoleRequest[] = [];
    const { browser, csrf } = await signedIn(ALICE, {
      actions: {
        openConsole: (ctx, request) => {
          seen.push(request);
          ctx.body = 'console!';
          return Promise.resolve();
        },
      },
    });
    await browser.post('/roles/console').type('form').send({ _csrf: csrf, role: 'prod-ops', duration: '1800' }).expect(200, 'console!');
    expect(seen[0]).toMatchObject({
      durationSeconds: 1800,
      choice: { role: { arn: 'acs:ram::5555666677778888:role/rambridge-prod-ops' } },
    });
  });

  test('without an issuer configured, the actions answer a clear "not configured" page', async () => {
    const { browser, csrf } = await signedIn();
    const res = await browser
      .post('/roles/credentials')
      .type('form')
      .send({ _csrf: csrf, role: 'dev-admin', duration: '3600' })
      .expect(501);
    expect(res.text).toContain('data-testid="not-configured"');
    expect(res.text).toContain('acs:ram::1111222233334444:role/rambridge-dev-admin');
  });

  test("a forged role (another account's ARN, or an id not granted) is refused with 403 and no action", async () => {
    const calls: unknown[] = [];
    const { browser, csrf, logLines } = await signedIn(
      { ...ALICE, groups: ['rambridge-readonly'] },
      { actions: { openConsole: () => Promise.resolve(void calls.push(1)) } },
    );
    for (const role of ['dev-admin', 'acs:ram::5555666677778888:role/rambridge-prod-ops', '']) {
      const res = await browser.post('/roles/console').type('form').send({ _csrf: csrf, role, duration: '900' }).expect(403);
      expect(res.text).toContain('ERR_ROLE_NOT_GRANTED');
    }
    expect(calls).toHaveLength(0);
    expect(logLines.some((l) => l.includes('"event":"role-refused"'))).toBe(true);
  });

  test('a missing or wrong CSRF token is refused', async () => {
    const { browser, csrf } = await signedIn();
    const missing = await browser.post('/roles/console').type('form').send({ role: 'dev-admin', duration: '3600' }).expect(403);
    expect(missing.text).toContain('ERR_CSRF');
    await browser
      .post('/roles/console')
      .type('form')
      .send({ _csrf: `${csrf}x`, role: 'dev-admin', duration: '3600' })
      .expect(403);
  });

  test('a cross-site POST is refused even with the token', async () => {
    const { browser, csrf } = await signedIn();
    await browser
      .post('/roles/console')
      .set('Origin', 'https://evil.example.com')
      .type('form')
      .send({ _csrf: csrf, role: 'dev-admin', duration: '3600' })
      .expect(403);
    await browser
      .post('/roles/console')
      .set('Sec-Fetch-Site', 'cross-site')
      .type('form')
      .send({ _csrf: csrf, role: 'dev-admin', duration: '3600' })
      .expect(403);
  });

  test('a duration above the role maximum is refused, not clamped', async () => {
    const { browser, csrf } = await signedIn();
    const res = await browser.post('/roles/console').type('form').send({ _csrf: csrf, role: 'prod-ops', duration: '7200' }).expect(400);
    expect(res.text).toContain('ERR_DURATION_INVALID');
  });

  test('a GET never triggers an action; a POST without a session is 401', async () => {
    const calls: unknown[] = [];
    const { browser, agent } = await signedIn(ALICE, { actions: { openConsole: () => Promise.resolve(void calls.push(1)) } });
    await browser.get('/roles/console?role=dev-admin&duration=3600').expect(403);
    await browser.put('/roles/console').expect(405);
    expect(calls).toHaveLength(0);
    const res = await agent().post('/roles/console').set('Accept', 'application/json').type('form').send({ role: 'dev-admin' }).expect(401);
    expect(res.body).toMatchObject({ error: 'access_denied', code: 'ERR_NOT_SIGNED_IN' });
  });
});

describe('browser session', () => {
  test('the session id changes at sign-in (no fixation) and the cookie holds no identity', async () => {
    const bridge = await testBridge(op);
    const browser = bridge.agent();
    op.user = ALICE;
    const before = await browser.get('/login');
    const beforeSid = (before.headers['set-cookie'] as unknown as string[] | undefined)?.find((c) => c.startsWith('rambridge.sid='));
    const done = await loginThroughFakeOp(browser, op);
    const cookies = done.headers['set-cookie'] as unknown as string[];
    const sid = cookies.find((c) => c.startsWith('rambridge.sid='))!;
    expect(sid).toMatch(/^rambridge\.sid=[A-Za-z0-9_-]{43};/);
    expect(sid).toMatch(/httponly/i);
    expect(sid).toMatch(/samesite=lax/i);
    expect(sid).not.toBe(beforeSid);
    expect(cookies.join(';')).not.toContain('alice');

    // A second sign-in in the same browser: a new id again, and the old session is gone from the store.
    const first = /^rambridge\.sid=([^;]+)/.exec(sid)![1]!;
    expect(await bridge.store.find(`session:${first}`)).toBeDefined();
    const again = await loginThroughFakeOp(browser, op);
    const second = /^rambridge\.sid=([^;]+)/.exec(
      (again.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('rambridge.sid='))!,
    )![1]!;
    expect(second).not.toBe(first);
    expect(await bridge.store.find(`session:${first}`)).toBeUndefined();
    expect(await bridge.store.find(`session:${second}`)).toBeDefined();
  });

  test('the session ends after the idle timeout and after the absolute lifetime', async () => {
    const idle = await signedIn();
    idle.clock.advance(29 * 60 * 1000);
    await idle.browser.get('/roles').expect(200);
    idle.clock.advance(30 * 60 * 1000);
    await idle.browser.get('/roles').expect(302).expect('location', '/login?return_to=%2Froles&expired=1');

    // Active every 20 minutes, so never idle; still ends 12 h after sign-in.
    const absolute = await signedIn();
    for (let elapsed = 20; elapsed < 12 * 60; elapsed += 20) {
      absolute.clock.advance(20 * 60 * 1000);
      await absolute.browser.get('/roles').expect(200);
    }
    absolute.clock.advance(20 * 60 * 1000);
    await absolute.browser.get('/roles').expect(302);
  });

  test('logout needs the CSRF token, then ends the session', async () => {
    const { browser, csrf } = await signedIn();
    await browser.post('/logout').type('form').send({}).expect(403);
    await browser.post('/logout').type('form').send({ _csrf: csrf }).expect(303).expect('location', '/signed-out');
    expect((await browser.get('/signed-out').expect(200)).text).toContain('data-testid="signed-out"');
    await browser.get('/roles').expect(302);
  });
});

describe('web hardening', () => {
  test('every response carries the security headers, error pages included', async () => {
    const { agent } = await testBridge(op);
    const pagePolicy =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    // Not a page (JSON, probes, assets): nothing may load, run, submit or frame it.
    const notAPagePolicy = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    const cases: Array<[string, Record<string, string>, string, string]> = [
      ['/healthz', {}, 'application/json', notAPagePolicy],
      ['/login?idp=nope', { Accept: 'text/html' }, 'text/html', pagePolicy],
      ['/nope', { Accept: 'text/html' }, 'text/html', pagePolicy],
      ['/nope', { Accept: 'application/json' }, 'application/json', notAPagePolicy],
      ['/roles', { Accept: 'text/html' }, 'text/html', pagePolicy],
      ['/assets/picker.js', {}, 'text/javascript', notAPagePolicy],
      ['/api/roles', {}, 'application/json', notAPagePolicy],
    ];
    for (const [path, headers, type, policy] of cases) {
      const res = await agent().get(path).set(headers);
      expect([path, res.headers['content-type']]).toEqual([path, expect.stringContaining(type)]);
      expect([path, res.headers['content-security-policy']]).toEqual([path, policy]);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-frame-options']).toBe('DENY');
      // Assets are the same for everyone and may be cached; nothing else may.
      expect(res.headers['cache-control']).toBe(path.startsWith('/assets/') ? 'public, max-age=3600' : 'no-store');
      expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9_-]{12}$/);
    }
  });

  test('API clients get OAuth-style JSON errors with the code and request id', async () => {
    const { agent } = await testBridge(op);
    const res = await agent().get('/nope').set('Accept', 'application/json').expect(404);
    expect(res.body).toEqual({
      error: 'invalid_request',
      error_description: 'There is nothing here.',
      code: 'ERR_NOT_FOUND',
      request_id: res.headers['x-request-id'],
    });
  });

  test('an oversized form body is refused before any handler runs', async () => {
    const { browser, csrf } = await signedIn();
    await browser
      .post('/roles/console')
      .type('form')
      .send({ _csrf: csrf, role: 'x'.repeat(100_000) })
      .expect(413, /ERR_BODY_TOO_LARGE/);
  });

  test('health, readiness and metrics', async () => {
    const { agent } = await testBridge(op);
    await agent().get('/healthz').expect(200, { status: 'ok' });
    const ready = await agent().get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready', checks: { store: 'ok', 'idp:demo': 'ok' }, idps: { demo: { status: 'ok' } } });
    const metrics = await agent().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/rambridge_http_requests_total\{method="GET",route="\/readyz",status="200"\} 1/);
  });

  test('readiness reports an IdP that cannot be reached, degraded but still ready (idp-faults.test.ts)', async () => {
    const { agent } = await testBridge({ issuer: 'http://127.0.0.1:1', clientSecret: 'x' });
    const res = await agent().get('/readyz').expect(200);
    expect(res.body.status).toBe('degraded');
    expect(res.body.checks['idp:demo']).toBe('failing');
  });
});
