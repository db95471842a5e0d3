import { testBridge } from '../../helpers/bridge.js';
import { fakeOpForFile, type FakeOpUser } from '../../helpers/fake-op.js';
import { MemoryStore } from '../../../src/store/index.js';
import { authorize, BOB, CLIENT_ID, loggedIn, poll, refresh, signedIn } from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * A user holds at most device.maxSessionsPerUser CLI sessions: a new one beyond it ends their
 * oldest. Without the cap, an employee with no roles at all who approves their own device logins
 * from many addresses (each within the start limits) turned the start budget into 12-hour
 * sessions, filling the store for everyone (pentest F3), and their index record grew without bound.
 */
const fake = fakeOpForFile();
const MALLORY: FakeOpUser = { sub: 'mallory-sub', email: 'mallory@example.com', name: 'Mallory', groups: [], amr: ['pwd'] };

test('approving one’s own device logins from many addresses cannot fill the store: others still sign in', async () => {
  const bridge = await testBridge(fake.op, {
    config: (c) => {
      c.server.trustProxy = 1; // behind the load balancer: the client address is X-Forwarded-For's
    },
    store: (clock) => new MemoryStore(clock, { maxEntries: 300 }), // 100,000 by default: same arithmetic, 250x the requests
  });
  const browser = await signedIn(bridge, fake.op, MALLORY);
  const cli = bridge.agent();
  let sessions = 0;
  let address = 0;
  // Rounds of ten minutes, each within every start limit (one start per address, its own /64) and
  // leaving room for its pending logins (3 entries each, with the address’s start window); those, the user codes and the start
  // windows of a round have expired before the next begins. Without the cap the 240 sessions alone
  // need 480 entries.
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 60; i++) {
      const xff = `2001:db8:0:${(address++).toString(16)}::1`;
      const start = await authorize(cli).set('X-Forwarded-For', xff);
      expect([round, i, start.status]).toEqual([round, i, 200]);
      const { device_code, user_code } = start.body as { device_code: string; user_code: string };
      const form = await browser.get('/device');
      await browser
        .post('/device')
        .type('form')
        .send({ _csrf: csrfOf(form.text), user_code, decision: 'approve' })
        .expect(200);
      await poll(cli, device_code).set('X-Forwarded-For', xff).expect(200);
      sessions++;
    }
    bridge.clock.advance(16 * 60 * 1000); // past the user codes' 10 min + grace
  }
  expect(sessions).toBe(240);

  // Bob, who has done nothing, still signs in.
  fake.op.user = BOB;
  const bob = bridge.agent();
  const start = await bob.get('/login').expect(302);
  const callback = new URL((await fetch(start.headers.location!, { redirect: 'manual' })).headers.get('location')!);
  const res = await bob.get(callback.pathname + callback.search).set('Accept', 'application/json');
  expect({ status: res.status, code: (res.body as { code?: string }).code }).toEqual({ status: 302, code: undefined });
  const revoked = bridge.logLines.filter((l) => l.includes('"event":"cli-session-revoked"') && l.includes('"by":"session-limit"'));
  expect(revoked).toHaveLength(240 - bridge.config.device.maxSessionsPerUser);
});

test('a CLI session beyond the cap ends the user’s oldest; the others keep working', async () => {
  const bridge = await testBridge(fake.op, {
    config: (c) => {
      c.device.maxSessionsPerUser = 2;
    },
  });
  const first = (await loggedIn(bridge, fake.op)).tokens;
  const second = (await loggedIn(bridge, fake.op)).tokens;
  const third = (await loggedIn(bridge, fake.op)).tokens;
  const cli = bridge.agent();
  expect((await refresh(cli, first.refresh_token)).body).toMatchObject({ error: 'invalid_grant' });
  const secondAgain = (await refresh(cli, second.refresh_token).expect(200)).body as { refresh_token: string };
  await refresh(cli, third.refresh_token).expect(200);
  const line = bridge.logLines.find((l) => l.includes('"by":"session-limit"'));
  expect(JSON.parse(line!)).toMatchObject({ event: 'cli-session-revoked', user: { subject: 'alice-sub' }, limit: 2 });
  // Another user’s sessions count against their own cap only.
  await loggedIn(bridge, fake.op, BOB);
  await refresh(cli, secondAgain.refresh_token).expect(200);
});

test('CLI sessions the user logged out of do not count, and are not logged as ended by the limit', async () => {
  const bridge = await testBridge(fake.op, { config: (c) => (c.device.maxSessionsPerUser = 2) });
  const workstation = await loggedIn(bridge, fake.op);
  let token = workstation.tokens.refresh_token;
  for (let i = 0; i < 5; i++) {
    // Another machine: `rambridge login`, then `rambridge logout` (RFC 7009 revocation).
    const other = await loggedIn(bridge, fake.op);
    await other.cli.post('/oauth/revoke').type('form').send({ client_id: CLIENT_ID, token: other.tokens.refresh_token }).expect(200);
    const res = await refresh(workstation.cli, token);
    expect([i, res.status]).toEqual([i, 200]);
    token = (res.body as { refresh_token: string }).refresh_token;
  }
  expect(bridge.logLines.filter((l) => l.includes('"by":"session-limit"'))).toEqual([]);
});
