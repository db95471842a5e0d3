import type { BridgeConfig, OidcIdp } from '../../../src/config/index.js';
import { followOp, loginThroughFakeOp, testBridge } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { ALICE, BOB, decide, poll, signedIn, started, submit } from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * The verification page (RFC 8628 §3.3, §5): sign-in and re-authentication, the prefilled code
 * that never approves by itself, who-asked, normalisation, guessing limits and CSRF.
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());
afterEach(() => (op.now = Date.now));

const MINUTE = 60_000;
const refusalCode = (html: string) => /data-testid="device-code-error" data-code="([A-Z_]+)"/.exec(html)?.[1];

/** A user code that is well-formed but not the live one. */
const wrongCode = (code: string) => (code.startsWith('B') ? `C${code.slice(1)}` : `B${code.slice(1)}`);

describe('signing in to approve', () => {
  test('not signed in: through the IdP and back to the form, with the prefilled code intact', async () => {
    const bridge = await testBridge(op);
    const { user_code, verification_uri_complete } = await started(bridge.agent());
    const browser = bridge.agent();
    const first = await browser.get(new URL(verification_uri_complete).pathname + new URL(verification_uri_complete).search).expect(302);
    const returnTo = new URL(first.headers.location!, 'http://x').searchParams.get('return_to');
    expect(returnTo).toBe(`/device?user_code=${user_code}`);
    expect(new URL(first.headers.location!, 'http://x').searchParams.get('reauth')).toBe('1');
    op.user = ALICE;
    const back = await loginThroughFakeOp(browser, op, returnTo!);
    expect(back.headers.location).toBe(returnTo);
    const form = await browser.get(back.headers.location!).expect(200);
    expect(form.text).toContain(`value="${user_code}"`);
    expect(form.text).toContain('data-testid="device-code-input"');
  });

  test('verification_uri_complete only prefills: after GETs the grant is still pending', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code, verification_uri_complete } = await started(cli);
    const browser = await signedIn(bridge, op);
    const url = new URL(verification_uri_complete);
    for (let i = 0; i < 3; i++) await browser.get(url.pathname + url.search).expect(200);
    expect((await poll(cli, device_code)).body.error).toBe('authorization_pending');
  });

  test('a sign-in at the IdP older than reauthenticateAfterSeconds signs in again before it may approve', async () => {
    const bridge = await testBridge(op, { config: (c) => (c.device.reauthenticateAfterSeconds = 300) });
    op.now = () => bridge.clock.now();
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    const browser = await signedIn(bridge, op);
    const confirm = await submit(browser, user_code);
    expect(confirm.text).toContain('data-testid="device-confirm"');
    bridge.clock.advance(5 * MINUTE);
    // The approval posted from the page shown before is not taken: sign in again first.
    const late = await browser
      .post('/device')
      .type('form')
      .send({ _csrf: csrfOf(confirm.text), user_code, decision: 'approve' })
      .expect(303);
    const relogin = new URL(late.headers.location!, 'http://x');
    expect(relogin.searchParams.get('return_to')).toBe(`/device?user_code=${user_code}`);
    expect(relogin.searchParams.get('reauth')).toBe('1');
    expect((await poll(cli, device_code)).body.error).toBe('authorization_pending');
    await browser.get('/device').expect(302);
    // Signing in again makes approval possible, and the IdP is told to ask for credentials again
    // (prompt=login, max_age=0: openid-client then insists on a fresh auth_time).
    const start = await browser.get(relogin.pathname + relogin.search).expect(302);
    const authorize = new URL(start.headers.location!).searchParams;
    expect([authorize.get('prompt'), authorize.get('max_age')]).toEqual(['login', '0']);
    const callback = await followOp(start.headers.location!);
    await browser.get(callback.pathname + callback.search).expect(302);
    await decide(browser, user_code, 'approve');
    bridge.clock.advance(5000);
    await poll(cli, device_code).expect(200);
  });

  test('a silent SSO sign-in (the IdP did not ask, auth_time hours old) is not recent enough to approve', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    const browser = bridge.agent();
    op.user = ALICE;
    // The link a phisher sends: /login straight back to the prefilled code, answered from the IdP's old session.
    op.next = { claims: { auth_time: Math.floor(bridge.clock.now() / 1000) - 2 * 3600 } };
    const back = await loginThroughFakeOp(browser, op, `/device?user_code=${user_code}`);
    expect(back.headers.location).toBe(`/device?user_code=${user_code}`);
    const page = await browser.get(back.headers.location!).expect(302);
    const relogin = new URL(page.headers.location!, 'http://x');
    expect([relogin.pathname, relogin.searchParams.get('reauth')]).toEqual(['/login', '1']);
    const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
    await browser.post('/device').type('form').send({ _csrf: csrf, user_code, decision: 'approve' }).expect(303);
    expect((await poll(cli, device_code)).body.error).toBe('authorization_pending');
  });
});

describe('the confirmation page', () => {
  test('shows who asked: client, host, IP, user agent, time and the code, with Approve and Deny', async () => {
    const bridge = await testBridge(op);
    const asked = await bridge
      .agent()
      .post('/oauth/device_authorization')
      .type('form')
      .set('User-Agent', 'rambridge-cli/0.1.0 node/20')
      .send({ client_id: 'rambridge-cli', client_host: 'alice-laptop', client_version: '0.1.0' })
      .expect(200);
    const { user_code } = asked.body as { user_code: string };
    const browser = await signedIn(bridge, op);
    bridge.clock.advance(2 * MINUTE);
    const page = await submit(browser, user_code.toLowerCase().replace('-', ' '));
    expect(page.status).toBe(200);
    const testid = (id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(page.text)?.[1];
    expect(testid('device-user-code')).toBe(user_code);
    expect(testid('device-client-host')).toBe('alice-laptop');
    expect(testid('device-client-ip')).toMatch(/127\.0\.0\.1/);
    expect(page.text).toMatch(/data-testid="device-client-id">rambridge-cli 0\.1\.0/);
    expect(testid('device-user-agent')).toBe('rambridge-cli/0.1.0 node/20');
    expect(page.text).toContain('2 min ago');
    expect(page.text).toContain('data-testid="device-approve"');
    expect(page.text).toContain('data-testid="device-deny"');
    expect(page.text).toContain('signed-in-as');
  });

  test('self-reported client metadata is shown escaped, without control or bidi characters', async () => {
    const bridge = await testBridge(op);
    const { user_code } = await started(bridge.agent(), {
      client_host: '<img src=x onerror=alert(1)>\u202Eexe.\r\nlaptop',
      client_version: '"><script>',
    });
    const page = await submit(await signedIn(bridge, op), user_code);
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).not.toContain('"><script>');
    expect(page.text).not.toContain('\u202E');
    expect(page.text).toContain('\\u{3c}img\\u{20}src\\u{3d}x\\u{20}onerror\\u{3d}alert\\u{28}1\\u{29}\\u{3e}exe.laptop');
  });

  test('what the device says about itself is labelled unverified, host and version in their character sets, the user agent cut short', async () => {
    const bridge = await testBridge(op);
    // The pentest's phishing request (s14 finding 3): reassurances written into the victim's page.
    const ua = `IT Security: this request was pre-approved by the Service Desk (INC-4711). Click Approve to continue. ${'x'.repeat(200)}`;
    const { user_code } = await started(bridge.agent().set('User-Agent', ua), {
      client_host: 'alice-laptop\u200b\u2060\ufeff\u00ad\u3164\u{e0041} (verified)',
      client_version: '1.2.0 \u2014 safe',
    });
    const page = await submit(await signedIn(bridge, op), user_code);
    const testid = (id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(page.text)?.[1];
    expect(testid('device-reported')).toBe('Reported by the device (not verified)');
    // Invisible characters are gone before anything is stored; what is left outside the set is shown as \u{…}.
    expect(testid('device-client-host')).toBe('alice-laptop\\u{20}\\u{28}verified\\u{29}');
    expect(testid('device-client-id')).toBe('rambridge-cli 1.2.0\\u{20}\\u{2014}\\u{20}safe');
    const shownUa = testid('device-user-agent')!;
    expect(Array.from(shownUa)).toHaveLength(120);
    expect(shownUa.endsWith('…')).toBe(true);
    expect(ua.startsWith(shownUa.slice(0, -1))).toBe(true);
    // The reported block comes after the facts the bridge saw itself (code, time, address).
    expect(page.text.indexOf('data-testid="device-client-ip"')).toBeLessThan(page.text.indexOf('data-testid="device-reported"'));
    // The log has host and version as they came, less the invisible characters.
    const logged = bridge.logLines.map((l) => JSON.parse(l)).find((l) => l.event === 'device-authorization');
    expect(logged).toMatchObject({ clientHost: 'alice-laptop (verified)', clientVersion: '1.2.0 \u2014 safe' });

    const zh = await submit((await signedIn(bridge, op)).set('Accept-Language', 'zh-CN'), user_code);
    expect(zh.text).toContain('由设备自行报告（未经验证）');
  });

  test('says the device’s roles follow the user’s groups only when the IdP is asked again (refreshGroups); otherwise until its session ends', async () => {
    const said = async (bridge: Awaited<ReturnType<typeof testBridge>>, lang = 'en') => {
      const { user_code } = await started(bridge.agent());
      const page = await submit((await signedIn(bridge, op)).set('Accept-Language', lang), user_code);
      return /data-testid="device-roles-change">([^<]*)</.exec(page.text)?.[1];
    };
    const plain = await testBridge(op);
    expect(await said(plain)).toBe(
      'The device gets them from your groups as of this sign-in: a change to your groups reaches it at its next sign-in, at the latest in 12 h, when its session ends.',
    );
    expect(await said(plain, 'zh-CN')).toContain('最迟在 12 小时后其会话结束时');
    const shorter = await testBridge(op, { config: (c: BridgeConfig) => void (c.device.sessionMaxAgeSeconds = 8 * 3600) });
    expect(await said(shorter)).toContain('at the latest in 8 h,');

    const refreshing = await testBridge(op, { config: (c: BridgeConfig) => void ((c.idps[0] as OidcIdp).refreshGroups = true) });
    expect(await said(refreshing)).toBe('These follow your groups: when your groups change, what the device can get changes too.');
  });

  test.each(['abcd wxyz', 'ABCD-WXYZ', 'abcdwxyz'])('input normalisation: the live code typed like "%s" is found', async (shape) => {
    const bridge = await testBridge(op);
    const { user_code } = await started(bridge.agent());
    const [a, b] = user_code.split('-') as [string, string];
    const typed =
      shape === 'abcd wxyz' ? `${a.toLowerCase()} ${b.toLowerCase()}` : shape === 'abcdwxyz' ? (a + b).toLowerCase() : user_code;
    const page = await submit(await signedIn(bridge, op), typed);
    expect(page.text).toContain('data-testid="device-confirm"');
  });

  test('approve binds the signed-in identity: the CLI session is that user', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    const page = await decide(await signedIn(bridge, op, BOB), user_code, 'approve');
    expect(page.text).toContain('data-testid="device-approved"');
    const { body } = await poll(cli, device_code).expect(200);
    const who = await cli.get('/api/whoami').set('Authorization', `Bearer ${body.access_token}`).expect(200);
    expect(who.body).toMatchObject({ subject: 'bob-sub', email: 'bob@example.com', groups: ['rambridge-readonly'] });
  });

  test('approve and deny need the CSRF token and our origin; without them nothing changes', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    const browser = await signedIn(bridge, op);
    const confirm = await submit(browser, user_code);
    const csrf = csrfOf(confirm.text);
    const noToken = await browser.post('/device').type('form').send({ user_code, decision: 'approve' }).expect(403);
    expect(noToken.text).toContain('ERR_CSRF');
    await browser
      .post('/device')
      .type('form')
      .set('Origin', 'https://evil.example')
      .send({ _csrf: csrf, user_code, decision: 'approve' })
      .expect(403);
    await browser
      .post('/device')
      .type('form')
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ _csrf: csrf, user_code, decision: 'deny' })
      .expect(403);
    expect((await poll(cli, device_code)).body.error).toBe('authorization_pending');
    await browser.get(`/device?user_code=${user_code}&decision=approve`).expect(200);
    bridge.clock.advance(5000);
    expect((await poll(cli, device_code)).body.error).toBe('authorization_pending');
  });

  test('a code already approved cannot be entered again', async () => {
    const bridge = await testBridge(op);
    const { user_code } = await started(bridge.agent());
    const browser = await signedIn(bridge, op);
    await decide(browser, user_code, 'approve');
    expect(refusalCode((await submit(browser, user_code)).text)).toBe('ERR_DEVICE_USER_CODE_USED');
    expect(refusalCode((await submit(browser, user_code, 'deny')).text)).toBe('ERR_DEVICE_USER_CODE_USED');
  });

  test('a code the CLI has redeemed is still "already used", and entering it again is not a guess', async () => {
    const bridge = await testBridge(op);
    const cli = bridge.agent();
    const { user_code, device_code } = await started(cli);
    const browser = await signedIn(bridge, op);
    await decide(browser, user_code, 'approve');
    await poll(cli, device_code).expect(200);
    // A reload or a back-and-post of the approval, more times than the guessing limit allows.
    for (let i = 0; i < 6; i++) {
      expect(refusalCode((await submit(browser, user_code)).text)).toBe('ERR_DEVICE_USER_CODE_USED');
      expect(refusalCode((await submit(browser, user_code, 'approve')).text)).toBe('ERR_DEVICE_USER_CODE_USED');
    }
    const next = await started(bridge.agent());
    expect((await submit(browser, next.user_code)).text).toContain('data-testid="device-confirm"');
  });
});

describe('guessing user codes', () => {
  test('wrong and malformed codes re-render the form; the 6th attempt in 15 minutes is 429, even with the right code', async () => {
    const bridge = await testBridge(op);
    const { user_code } = await started(bridge.agent());
    const browser = await signedIn(bridge, op);
    for (const guess of [wrongCode(user_code), 'AAAA-AAAA', 'hello', wrongCode(user_code), '']) {
      const page = await submit(browser, guess);
      expect(page.status).toBe(200);
      expect(refusalCode(page.text)).toBe('ERR_DEVICE_USER_CODE_INVALID');
    }
    const blocked = await submit(browser, user_code);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('ERR_DEVICE_TOO_MANY_ATTEMPTS');
    // Signing in again does not reset the count: it is kept per user.
    const again = await signedIn(bridge, op);
    expect((await submit(again, user_code, 'approve')).status).toBe(429);
    bridge.clock.advance(15 * 60_000);
    const fresh = await started(bridge.agent());
    expect((await submit(again, fresh.user_code)).text).toContain('data-testid="device-confirm"');
  });

  test('right codes do not count against the limit', async () => {
    const bridge = await testBridge(op);
    const { user_code } = await started(bridge.agent());
    const browser = await signedIn(bridge, op);
    for (let i = 0; i < 8; i++) expect((await submit(browser, user_code)).text).toContain('data-testid="device-confirm"');
  });

  test('the global cap stops guessing spread over many users', async () => {
    const bridge = await testBridge(op, { config: (c) => (c.device.globalFailedUserCodesPerMinute = 6) });
    const { user_code } = await started(bridge.agent());
    const alice = await signedIn(bridge, op, ALICE);
    const bob = await signedIn(bridge, op, BOB);
    for (let i = 0; i < 3; i++) {
      expect((await submit(alice, wrongCode(user_code))).status).toBe(200);
      expect((await submit(bob, wrongCode(user_code))).status).toBe(200);
    }
    const blocked = await submit(alice, user_code);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('ERR_DEVICE_TOO_MANY_ATTEMPTS');
    bridge.clock.advance(60_000);
    expect((await submit(bob, user_code)).text).toContain('data-testid="device-confirm"');
  });

  test('every refusal is logged with the user, never with the code', async () => {
    const bridge = await testBridge(op);
    const { user_code } = await started(bridge.agent());
    const guess = wrongCode(user_code);
    await submit(await signedIn(bridge, op), guess);
    const refusals = bridge.logLines.map((l) => JSON.parse(l)).filter((l) => l.event === 'device-code-refused');
    expect(refusals).toEqual([expect.objectContaining({ level: 40, why: 'unknown', subject: 'alice-sub' })]);
    expect(bridge.logLines.join('')).not.toContain(guess);
    expect(bridge.logLines.join('')).not.toContain(guess.replace('-', ''));
  });

  test('every refused code is audited as a refusal with the user, not only the 429 that follows', async () => {
    const bridge = await testBridge(op);
    const { user_code } = await started(bridge.agent());
    const browser = await signedIn(bridge, op);
    await decide(browser, user_code, 'deny');
    bridge.logLines.length = 0;
    const guess = wrongCode(user_code);
    expect(refusalCode((await submit(browser, guess)).text)).toBe('ERR_DEVICE_USER_CODE_INVALID');
    expect(refusalCode((await submit(browser, user_code)).text)).toBe('ERR_DEVICE_USER_CODE_USED');
    const audited = bridge.logLines.map((l) => JSON.parse(l)).filter((l) => l.audit === true);
    expect(audited).toEqual(
      ['ERR_DEVICE_USER_CODE_INVALID', 'ERR_DEVICE_USER_CODE_USED'].map((code) =>
        expect.objectContaining({
          event: 'refusal',
          code,
          method: 'POST',
          route: '/device',
          user: expect.objectContaining({ subject: 'alice-sub' }),
        }),
      ),
    );
    expect(JSON.stringify(audited)).not.toContain(guess.replace('-', ''));
    expect(JSON.stringify(audited)).not.toContain(user_code.replace('-', ''));
  });
});
