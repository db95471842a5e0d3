import { startDevIdp, type RunningDevIdp } from '../../../src/devidp/index.js';
import { CliSessions } from '../../../src/device/index.js';
import { MemoryStore } from '../../../src/store/index.js';
import { testBridge } from '../../helpers/bridge.js';
import { HoldPoint } from '../../helpers/hold-point.js';
import { storedEntries } from '../../unit/device/store-entries.js';
import { FakeOp } from '../../helpers/fake-op.js';
import type TestAgent from 'supertest/lib/agent.js';
import { TinyBrowser } from '../devidp/browser.js';
import { ALICE, bearer, type Bridge, loggedIn, signedIn } from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * Browser sign-out: it offers to end the user's CLI sessions too — exactly this user's (issuer and
 * subject), with a one-time offer standing in for the ended session — and, where the IdP advertises
 * an end_session_endpoint, to sign out there as well (OIDC RP-Initiated Logout).
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());

const offerToken = (html: string) => /name="token" value="([^"]+)"/.exec(html)?.[1];

/** Both POSTs answer 303 to GET /signed-out (POST-redirect-GET): the page, as the browser follows it. */
async function followed(agent: TestAgent, posted: Promise<{ status: number; headers: Record<string, string> }>) {
  const res = await posted;
  expect([res.status, res.headers.location]).toEqual([303, '/signed-out']);
  return agent.get('/signed-out').expect(200);
}

/** A signed-in browser and a CLI session of Alice, plus a CLI session of a same-subject user at another IdP. */
async function aliceWithCliSession(bridge: Bridge) {
  const { cli, tokens } = await loggedIn(bridge, op);
  const sessions = new CliSessions({ store: bridge.store, clock: bridge.clock, maxAgeSeconds: 3600 });
  const namesake = await sessions.start(
    { idp: 'partner', issuer: 'https://partner-idp.example', subject: ALICE.sub, email: ALICE.email, groups: [], amr: ['pwd'] },
    { clientId: 'rambridge-cli', host: 'elsewhere', ip: '10.0.0.9' },
  );
  const browser = await signedIn(bridge, op);
  const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
  return { cli, accessToken: tokens.access_token, browser, csrf, sessions, namesake: namesake.session };
}

test('sign-out offers to end the CLI sessions; the offer ends exactly this user’s, once', async () => {
  const bridge = await testBridge(op);
  const { cli, accessToken, browser, csrf, sessions, namesake } = await aliceWithCliSession(bridge);

  const out = await followed(browser, browser.post('/logout').type('form').send({ _csrf: csrf }));
  expect(out.text).toContain('data-testid="signed-out"');
  expect(out.text).toContain('data-testid="cli-sessions-offer"');
  expect(out.text).toContain('1 CLI session ');
  // Signing out of the browser alone leaves the CLI working.
  await cli.get('/api/whoami').set(bearer(accessToken)).expect(200);

  const token = offerToken(out.text)!;
  const crossSite = await browser.post('/logout/cli-sessions').set('Sec-Fetch-Site', 'cross-site').type('form').send({ token });
  expect(crossSite.status).toBe(403);

  const ended = await followed(browser, browser.post('/logout/cli-sessions').type('form').send({ token }));
  expect(ended.text).toContain('data-testid="cli-sessions-ended"');
  await cli.get('/api/whoami').set(bearer(accessToken)).expect(401);
  // The same subject at another IdP is someone else.
  await expect(sessions.find(namesake.sid)).resolves.toMatchObject({ sid: namesake.sid });

  const replay = await browser.post('/logout/cli-sessions').set('Accept', 'application/json').type('form').send({ token });
  expect([replay.status, replay.body.code]).toEqual([403, 'ERR_CSRF']);
});

test('cli_sessions=end on the sign-out form ends them at once; no offer without CLI sessions', async () => {
  const bridge = await testBridge(op);
  const { cli, accessToken, browser, csrf } = await aliceWithCliSession(bridge);
  const out = await followed(browser, browser.post('/logout').type('form').send({ _csrf: csrf, cli_sessions: 'end' }));
  expect(out.text).toContain('data-testid="cli-sessions-ended"');
  await cli.get('/api/whoami').set(bearer(accessToken)).expect(401);

  const again = await signedIn(bridge, op);
  const page = await followed(
    again,
    again
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfOf((await again.get('/roles').expect(200)).text) }),
  );
  expect(page.text).not.toContain('data-testid="cli-sessions-offer"');
  expect(page.text).not.toContain('data-testid="idp-logout"'); // the fake IdP advertises no end_session_endpoint
});

test('Sign out pressed on a page left open past the idle timeout shows the signed-out page, not “form expired”', async () => {
  const bridge = await testBridge(op);
  const browser = await signedIn(bridge, op);
  const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
  bridge.clock.advance(31 * 60 * 1000); // server.sessionIdleSeconds (30 min) passed: the session is over
  const out = await followed(browser, browser.post('/logout').type('form').send({ _csrf: csrf }));
  expect(out.text).toContain('data-testid="signed-out"');
  // With no session to protect, a post from another site is still refused.
  const crossSite = await bridge.agent().post('/logout').set('Sec-Fetch-Site', 'cross-site').type('form').send({});
  expect([crossSite.status, crossSite.text]).toEqual([403, expect.stringContaining('ERR_CSRF')]);
  // A live session still needs the form's token.
  const live = await signedIn(bridge, op);
  const forged = await live.post('/logout').type('form').send({ _csrf: 'not-the-token' });
  expect([forged.status, forged.text]).toEqual([403, expect.stringContaining('ERR_CSRF')]);
  await live.get('/roles').expect(200);
});

test('POST-redirect-GET: the offer token never goes in the URL; reloading the page, or a cookie not ours, shows the plain page', async () => {
  const bridge = await testBridge(op);
  const { browser, csrf } = await aliceWithCliSession(bridge);
  const posted = await browser.post('/logout').type('form').send({ _csrf: csrf }).expect(303);
  expect(posted.headers.location).toBe('/signed-out');
  const cookie = (posted.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('rambridge.signed-out='))!;
  expect(cookie).toMatch(/HttpOnly/i);
  const page = await browser.get('/signed-out').expect(200);
  const token = offerToken(page.text)!;
  expect(token).toBeDefined();
  // The token is sealed in the cookie, not readable there.
  expect(cookie).not.toContain(token);

  // Read once: a reload (or the IdP sending the browser back) is the plain page, never an error.
  const reloaded = await browser.get('/signed-out').expect(200);
  expect(reloaded.text).toContain('data-testid="signed-out"');
  expect(reloaded.text).not.toContain('data-testid="cli-sessions-offer"');

  // A forged or altered cookie is ignored, as is one past its ten minutes.
  const forged = await bridge.agent().get('/signed-out').set('Cookie', 'rambridge.signed-out=bm90LW91cnM').expect(200);
  expect(forged.text).not.toContain('data-testid="cli-sessions-offer"');
  const late = bridge.agent();
  const value = /^rambridge\.signed-out=([^;]+)/.exec(cookie)![1]!;
  const fresh = await late.get('/signed-out').set('Cookie', `rambridge.signed-out=${value}`).expect(200);
  expect(fresh.text).toContain('data-testid="cli-sessions-offer"');
  bridge.clock.advance(11 * 60 * 1000);
  const stale = await late.get('/signed-out').set('Cookie', `rambridge.signed-out=${value}`).expect(200);
  expect(stale.text).not.toContain('data-testid="cli-sessions-offer"');
});

describe('RP-initiated logout at the development IdP (oidc-provider)', () => {
  let idp: RunningDevIdp;
  const clientSecret = 'sign-out-test-secret-0123456789abcdef';
  beforeAll(async () => {
    idp = await startDevIdp({
      clients: [
        {
          clientId: 'rambridge',
          clientSecret,
          redirectUris: ['http://127.0.0.1:8080/oidc/demo/callback'],
          postLogoutRedirectUris: ['http://127.0.0.1:8080/signed-out'],
        },
      ],
    });
  });
  afterAll(() => idp.close());

  test('the signed-out page links to the IdP’s end_session_endpoint, which ends the IdP session and comes back', async () => {
    const bridge = await testBridge({ issuer: idp.issuer, clientSecret });
    const agent = bridge.agent();
    const atIdp = new TinyBrowser(new URL(idp.issuer).origin);
    const start = await agent.get('/login').expect(302);
    const back = await atIdp.submit(await atIdp.visit(start.headers.location!), { login: 'alice', password: 'alice' });
    if (back.kind !== 'left') throw new Error('the IdP did not send the browser back');
    await agent.get(back.location.pathname + back.location.search).expect(302);

    const csrf = csrfOf((await agent.get('/roles').expect(200)).text);
    const out = await followed(agent, agent.post('/logout').type('form').send({ _csrf: csrf }));
    const href = /href="([^"]+)" data-testid="idp-logout"/.exec(out.text)?.[1]?.replaceAll('&amp;', '&');
    expect(href).toBeDefined();
    const url = new URL(href!);
    expect(url.searchParams.get('client_id')).toBe('rambridge');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('http://127.0.0.1:8080/signed-out');
    expect(url.searchParams.has('id_token_hint')).toBe(false);

    const confirmed = await atIdp.submit(await atIdp.visit(url), { logout: 'yes' });
    expect(confirmed.kind === 'left' && confirmed.location.href).toBe('http://127.0.0.1:8080/signed-out');
    // Back from the IdP: the plain page, no longer saying the IdP sign-in is active.
    const returned = (await agent.get('/signed-out').expect(200)).text;
    expect(returned).toContain('data-testid="signed-out"');
    expect(returned).not.toContain('data-testid="idp-logout"');
    // The IdP session is gone: the next sign-in asks for the password again.
    const next = await atIdp.visit((await agent.get('/login').expect(302)).headers.location!);
    expect(next.kind === 'page' && next.html).toContain('name="password"');
  });
});

test('a request that read the session before sign-out and saves it after does not bring the session back', async () => {
  // The picker's request in another tab is held at its preferences read until the sign-out is done.
  let holdPreferences = false;
  const point = new HoldPoint();
  class HeldStore extends MemoryStore {
    override async find<T>(key: string): Promise<T | undefined> {
      if (holdPreferences && key.startsWith('prefs:')) await point.hold();
      return super.find<T>(key);
    }
  }
  const bridge = await testBridge(op, { store: (clock) => new HeldStore(clock) });
  const browser = await signedIn(bridge, op);
  const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
  const sessionKeys = () => storedEntries(bridge.store).flatMap(([key]) => (key.startsWith('session:') ? [key] : []));
  expect(sessionKeys()).toHaveLength(1);

  bridge.clock.advance(61_000); // the picker request will write the session's last-seen time
  holdPreferences = true;
  const inFlight = browser.get('/roles').then((res) => res);
  await point.reached;
  await followed(browser, browser.post('/logout').type('form').send({ _csrf: csrf }));
  expect(sessionKeys()).toEqual([]);
  point.release();
  await inFlight;
  holdPreferences = false;

  expect(sessionKeys()).toEqual([]);
  const after = await browser.get('/roles');
  expect([after.status, after.headers.location]).toEqual([302, expect.stringMatching(/^\/login\?/)]);
});
