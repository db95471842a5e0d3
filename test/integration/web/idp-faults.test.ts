import type { OidcIdp } from '../../../src/config/index.js';
import { DEFAULTS } from '../../../src/config/defaults.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { followOp, testBridge } from '../../helpers/bridge.js';

/**
 * An IdP that is down, or goes down: its sign-ins answer a coded error naming it, the other IdPs
 * keep working, /readyz reports it without taking the bridge out of rotation, and a failed
 * discovery is retried after a bounded backoff (on the injected clock), not on every sign-in.
 */
let demo: FakeOp;
let backup: FakeOp;
beforeAll(async () => {
  [demo, backup] = await Promise.all([FakeOp.start(), FakeOp.start()]);
});
afterAll(async () => {
  await Promise.all([demo.close(), backup.close()]);
});
afterEach(() => {
  backup.down = false;
});

/** The demo bridge with a second OIDC IdP, "Backup SSO", served by `backup`. */
function twoIdps() {
  return testBridge(demo, {
    config: (c) => {
      const first = c.idps[0] as OidcIdp;
      c.idps.push({
        ...first,
        id: 'backup',
        displayName: 'Backup SSO',
        issuer: backup.issuer,
        clientSecret: backup.clientSecret,
        redirectUri: first.redirectUri.replace('/oidc/demo/', '/oidc/backup/'),
      });
    },
  });
}

const RETRY_MIN_MS = DEFAULTS.idp.loadRetryMinSeconds * 1000;

describe('an IdP that is down', () => {
  test('its sign-in answers ERR_IDP_UNREACHABLE naming it (page and JSON); the other IdP still signs in', async () => {
    const { agent } = await twoIdps();
    backup.down = true;
    const page = await agent().get('/login?idp=backup').set('Accept', 'text/html').expect(502);
    expect(page.text).toContain('ERR_IDP_UNREACHABLE');
    expect(page.text).toContain('Backup SSO');
    expect(page.text).not.toMatch(/at .*\.js:\d+/); // no stack
    const json = await agent().get('/login?idp=backup').set('Accept', 'application/json').expect(502);
    expect(json.body).toMatchObject({ code: 'ERR_IDP_UNREACHABLE' });
    expect(json.body.error_description).toContain('Backup SSO');

    const browser = agent();
    const start = await browser.get('/login?idp=demo').expect(302);
    const callback = await followOp(start.headers.location!);
    await browser
      .get(callback.pathname + callback.search)
      .expect(302)
      .expect('location', '/roles');
  });

  test('an IdP that goes down between its sign-in page and the callback: ERR_IDP_UNREACHABLE naming it, no session', async () => {
    const { agent } = await twoIdps();
    const browser = agent();
    const start = await browser.get('/login?idp=backup').expect(302);
    const callback = await followOp(start.headers.location!);
    backup.down = true; // the token endpoint does not answer
    const res = await browser
      .get(callback.pathname + callback.search)
      .set('Accept', 'text/html')
      .expect(502);
    expect(res.text).toContain('ERR_IDP_UNREACHABLE');
    expect(res.text).toContain('Backup SSO');
    await browser.get('/roles').expect(302);
  });

  test('/readyz stays 200 "degraded", listing the failing IdP with its code; the store decides readiness', async () => {
    const { agent } = await twoIdps();
    backup.down = true;
    const res = await agent().get('/readyz').expect(200);
    expect(res.body).toMatchObject({
      status: 'degraded',
      checks: { store: 'ok', 'idp:demo': 'ok', 'idp:backup': 'failing' },
      idps: { demo: { status: 'ok' }, backup: { status: 'failing', code: 'ERR_IDP_UNREACHABLE' } },
    });
  });

  test('/readyz checks again: an IdP that goes down after its discovery is reported, and again when it is back', async () => {
    const { agent, clock, logLines } = await twoIdps();
    expect((await agent().get('/readyz').expect(200)).body.status).toBe('ready');
    backup.down = true;
    clock.advance(DEFAULTS.idp.discoveryRefreshSeconds * 1000);
    expect((await agent().get('/readyz').expect(200)).body.idps.backup).toEqual({ status: 'failing', code: 'ERR_IDP_UNREACHABLE' });
    expect((await agent().get('/readyz').expect(200)).body.status).toBe('degraded');
    // While down, its sign-in fails at once with the code rather than sending users to a dead IdP.
    expect((await agent().get('/login?idp=backup').expect(502)).body.code).toBe('ERR_IDP_UNREACHABLE');
    backup.down = false;
    clock.advance(RETRY_MIN_MS);
    expect((await agent().get('/readyz').expect(200)).body.status).toBe('ready');
    await agent().get('/login?idp=backup').expect(302);

    // The log says it once per change, with the reason: not at every probe.
    const readiness = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'readiness');
    expect(readiness).toEqual([
      expect.objectContaining({
        check: 'idp:backup',
        status: 'failing',
        code: 'ERR_IDP_UNREACHABLE',
        detail: expect.objectContaining({ idp: 'backup', error: expect.any(String) }),
      }),
      expect.objectContaining({ check: 'idp:backup', status: 'ok' }),
    ]);
  });

  test('a failed discovery is retried after a backoff, not by every sign-in; then the IdP is used again', async () => {
    const { agent, clock } = await twoIdps();
    backup.down = true;
    const before = backup.discoveryRequests;
    const refused = async () => expect((await agent().get('/login?idp=backup').expect(502)).body.code).toBe('ERR_IDP_UNREACHABLE');
    await refused();
    expect(backup.discoveryRequests).toBe(before + 1);
    for (let i = 0; i < 5; i++) await refused(); // within the backoff: answered from the failure at once
    backup.down = false; // back up, but the backoff has not passed yet
    clock.advance(RETRY_MIN_MS - 1);
    await refused();
    expect(backup.discoveryRequests).toBe(before + 1);
    clock.advance(1);
    await agent().get('/login?idp=backup').expect(302);
    expect(backup.discoveryRequests).toBe(before + 2);
  });
});
