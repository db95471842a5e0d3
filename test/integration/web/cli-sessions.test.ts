import { CliSessions } from '../../../src/device/index.js';
import { MemoryStore } from '../../../src/store/index.js';
import { testBridge } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import type TestAgent from 'supertest/lib/agent.js';
import { ALICE, bearer, BOB, type Bridge, decide, loggedIn, poll, refresh, signedIn, started } from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * "My CLI sessions" (`GET /sessions`, `POST /sessions/revoke`): the user's own sessions, by exact
 * identity, revocable one by one or all at once; someone else's session id is a coded 404, logged.
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());

const sids = (html: string) => [...html.matchAll(/data-testid="cli-session" data-sid="([^"]+)"/g)].map((m) => m[1]!);

async function aliceWithTwoCliSessions(bridge: Bridge) {
  const first = await loggedIn(bridge, op);
  const second = await loggedIn(bridge, op);
  const browser = await signedIn(bridge, op, ALICE);
  return { first, second, browser: browser.set('Accept', 'text/html') };
}

test('lists exactly the user’s sessions, without any token; revoking one ends it for the CLI', async () => {
  const bridge = await testBridge(op);
  const { first, second, browser } = await aliceWithTwoCliSessions(bridge);
  // Same subject and email at another IdP: someone else, not listed.
  const sessions = new CliSessions({ store: bridge.store, clock: bridge.clock, maxAgeSeconds: 3600 });
  const namesake = await sessions.start(
    { idp: 'partner', issuer: 'https://partner-idp.example', subject: ALICE.sub, email: ALICE.email, groups: [], amr: ['pwd'] },
    { clientId: 'rambridge-cli', host: 'elsewhere', ip: '10.0.0.9' },
  );

  const page = await browser.get('/sessions').expect(200);
  expect(page.headers['cache-control']).toBe('no-store');
  expect(page.text).toContain('data-testid="cli-sessions"');
  expect(sids(page.text)).toHaveLength(2);
  expect(sids(page.text)).not.toContain(namesake.session.sid);
  expect(page.text).toContain('<h2>alice-laptop</h2>');
  expect(page.text).toContain('data-testid="cli-session-client">rambridge-cli 0.1.0</dd>');
  expect(page.text).toContain('data-testid="cli-sessions-revoke-all"');
  for (const secret of [first.tokens.access_token, first.tokens.refresh_token, second.tokens.refresh_token])
    expect(page.text).not.toContain(secret);
  // Linked from every page's header.
  expect(page.text).toContain('<a href="/sessions" data-testid="my-cli-sessions">CLI sessions</a>');
  // The language switcher comes back here.
  expect(page.text).toContain('<input type="hidden" name="return_to" value="/sessions">');

  // Which listed session is the first login: the oldest comes first.
  const [oldest] = sids(page.text);
  const revoked = await browser
    .post('/sessions/revoke')
    .type('form')
    .send({ _csrf: csrfOf(page.text), sid: oldest })
    .expect(303);
  expect(revoked.headers.location).toBe('/sessions?revoked=1');
  const after = await browser.get(revoked.headers.location!).expect(200);
  expect(after.text).toContain('data-testid="cli-sessions-revoked">Revoked 1 CLI session: its tokens no longer work.</p>');
  expect(sids(after.text)).toHaveLength(1);
  expect(after.text).not.toContain('data-testid="cli-sessions-revoke-all"');

  // The CLI's next call: its refresh is refused with the re-login answer, its access token too.
  const refused = await refresh(first.cli, first.tokens.refresh_token).expect(400);
  expect(refused.body).toMatchObject({ error: 'invalid_grant', code: 'ERR_REFRESH_TOKEN_INVALID', hint: 'Run `rambridge login` again.' });
  await first.cli.get('/api/whoami').set(bearer(first.tokens.access_token)).expect(401);
  // The other session and the namesake keep working.
  await second.cli.get('/api/whoami').set(bearer(second.tokens.access_token)).expect(200);
  await expect(sessions.find(namesake.session.sid)).resolves.toBeDefined();
  expect(bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
    expect.objectContaining({ audit: true, event: 'cli-session-revoked', by: 'user' }),
  );
});

test('revoke all ends every one of the user’s sessions, and only theirs', async () => {
  const bridge = await testBridge(op);
  const { first, second, browser } = await aliceWithTwoCliSessions(bridge);
  const bob = await loggedIn(bridge, op, BOB);
  const page = await browser.get('/sessions').expect(200);
  const res = await browser
    .post('/sessions/revoke')
    .type('form')
    .send({ _csrf: csrfOf(page.text), all: '1' })
    .expect(303);
  expect(res.headers.location).toBe('/sessions?revoked=2');
  const after = await browser.get('/sessions').expect(200);
  expect(after.text).toContain('data-testid="cli-sessions-none"');
  await first.cli.get('/api/whoami').set(bearer(first.tokens.access_token)).expect(401);
  await second.cli.get('/api/whoami').set(bearer(second.tokens.access_token)).expect(401);
  await bob.cli.get('/api/whoami').set(bearer(bob.tokens.access_token)).expect(200);
});

test('another user’s session id is a coded 404, logged and audited, and that session lives on', async () => {
  const bridge = await testBridge(op);
  const bob = await loggedIn(bridge, op, BOB);
  const bobsSid = (await new CliSessions({ store: bridge.store, clock: bridge.clock, maxAgeSeconds: 3600 }).listForUser(BOB.sub))[0]!.sid;
  const alice = (await signedIn(bridge, op, ALICE)).set('Accept', 'text/html');
  const csrf = csrfOf((await alice.get('/sessions').expect(200)).text);

  for (const sid of [bobsSid, 'no-such-session', '']) {
    const res = await alice.post('/sessions/revoke').type('form').send({ _csrf: csrf, sid }).expect(404);
    expect(res.text).toContain('ERR_CLI_SESSION_NOT_FOUND');
    expect(res.text).toContain('You have no such CLI session.');
  }
  await bob.cli.get('/api/whoami').set(bearer(bob.tokens.access_token)).expect(200);
  const lines = bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines).toContainEqual(
    expect.objectContaining({ event: 'cli-session-revoke-refused', sid: bobsSid, exists: true, subject: ALICE.sub }),
  );
  expect(lines).toContainEqual(expect.objectContaining({ audit: true, event: 'refusal', code: 'ERR_CLI_SESSION_NOT_FOUND' }));
});

test('a session that ended between the page and the press (its own logout) is not recorded as revoked by the user', async () => {
  // The store ends the session itself at the moment the revocation takes it, as a logout racing it would.
  let endElsewhere = false;
  const bridge = await testBridge(op, {
    store: (clock) =>
      new (class extends MemoryStore {
        override async consume<T>(key: string): Promise<T | undefined> {
          const value = await super.consume<T>(key);
          return endElsewhere && key.startsWith('cli:session:') ? undefined : value;
        }
      })(clock),
  });
  const { browser } = await aliceWithTwoCliSessions(bridge);
  const page = await browser.get('/sessions').expect(200);
  endElsewhere = true;
  const res = await browser
    .post('/sessions/revoke')
    .type('form')
    .send({ _csrf: csrfOf(page.text), sid: sids(page.text)[0] })
    .expect(303);
  expect(res.headers.location).toBe('/sessions?revoked=0');
  const records = bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(records.filter((r) => r.event === 'cli-session-revoked')).toEqual([]);
});

test('what the device reported shows in its character sets, as on the approval page: a host cannot read as a sentence', async () => {
  const bridge = await testBridge(op);
  const cli = bridge.agent();
  const { user_code, device_code } = await started(cli, {
    client_host: 'THIS BROWSER (verified by IT) - do not revoke',
    client_version: '1.2.0 \u2014 managed',
  });
  const browser = (await signedIn(bridge, op, ALICE)).set('Accept', 'text/html');
  await decide(browser, user_code, 'approve');
  expect((await poll(cli, device_code)).status).toBe(200);
  const page = await browser.get('/sessions').expect(200);
  expect(page.text).not.toContain('verified by IT');
  expect(page.text).toContain('THIS\\u{20}BROWSER\\u{20}');
  expect(/data-testid="cli-session-client">([^<]*)</.exec(page.text)?.[1]).toBe('rambridge-cli 1.2.0\\u{20}\\u{2014}\\u{20}managed');
});

test('CSRF, sign-in and the language', async () => {
  const bridge = await testBridge(op);
  const { first, browser } = await aliceWithTwoCliSessions(bridge);
  const page = await browser.get('/sessions').expect(200);
  const [sid] = sids(page.text);
  // No token, or from another site: refused, nothing ended.
  await browser.post('/sessions/revoke').type('form').send({ sid }).expect(403);
  await browser
    .post('/sessions/revoke')
    .set('Sec-Fetch-Site', 'cross-site')
    .type('form')
    .send({ _csrf: csrfOf(page.text), sid })
    .expect(403);
  await first.cli.get('/api/whoami').set(bearer(first.tokens.access_token)).expect(200);

  // Not signed in: the page goes through sign-in and back; a revoke goes to sign in and revokes nothing.
  const anonymous = bridge.agent().set('Accept', 'text/html');
  const toLogin = await anonymous.get('/sessions').expect(302);
  expect(new URL(toLogin.headers.location!, 'http://x').searchParams.get('return_to')).toBe('/sessions');
  const posted = await anonymous.post('/sessions/revoke').type('form').send({ sid, all: '1' }).expect(303);
  expect(new URL(posted.headers.location!, 'http://x').searchParams.get('return_to')).toBe('/sessions');
  await first.cli.get('/api/whoami').set(bearer(first.tokens.access_token)).expect(200);

  const chinese = await browser.get('/sessions').set('Accept-Language', 'zh-CN').expect(200);
  expect(chinese.text).toContain('<h1>你的 CLI 会话</h1>');
  expect(chinese.text).toContain('>撤销</button>');
});

test('without an issuer there is no CLI sign-in, and the page says so', async () => {
  const bridge = await testBridge(op, { config: (c) => delete c.issuer });
  const browser = (await signedIn(bridge, op, ALICE)).set('Accept', 'text/html');
  const res = await browser.get('/sessions').expect(501);
  expect(res.text).toContain('CLI sign-in is not configured on this rambridge.');
});

describe('an approval the CLI has not yet redeemed ends with the sessions (RFC 8628 §5.4)', () => {
  // A victim approved a phisher's code, then saw whose it was and revoked everything: the code
  // must not turn into a session at the phisher's next poll.
  async function approvedNotRedeemed(bridge: Bridge) {
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    const browser = (await signedIn(bridge, op, ALICE)).set('Accept', 'text/html');
    await decide(browser, user_code, 'approve');
    return { cli, device_code, browser };
  }

  /** A form posted from the CLI sessions page, with its CSRF token. */
  const postFromSessionsPage = async (browser: TestAgent, path: string, fields: Record<string, string>) => {
    const page = await browser.get('/sessions').expect(200);
    await browser
      .post(path)
      .type('form')
      .send({ _csrf: csrfOf(page.text), ...fields })
      .expect(303);
  };
  const cliSessions = (bridge: Bridge) => new CliSessions({ store: bridge.store, clock: bridge.clock, maxAgeSeconds: 3600 });

  test.each([
    ['"revoke all" on /sessions', (_bridge: Bridge, browser: TestAgent) => postFromSessionsPage(browser, '/sessions/revoke', { all: '1' })],
    [
      'sign-out ending CLI sessions',
      (_bridge: Bridge, browser: TestAgent) => postFromSessionsPage(browser, '/logout', { cli_sessions: 'end' }),
    ],
    ['an administrator revoking the user', (bridge: Bridge) => cliSessions(bridge).revokeForUser(ALICE.email!)],
  ])('%s: the later poll is access_denied, and no session starts', async (_name, revoke) => {
    const bridge = await testBridge(op);
    const { cli, device_code, browser } = await approvedNotRedeemed(bridge);
    await revoke(bridge, browser);
    bridge.clock.advance(4 * 60_000);
    const res = await poll(cli, device_code);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('access_denied');
    expect(await cliSessions(bridge).listForUser(ALICE.email!)).toEqual([]);
  });

  test('a revocation that runs while the session is being started ends it too', async () => {
    // The revocation marks the user, then lists their sessions: between the token endpoint's
    // check and the session's index entry, it would find none and end none.
    let duringStart: (() => Promise<unknown>) | undefined;
    const bridge = await testBridge(op, {
      store: (clock) => {
        const inner = new MemoryStore(clock);
        const upsert = inner.upsert.bind(inner);
        inner.upsert = async (key, value, ttl) => {
          await upsert(key, value, ttl);
          if (!key.startsWith('cli:session:') || !duringStart) return;
          const revoke = duringStart;
          duringStart = undefined;
          await revoke();
        };
        return inner;
      },
    });
    const { cli, device_code } = await approvedNotRedeemed(bridge);
    const sessions = cliSessions(bridge);
    duringStart = () => sessions.revokeForUser(ALICE.email!);
    bridge.clock.advance(1000);
    const res = await poll(cli, device_code);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('access_denied');
    expect(await sessions.listForUser(ALICE.email!)).toEqual([]);
  });

  test('an approval made after the revocation signs in as usual', async () => {
    const bridge = await testBridge(op);
    const browser = (await signedIn(bridge, op, ALICE)).set('Accept', 'text/html');
    await postFromSessionsPage(browser, '/sessions/revoke', { all: '1' });
    bridge.clock.advance(1000);
    const { tokens } = await loggedIn(bridge, op);
    await bridge.agent().get('/api/whoami').set(bearer(tokens.access_token)).expect(200);
  });
});
