import type TestAgent from 'supertest/lib/agent.js';
import type { BridgeConfig } from '../../../src/config/index.js';
import type { CheckedRoleRequest } from '../../../src/issuance/role-request.js';
import { followOp, loginThroughFakeOp, testBridge } from '../../helpers/bridge.js';
import { FakeOp, type FakeOpUser } from '../../helpers/fake-op.js';
import { started, submit } from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * Issue 12 item 5, clear states: an action whose session has ended comes back to its role after
 * sign-in (never replayed); the chooser says the session ended; the no-roles page says who to ask
 * and shows the admin command to administrators only; the device confirmation lists the roles.
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());
afterEach(() => (op.now = Date.now));

const ALICE: FakeOpUser = {
  sub: 'alice-sub',
  email: 'alice@example.com',
  name: 'Alice',
  groups: ['rambridge-dev', 'rambridge-ops'],
  amr: ['pwd', 'mfa'],
};
const MALLORY: FakeOpUser = { sub: 'mallory-sub', email: 'mallory@example.com', name: 'Mallory', groups: [], amr: ['pwd'] };

async function bridgeSignedInAs(user: FakeOpUser, config?: (c: BridgeConfig) => void) {
  const seen: CheckedRoleRequest[] = [];
  const bridge = await testBridge(op, {
    config,
    actions: {
      openConsole: (ctx, request) => {
        seen.push(request);
        ctx.body = 'console!';
        return Promise.resolve();
      },
    },
  });
  op.now = () => bridge.clock.now();
  // A browser says it wants a page (without it, an answer is for a script: JSON).
  const browser = bridge.agent().set('Accept', 'text/html');
  op.user = user;
  await loginThroughFakeOp(browser, op).then((r) => expect(r.status).toBe(302));
  const page = await browser.get('/roles');
  return { ...bridge, browser, page, csrf: csrfOf(page.text), seen };
}

const location = (res: { headers: Record<string, string | undefined> }) => new URL(res.headers.location!, 'http://bridge.test');

describe('an action after the session ended', () => {
  test('Open console goes through sign-in back to the role, with a notice and the button to focus; nothing is replayed', async () => {
    const { browser, csrf, clock, config, seen, logLines } = await bridgeSignedInAs(ALICE);
    clock.advance(config.server.sessionIdleSeconds * 1000);

    const justification = 'incident 4711: disk full on the payment hosts';
    const posted = await browser
      .post('/roles/console')
      .type('form')
      .send({ _csrf: csrf, role: 'prod-admin', duration: '900', justification })
      .expect(303);
    const login = location(posted);
    expect(login.pathname).toBe('/login');
    expect(login.searchParams.get('return_to')).toBe('/roles/prod-admin?action=console');
    expect(login.searchParams.get('expired')).toBe('1');
    // Nothing of the form but the role id leaves: never the justification.
    expect(posted.headers.location).not.toContain('4711');
    expect(logLines.join('')).toContain('"event":"session-ended-resume"');

    const back = await loginThroughFakeOp(browser, op, login.searchParams.get('return_to')!);
    expect(back.headers.location).toBe('/roles/prod-admin?action=console');
    const page = await browser.get(back.headers.location!).expect(200);
    expect(page.text).toContain('data-testid="resume-notice" data-focus-role="prod-admin" data-focus-testid="open-console"');
    expect(page.text).toContain('Your session had ended; you are signed in again. Press Open console to continue.');
    expect(page.text).toContain('<script type="module" src="/assets/resume.js"></script>');
    expect(page.text).toMatch(/class="role highlighted" data-testid="role" data-role-id="prod-admin"/);
    expect(page.text).not.toContain('4711');
    // The console was not opened on the way.
    expect(seen).toHaveLength(0);

    // Pressing the button now works, with the new session's token.
    await browser
      .post('/roles/console')
      .type('form')
      .send({ _csrf: csrfOf(page.text), role: 'prod-admin', duration: '900', justification })
      .expect(200, 'console!');
  });

  test('Get CLI credentials comes back to its own button; an unknown role or path goes back to the picker', async () => {
    const { browser, csrf, clock, config } = await bridgeSignedInAs(ALICE);
    clock.advance(config.server.sessionMaxAgeSeconds * 1000);
    const credentials = await browser.post('/roles/credentials').type('form').send({ _csrf: csrf, role: 'dev-admin' }).expect(303);
    expect(location(credentials).searchParams.get('return_to')).toBe('/roles/dev-admin?action=credentials');
    const odd = await browser.post('/roles/console').type('form').send({ role: '../../evil', duration: '900' }).expect(303);
    expect(location(odd).searchParams.get('return_to')).toBe('/roles');

    const back = await loginThroughFakeOp(browser, op, '/roles/dev-admin?action=credentials');
    const page = await browser.get(back.headers.location!).expect(200);
    expect(page.text).toContain('data-focus-role="dev-admin" data-focus-testid="get-credentials"');
    // Any other visit of a role page has no notice.
    expect((await browser.get('/roles/dev-admin').expect(200)).text).not.toContain('resume-notice');
    expect((await browser.get('/roles/dev-admin?action=delete').expect(200)).text).not.toContain('resume-notice');
  });

  test('API clients still get the coded 401, and another site cannot start the round trip', async () => {
    const { agent } = await bridgeSignedInAs(ALICE);
    const json = await agent()
      .post('/roles/console')
      .set('Accept', 'application/json')
      .type('form')
      .send({ role: 'dev-admin' })
      .expect(401);
    expect(json.body).toMatchObject({ code: 'ERR_NOT_SIGNED_IN' });
    const crossSite = await agent()
      .post('/roles/console')
      .set({ Accept: 'text/html', 'Sec-Fetch-Site': 'cross-site' })
      .type('form')
      .send({ role: 'dev-admin' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.text).toContain('ERR_CSRF');
  });

  test('a star pressed after the session ended goes through sign-in back to its page; a revoke back to the list; JSON gets the 401', async () => {
    const { browser, csrf, clock, config, agent } = await bridgeSignedInAs(ALICE);
    clock.advance(config.server.sessionIdleSeconds * 1000);
    const star = await browser
      .post('/roles/favourite')
      .type('form')
      .send({ _csrf: csrf, role: 'dev-admin', return_to: '/roles?q=dev' })
      .expect(303);
    expect([location(star).pathname, location(star).searchParams.get('return_to'), location(star).searchParams.get('expired')]).toEqual([
      '/login',
      '/roles?q=dev',
      '1',
    ]);
    const revoke = await browser.post('/sessions/revoke').type('form').send({ _csrf: csrf, sid: 'x' }).expect(303);
    expect(location(revoke).searchParams.get('return_to')).toBe('/sessions');
    const json = await agent().post('/roles/favourite').set('Accept', 'application/json').type('form').send({ role: 'dev-admin' });
    expect([json.status, json.body.code]).toEqual([401, 'ERR_NOT_SIGNED_IN']);
    // Another site's form does not start the round trip, for a revoke either.
    const crossSite = await agent()
      .post('/sessions/revoke')
      .set({ Accept: 'text/html', 'Sec-Fetch-Site': 'cross-site' })
      .type('form')
      .send({ sid: 'x' });
    expect([crossSite.status, crossSite.text.includes('ERR_CSRF')]).toEqual([403, true]);
  });

  test('a page GET says the session ended only when there was one: timed out, or gone from the store', async () => {
    const { browser, clock, config, agent } = await bridgeSignedInAs(ALICE);
    // Never signed in: no flag.
    expect(location(await agent().get('/roles').expect(302)).searchParams.get('expired')).toBeNull();
    clock.advance(config.server.sessionIdleSeconds * 1000);
    const idle = location(await browser.get('/roles').expect(302));
    expect([idle.searchParams.get('return_to'), idle.searchParams.get('expired')]).toEqual(['/roles', '1']);

    // Past the absolute lifetime the store has dropped the session; the cookie still names it.
    const again = await bridgeSignedInAs(ALICE);
    again.clock.advance(again.config.server.sessionMaxAgeSeconds * 1000 + 1000);
    expect(location(await again.browser.get('/roles/dev-admin').expect(302)).searchParams.get('expired')).toBe('1');
  });

  test('the chooser says the session ended, with a flag and nothing about the user', async () => {
    const bridge = await testBridge(op, { config: (c) => c.idps.push({ ...c.idps[0]!, id: 'second', displayName: 'Second IdP' }) });
    const page = await bridge.agent().get('/login?return_to=%2Froles%2Fdev-admin%3Faction%3Dconsole&expired=1').expect(200);
    expect(page.text).toContain('data-testid="session-ended"');
    expect(page.text).toContain('Your session ended. Sign in again.');
    expect(page.text).toContain('return_to=%2Froles%2Fdev-admin%3Faction%3Dconsole');
    const plain = await bridge.agent().get('/login').expect(200);
    expect(plain.text).not.toContain('data-testid="session-ended"');
  });

  test('a device decision posted after the session ended goes to sign in, says so, and keeps the code', async () => {
    const { browser, clock, config, agent } = await bridgeSignedInAs(ALICE);
    const { user_code } = await started(agent());
    const form = await browser.get('/device').expect(200);
    clock.advance(config.server.sessionIdleSeconds * 1000);
    const res = await browser
      .post('/device')
      .type('form')
      .send({ _csrf: csrfOf(form.text), user_code, decision: 'approve' })
      .expect(303);
    const login = location(res);
    expect(login.searchParams.get('return_to')).toBe(`/device?user_code=${user_code}`);
    expect(login.searchParams.get('expired')).toBe('1');
  });
});

test('a sign-in during which the old session reaches its 12 h ends signed in, not on a 500', async () => {
  // Signed in 11 h 58 min ago, active all along; `/login?reauth=1` (as the device page sends) and
  // three minutes at the IdP's password prompt: the old session ends while the user is away.
  const { browser, clock } = await bridgeSignedInAs(ALICE, (c) => (c.server.sessionIdleSeconds = 12 * 3600));
  clock.advance((11 * 60 + 58) * 60_000);
  await browser.get('/roles').expect(200);
  const start = await browser.get('/login?reauth=1').expect(302);
  clock.advance(3 * 60_000);
  const callback = await followOp(start.headers.location!);
  const signedIn = await browser.get(callback.pathname + callback.search).expect(302);
  expect(signedIn.headers.location).toBe('/roles');
  await browser.get('/roles').expect(200);
});

test.each([
  ['no longer configured', { id: 'replacement' }],
  ['now pointed at another issuer (another tenant)', { issuer: 'https://other-tenant.example.com' }],
])('a browser session from an IdP %s has ended', async (_change, change) => {
  const { browser, config } = await bridgeSignedInAs(ALICE);
  await browser.get('/roles').expect(200);
  // As after a reload (the running app reads the configuration it was built with).
  config.idps.splice(0, config.idps.length, { ...config.idps[0]!, ...change });
  const res = await browser.get('/roles').expect(302);
  expect(res.headers.location).toMatch(/^\/login\?return_to=%2Froles&expired=1$/);
});

test('an OIDC issuer written with a trailing slash the IdP does not use is the same issuer: the session goes on', async () => {
  // Sign-in compares the discovered issuer with the configured one as URLs; so does the session check.
  const { browser, config } = await bridgeSignedInAs(ALICE, (c) => {
    const idp = c.idps[0] as { issuer: string };
    idp.issuer = `${idp.issuer}/`;
  });
  expect(config.idps[0]!.issuer).toMatch(/:\d+\/$/);
  await browser.get('/roles').expect(200);
});

describe('the no-roles page', () => {
  const support = (s: BridgeConfig['support']) => (c: BridgeConfig) => (c.support = s);

  test('without a contact it says to ask the administrator, and shows no admin command', async () => {
    const { page } = await bridgeSignedInAs({ ...MALLORY, groups: ['marketing'] }, support({ adminGroups: ['rambridge-admins'] }));
    expect(page.status).toBe(403);
    expect(page.text).toContain('data-testid="support-contact">Ask your administrator to add you to a group');
    expect(page.text).toContain('<code>marketing</code>');
    expect(page.text).not.toContain('data-testid="admin-command"');
    expect(page.text).not.toContain('rambridge explain');
  });

  test('the configured contact, linked when it has a URL', async () => {
    const { page } = await bridgeSignedInAs(
      MALLORY,
      support({ contact: 'the IT service desk', url: 'https://desk.example.com/cloud-access', adminGroups: [] }),
    );
    expect(page.text).toContain(
      'Ask <a href="https://desk.example.com/cloud-access" data-testid="support-link">the IT service desk</a> to add you to a group',
    );
    const onlyUrl = await bridgeSignedInAs(MALLORY, support({ url: 'https://desk.example.com/', adminGroups: [] }));
    expect(onlyUrl.page.text).toContain('<a href="https://desk.example.com/" data-testid="support-link">the access request page</a>');
  });

  test('an administrator (a group in support.adminGroups, globs too) sees the explain command for their groups', async () => {
    const admin = { ...MALLORY, groups: ['cloud-admins-emea', 'marketing'] };
    const { page } = await bridgeSignedInAs(admin, support({ contact: 'Cloud team', adminGroups: ['cloud-admins-*'] }));
    expect(page.status).toBe(403);
    expect(page.text).toContain('data-testid="admin-command"');
    expect(page.text).toContain(
      'rambridge explain -c CONFIG.yaml --idp &#39;demo&#39; --groups &#39;cloud-admins-emea,marketing&#39; --email &#39;mallory@example.com&#39; --amr &#39;pwd&#39;',
    );
    expect(page.text).toContain('<strong>Cloud team</strong>');
  });

  test('in Chinese too', async () => {
    const bridge = await testBridge(op, { config: support({ contact: 'IT 服务台', adminGroups: ['marketing'] }) });
    const browser: TestAgent = bridge.agent().set('Accept-Language', 'zh-CN');
    op.user = { ...MALLORY, groups: ['marketing'] };
    await loginThroughFakeOp(browser, op);
    const page = await browser.get('/roles').expect(403);
    expect(page.text).toContain('请联系 <strong>IT 服务台</strong>，将你加入授予所需角色的组。');
    expect(page.text).toContain('管理员须知');
  });
});

describe('the device confirmation page', () => {
  test('lists the roles the device will be able to get, and until when the groups of this sign-in hold', async () => {
    const { browser, agent } = await bridgeSignedInAs({ ...ALICE, groups: ['rambridge-dev'] });
    const { user_code } = await started(agent());
    const confirm = await submit(browser, user_code);
    expect(confirm.text).toContain('data-testid="device-confirm"');
    const roles = [...confirm.text.matchAll(/<li data-role-id="([^"]+)">/g)].map((m) => m[1]);
    expect(roles).toEqual(['dev-admin', 'dev-readonly']);
    expect(confirm.text).toContain('Development <span class="account-id">1111222233334444</span> · via OIDC');
    // Without refreshGroups the device keeps this sign-in's groups (verification-page.test.ts has the other case).
    expect(confirm.text).toContain('a change to your groups reaches it at its next sign-in, at the latest in 12 h');
  });

  test('says so when the groups grant nothing', async () => {
    const { browser, agent } = await bridgeSignedInAs(MALLORY);
    const { user_code } = await started(agent());
    const confirm = await submit(browser, user_code);
    expect(confirm.text).toContain('data-testid="device-roles-none"');
  });
});
