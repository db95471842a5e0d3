import { ALICE_DEV_OPS, fakeOpForFile } from '../../helpers/fake-op.js';
import { bridgeWithEmulator, testBridge } from '../../helpers/bridge.js';
import { signIn, signedInBrowser } from '../../helpers/web.js';
import { storedEntries } from '../../unit/device/store-entries.js';
import type { CheckedRoleRequest } from '../../../src/issuance/role-request.js';

/**
 * GET /roles/:role/console, what `rambridge console ROLE -s ecs` opens: the picker's "Open console"
 * form, filled in, that submits itself only when the browser says the user opened the tab.
 */
const fake = fakeOpForFile();
const ALICE = ALICE_DEV_OPS;
const ALICE_MFA = { ...ALICE, amr: ['pwd', 'mfa'], auth_time: Math.floor(Date.now() / 1000) };
const BOB = { sub: 'bob-sub', email: 'bob@example.com', name: 'Bob', groups: ['rambridge-readonly'], amr: ['pwd'] };
const EMULATOR = 'http://127.0.0.1:9090';

const signedIn = (user: typeof ALICE = ALICE, options: Parameters<typeof testBridge>[1] = {}) => signedInBrowser(fake.op, user, options);

/** The hidden fields of the launch form, by name. */
function formFields(html: string): Record<string, string> {
  const form = /<form method="post" action="\/roles\/console"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  return Object.fromEntries([...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
}

const AUTO_SUBMIT = 'data-launch-autosubmit';
const SCRIPT = '<script type="module" src="/assets/launch.js"';

describe('GET /roles/:role/console', () => {
  test('signed in: the filled-in console form, the service resolved through the allow-list, the role maximum', async () => {
    const { browser, csrf } = await signedIn();
    const res = await browser.get('/roles/dev-admin/console?service=ecs').set('Sec-Fetch-Site', 'none').expect(200);
    expect(formFields(res.text)).toEqual({
      _csrf: csrf,
      role: 'dev-admin',
      duration: '14400',
      destination: `${EMULATOR}/console/ecs/cn-hangzhou`,
    });
    expect(res.text).toContain('data-testid="open-console"');
    expect(res.text).toContain('ECS instances, cn-hangzhou');
    expect(res.text).toContain('acs:ram::1111222233334444:role/rambridge-dev-admin');
    expect(res.text).not.toContain('data-testid="justification"');
    // The POST is redirected to the sign-in service: CSP form-action must allow its origin.
    expect(res.headers['content-security-policy']).toMatch(new RegExp(`form-action 'self' [^;]*${EMULATOR.replace(/\./g, '\\.')}`));
    expect(res.headers['cache-control']).toBe('no-store');
  });

  test.each([
    ['none', true],
    ['same-origin', true],
    ['same-site', false],
    ['cross-site', false],
    [undefined, false],
  ])('Sec-Fetch-Site %s: auto-submit %s', async (fetchSite, auto) => {
    const { browser } = await signedIn();
    const req = browser.get('/roles/dev-readonly/console?service=ram');
    const res = await (fetchSite ? req.set('Sec-Fetch-Site', fetchSite) : req).expect(200);
    expect(res.text.includes(AUTO_SUBMIT)).toBe(auto);
    expect(res.text.includes(SCRIPT)).toBe(auto);
    // Either way the user can press the button.
    expect(formFields(res.text)).toMatchObject({ role: 'dev-readonly', destination: `${EMULATOR}/console/ram` });
    expect(res.text).toContain('data-testid="open-console"');
  });

  test('a role the user lacks is 403 ERR_ROLE_NOT_GRANTED, logged', async () => {
    const { browser, logLines } = await signedIn(BOB);
    const res = await browser
      .get('/roles/dev-admin/console?service=ecs')
      .set('Sec-Fetch-Site', 'none')
      .set('Accept', 'text/html')
      .expect(403);
    expect(res.text).toContain('data-testid="error-code">ERR_ROLE_NOT_GRANTED<');
    expect(res.text).not.toContain(AUTO_SUBMIT);
    expect(logLines.some((l) => l.includes('"event":"role-refused"'))).toBe(true);
  });

  test('an unknown service is 400 ERR_CONSOLE_SERVICE_UNKNOWN listing the known ones', async () => {
    const { browser } = await signedIn();
    const res = await browser.get('/roles/dev-admin/console?service=rds').set('Accept', 'text/html').expect(400);
    expect(res.text).toContain('data-testid="error-code">ERR_CONSOLE_SERVICE_UNKNOWN<');
    expect(res.text).toContain('Known services: ecs (cn-hangzhou), oss (cn-hangzhou), ram, actiontrail (cn-hangzhou).');
    const json = await browser.get('/roles/dev-admin/console?service=ecs&region=cn-beijing').set('Accept', 'application/json').expect(400);
    expect(json.body).toMatchObject({ code: 'ERR_CONSOLE_SERVICE_UNKNOWN', hint: expect.stringContaining('ecs (cn-hangzhou)') });
  });

  test('an elevated role never auto-submits: it asks for the justification', async () => {
    const { browser } = await signedIn(ALICE_MFA);
    const res = await browser.get('/roles/prod-admin/console?service=actiontrail').set('Sec-Fetch-Site', 'none').expect(200);
    expect(res.text).toContain('data-testid="justification"');
    expect(res.text).toMatch(/<textarea name="justification" required minlength="10"/);
    expect(res.text).not.toContain(AUTO_SUBMIT);
    expect(res.text).not.toContain(SCRIPT);
    // Capped by elevation.maxSessionDuration.
    expect(formFields(res.text)).toMatchObject({ role: 'prod-admin', duration: '3600' });
  });

  test('not signed in: the login redirect, returning to this very URL', async () => {
    const { agent } = await testBridge(fake.op);
    await agent()
      .get('/roles/dev-admin/console?service=ecs')
      .expect(302)
      .expect('location', `/login?return_to=${encodeURIComponent('/roles/dev-admin/console?service=ecs')}`);
  });

  test('the RAM role name and the ARN name the role too; a duration in the query is checked', async () => {
    const { browser } = await signedIn();
    for (const alias of ['rambridge-prod-ops', encodeURIComponent('acs:ram::5555666677778888:role/rambridge-prod-ops')]) {
      const res = await browser.get(`/roles/${alias}/console?duration=1800`).expect(200);
      expect(formFields(res.text)).toMatchObject({ role: 'prod-ops', duration: '1800', destination: '' });
    }
    const tooLong = await browser.get('/roles/prod-ops/console?duration=7200').expect(400);
    expect(tooLong.text).toContain('ERR_DURATION_INVALID');
  });

  test('a destination is checked against the allow-list; a service and a destination together are refused', async () => {
    const { browser } = await signedIn();
    const allowed = await browser.get(`/roles/dev-admin/console?destination=${encodeURIComponent(`${EMULATOR}/console/oss/cn-hangzhou`)}`);
    expect(formFields(allowed.text)).toMatchObject({ destination: `${EMULATOR}/console/oss/cn-hangzhou` });
    const foreign = await browser.get(`/roles/dev-admin/console?destination=${encodeURIComponent('https://evil.example/')}`).expect(400);
    expect(foreign.text).toContain('ERR_DESTINATION_NOT_ALLOWED');
    const both = await browser.get(`/roles/dev-admin/console?service=ecs&destination=${encodeURIComponent(`${EMULATOR}/console`)}`);
    expect(both.status).toBe(400);
    expect(both.text).toContain('ERR_BAD_REQUEST');
    await browser.get('/roles/dev-admin/console?service=ecs&service=oss').expect(400);
  });

  test('the form, posted as the page holds it, passes the checks of /roles/console', async () => {
    const seen: { request: CheckedRoleRequest; destination: unknown }[] = [];
    const { browser } = await signedIn(ALICE, {
      actions: {
        openConsole: (ctx, request) => {
          seen.push({ request, destination: (ctx.request.body as Record<string, unknown>).destination });
          ctx.body = 'console!';
          return Promise.resolve();
        },
      },
    });
    const page = await browser.get('/roles/prod-readonly/console?service=oss').set('Sec-Fetch-Site', 'none').expect(200);
    await browser
      .post('/roles/console')
      .set('Sec-Fetch-Site', 'same-origin')
      .type('form')
      .send(formFields(page.text))
      .expect(200, 'console!');
    expect(seen).toEqual([
      {
        request: expect.objectContaining({
          // The role's 12 hours, as asked for: all of the 12-hour browser session is left.
          durationSeconds: 43200,
          choice: expect.objectContaining({ role: expect.objectContaining({ id: 'prod-readonly' }) }),
        }),
        destination: `${EMULATOR}/console/oss/cn-hangzhou`,
      },
    ]);
  });

  // The router matches paths whatever their case and with a trailing slash: so must the guard.
  test.each([
    '/roles/dev-readonly/console?service=ram&duration=3600',
    '/roles/dev-readonly/Console?service=ram&duration=3600',
    '/roles/dev-readonly/console/?service=ram&duration=3600',
  ])(
    'the language switcher on a launch page (%s) goes back to the role in the picker, never to a page that opens by itself',
    async (link) => {
      // Another site's link: no auto-submit. One click on the switcher must not turn it into a
      // same-origin visit that opens the console for that site's role, service and duration.
      const { browser } = await signedIn();
      const page = await browser.get(link).set('Sec-Fetch-Site', 'cross-site').expect(200);
      expect(page.text).not.toContain(SCRIPT);
      const returnTo = /name="return_to" value="([^"]+)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
      expect(returnTo).toBe('/roles/dev-readonly');
      // A form that names the launch page anyway is sent to the same place.
      const switched = await browser
        .post('/lang')
        .set('Sec-Fetch-Site', 'same-origin')
        .type('form')
        .send({ lang: 'zh-CN', return_to: link })
        .expect(303);
      expect(switched.headers.location).toBe('/roles/dev-readonly');
    },
  );

  describe('no longer than what is left of the browser session', () => {
    const twoHours: Parameters<typeof testBridge>[1] = {
      config: (c) => {
        c.server.sessionMaxAgeSeconds = 7200;
        c.server.sessionIdleSeconds = 7200;
      },
    };

    test('the length asked for is posted; shown, the smaller of it and what is left less a minute, in whole minutes', async () => {
      const { browser, clock } = await signedIn(ALICE, twoHours);
      clock.advance((7200 - 2700) * 1000); // 45 min left
      const res = await browser.get('/roles/dev-readonly/console?service=ram').set('Sec-Fetch-Site', 'none').expect(200);
      // The role's maximum, asked for: issuance cuts it, and keeps what was asked for.
      expect(formFields(res.text)).toMatchObject({ role: 'dev-readonly', duration: '43200' });
      expect(res.text).toContain('for 44 min.');
      expect(res.text).toContain(AUTO_SUBMIT);
      const asked = await browser.get('/roles/dev-readonly/console?duration=1800').set('Sec-Fetch-Site', 'none').expect(200);
      expect(formFields(asked.text)).toMatchObject({ duration: '1800' });
      // Still checked against the role itself, whatever is left.
      await browser.get('/roles/dev-readonly/console?duration=86400').expect(400);
    });

    test('what is offered is rounded down to a whole minute: never “1 h 60 min”', async () => {
      const { browser, clock } = await signedIn(ALICE, {
        config: (c) => {
          c.server.sessionMaxAgeSeconds = 7260;
          c.server.sessionIdleSeconds = 7260;
        },
      });
      clock.advance(20_000); // 2 h 0 min 40 s left: 1 h 59 min 40 s offered
      const odd = await browser.get('/roles/dev-readonly/console?service=ram').set('Sec-Fetch-Site', 'none').expect(200);
      expect(odd.text).toContain('for 1 h 59 min.');
      const zh = await browser.get('/roles/dev-readonly/console?service=ram').set('Accept-Language', 'zh-CN').expect(200);
      expect(zh.text).toContain('1 小时 59 分钟');
      expect(zh.text).not.toContain('60 分钟');
    });

    test('a length cut by the session’s end is not recorded as the user’s choice: the audit keeps what was asked for', async () => {
      // A 1 h 0 min 50 s browser session; `rambridge console dev-readonly` asks for no length: the role’s 12 h.
      const b = await bridgeWithEmulator(fake.op, {
        config: (c) => {
          c.server.sessionMaxAgeSeconds = 3650;
          c.server.sessionIdleSeconds = 3650;
        },
      });
      try {
        const browser = await signIn(b.agent(), fake.op, ALICE);
        const page = await browser.get('/roles/dev-readonly/console?service=ecs').set('Sec-Fetch-Site', 'none').expect(200);
        expect(formFields(page.text).duration).toBe('43200');
        expect(page.text).toContain('for 59 min.');
        expect(page.text).toContain(AUTO_SUBMIT);
        await browser.post('/roles/console').set('Sec-Fetch-Site', 'same-origin').type('form').send(formFields(page.text)).expect(302);
        expect(b.audits().at(-1)).toMatchObject({ outcome: 'issued', durationSeconds: 3650, requestedDurationSeconds: 43200 });
        const prefs = storedEntries(b.store).filter(([key]) => key.startsWith('prefs:'));
        expect((JSON.parse(prefs[0]![1]) as { durations: unknown[] }).durations).toEqual([{ roleId: 'dev-readonly', seconds: 43200 }]);
      } finally {
        await b.close();
      }
    });

    test('under 15 min left: the page says to sign in again, never submits itself, and its button is disabled', async () => {
      const { browser, clock } = await signedIn(ALICE, twoHours);
      clock.advance((7200 - 900) * 1000); // exactly 900 s left: pressed a second later, it would be refused
      const boundary = await browser.get('/roles/dev-readonly/console').set('Sec-Fetch-Site', 'none').expect(200);
      expect(boundary.text).toContain('data-testid="session-ending"');
      expect(boundary.text).toContain('Your rambridge session ends in under 16 min: too soon to offer credentials');
      expect(boundary.text).not.toContain('ends in 15 min');
      expect(boundary.text).not.toContain(AUTO_SUBMIT);
      clock.advance(60_000); // 14 min left
      const res = await browser.get('/roles/dev-readonly/console?service=ram').set('Sec-Fetch-Site', 'none').expect(200);
      expect(res.text).toContain('data-testid="session-ending"');
      expect(res.text).toContain('Your rambridge session ends in 14 min: too soon for credentials');
      expect(res.text).toContain('Sign out and sign in again, then retry.');
      expect(res.text).not.toContain(AUTO_SUBMIT);
      expect(res.text).not.toContain(SCRIPT);
      // Focused on load (as on the picker: session-ending.js) and named by the button (test/e2e/session-ending.test.ts).
      expect(res.text).toContain(
        '<div id="session-ending" class="card error" role="alert" tabindex="-1" data-testid="session-ending" data-focus-self>',
      );
      expect(res.text).toContain('<script type="module" src="/assets/session-ending.js"></script>');
      expect(res.text).toContain('<button type="submit" data-testid="open-console" disabled aria-describedby="session-ending">');
    });
  });

  test('launch.js is served as a static script', async () => {
    const { agent } = await testBridge(fake.op);
    const res = await agent().get('/assets/launch.js').expect(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.text).toContain('data-launch-autosubmit');
  });
});
