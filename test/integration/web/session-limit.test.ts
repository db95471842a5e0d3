import type TestAgent from 'supertest/lib/agent.js';
import { followOp, loginThroughFakeOp, testBridge } from '../../helpers/bridge.js';
import { fakeOpForFile, type FakeOpUser } from '../../helpers/fake-op.js';
import { BridgeError, sentence } from '../../../src/errors.js';
import { MemoryStore } from '../../../src/store/index.js';
import { ALICE, BOB, type Bridge } from '../../helpers/device-flow.js';

/**
 * Browser sessions cannot fill the store: one user holds at most server.maxSessionsPerUser, a
 * sign-in beyond it ending their oldest, and a session leaves the store after the idle timeout
 * (extended while in use), not after the 12-hour maximum. Without both, one employee with an IdP
 * SSO session looping silent sign-ins (dropping the cookie each time) locked everyone else out
 * with ERR_STORE_FULL (pentest F4).
 */
const fake = fakeOpForFile();
const MALLORY: FakeOpUser = { sub: 'mallory-sub', email: 'mallory@example.com', name: 'Mallory', groups: [], amr: ['pwd'] };
const browserSessions = (bridge: Bridge) => {
  const store = bridge.store as unknown as { sweep(): void; entries: Map<string, unknown> };
  store.sweep();
  return [...store.entries.keys()].filter((k) => k.startsWith('session:')).length;
};
async function signIn(bridge: Bridge, user: FakeOpUser): Promise<TestAgent> {
  const browser = bridge.agent();
  fake.op.user = user;
  expect((await loginThroughFakeOp(browser, fake.op)).status).toBe(302);
  return browser;
}
const signedIn = async (browser: TestAgent) => (await browser.get('/roles')).status === 200;

test('one employee looping silent sign-ins does not lock anyone else out', async () => {
  const bridge = await testBridge(fake.op, { store: (clock) => new MemoryStore(clock, { maxEntries: 300 }) });
  fake.op.user = MALLORY;
  // One sign-in every 3 s for 20 minutes: each also leaves its spent-flow marker for
  // server.loginFlowTtlSeconds (10 min), so 200 of those at a time; the sessions must stay few.
  for (let i = 0; i < 400; i++) {
    bridge.clock.advance(3000);
    const res = await loginThroughFakeOp(bridge.agent(), fake.op); // a fresh cookie jar each time
    expect([i, res.status]).toEqual([i, 302]);
  }
  expect(browserSessions(bridge)).toBe(bridge.config.server.maxSessionsPerUser);
  fake.op.user = BOB;
  const bob = await loginThroughFakeOp(bridge.agent(), fake.op);
  expect({ status: bob.status, code: (bob.body as { code?: string }).code }).toEqual({ status: 302, code: undefined });
  const ended = bridge.logLines.filter((l) => l.includes('"event":"session-ended"'));
  expect(ended).toHaveLength(400 - bridge.config.server.maxSessionsPerUser);
  expect(JSON.parse(ended[0]!)).toMatchObject({ by: 'session-limit', subject: 'mallory-sub', limit: 10 });
});

test('a sign-in beyond the cap ends the user’s oldest session only', async () => {
  const bridge = await testBridge(fake.op, { config: (c) => (c.server.maxSessionsPerUser = 2) });
  const bob = await signIn(bridge, BOB);
  const [first, second, third] = [await signIn(bridge, ALICE), await signIn(bridge, ALICE), await signIn(bridge, ALICE)];
  expect(await Promise.all([first, second, third, bob].map(signedIn))).toEqual([false, true, true, true]);
  // The ended browser is told why it has to sign in again.
  expect((await first.get('/roles')).headers.location).toBe('/login?return_to=%2Froles&expired=1');
});

test('sessions abandoned at once leave the store after the idle timeout, not the 12-hour maximum', async () => {
  const bridge = await testBridge(fake.op);
  for (let i = 0; i < 5; i++) await signIn(bridge, MALLORY);
  expect(browserSessions(bridge)).toBe(5);
  bridge.clock.advance(bridge.config.server.sessionIdleSeconds * 1000);
  expect(browserSessions(bridge)).toBe(0);
});

test('a session in use stays in the store past the idle timeout, until its absolute end', async () => {
  const bridge = await testBridge(fake.op);
  const browser = await signIn(bridge, ALICE);
  // Active every 10 minutes for 11 h 50 min: still signed in, held in the store.
  for (let elapsed = 10; elapsed < 12 * 60; elapsed += 10) {
    bridge.clock.advance(10 * 60 * 1000);
    expect([elapsed, await signedIn(browser)]).toEqual([elapsed, true]);
  }
  expect(browserSessions(bridge)).toBe(1);
  // Written at 11 h 50 min: kept the 10 minutes left, not another idle timeout.
  bridge.clock.advance(10 * 60 * 1000);
  expect(browserSessions(bridge)).toBe(0);
});

test('sessions that already ended (idle timeouts on a laptop) do not count: the desktop in use stays signed in', async () => {
  const bridge = await testBridge(fake.op); // server.maxSessionsPerUser 10, idle 30 min
  const desktop = await signIn(bridge, ALICE); // used all day
  const laptop = bridge.agent();
  for (let i = 0; i < 12; i++) {
    // The laptop signs in, is used, then left idle past the timeout (lunch, a meeting)…
    fake.op.user = ALICE;
    expect((await loginThroughFakeOp(laptop, fake.op)).status).toBe(302);
    for (let minutes = 0; minutes < 40; minutes += 10) {
      bridge.clock.advance(10 * 60 * 1000);
      expect([i, minutes, await signedIn(desktop)]).toEqual([i, minutes, true]);
    }
    expect(await signedIn(laptop)).toBe(false);
  }
  expect(bridge.logLines.filter((l) => l.includes('"by":"session-limit"'))).toEqual([]);
});

test('a sign-in whose session cannot be indexed (a store failure) leaves the browser signed out, not signed in outside the cap', async () => {
  class IndexBlip extends MemoryStore {
    blip = true;
    override async insert(key: string, value: unknown, ttl: number): Promise<boolean> {
      if (this.blip && key.startsWith('browser:user:')) {
        this.blip = false;
        throw new BridgeError('ERR_UNAVAILABLE', { userMessage: sentence('err.ERR_UNAVAILABLE.redis') });
      }
      return super.insert(key, value, ttl);
    }
  }
  const bridge = await testBridge(fake.op, { store: (clock) => new IndexBlip(clock) });
  fake.op.user = ALICE;
  const browser = bridge.agent();
  expect((await loginThroughFakeOp(browser, fake.op)).status).toBe(503);
  expect(await signedIn(browser)).toBe(false);
  // Signing in again works, and is indexed.
  expect((await loginThroughFakeOp(browser, fake.op)).status).toBe(302);
  expect(await signedIn(browser)).toBe(true);
});

test('sign-ins of one user landing at once (a store with round trips, like Redis) still leave at most the cap signed in', async () => {
  /** The memory store with a round trip per operation, as Redis has; each operation stays atomic. */
  class RoundTripStore extends MemoryStore {
    private readonly trip = () => new Promise((resolve) => setTimeout(resolve, 1));
    override async find<T>(key: string) {
      await this.trip();
      return super.find<T>(key);
    }
    override async insert(key: string, value: unknown, ttl: number) {
      await this.trip();
      return super.insert(key, value, ttl);
    }
    override async upsert(key: string, value: unknown, ttl: number) {
      await this.trip();
      return super.upsert(key, value, ttl);
    }
    override async update<T>(key: string, updater: (current: T) => T, ttl?: number) {
      await this.trip();
      return super.update<T>(key, updater, ttl);
    }
    override async consume<T>(key: string) {
      await this.trip();
      return super.consume<T>(key);
    }
  }
  const bridge = await testBridge(fake.op, {
    store: (clock) => new RoundTripStore(clock),
    config: (c) => (c.server.maxSessionsPerUser = 2),
  });
  fake.op.user = ALICE;
  const browsers = Array.from({ length: 12 }, () => bridge.agent());
  // Each browser at the IdP's callback, then all callbacks at once.
  const callbacks = await Promise.all(
    browsers.map(async (browser) => {
      const callback = await followOp((await browser.get('/login').expect(302)).headers.location!);
      return callback.pathname + callback.search;
    }),
  );
  await Promise.all(browsers.map((browser, i) => browser.get(callbacks[i]!)));
  const signedInNow = async () => (await Promise.all(browsers.map(signedIn))).filter(Boolean).length;
  expect(await signedInNow()).toBeLessThanOrEqual(2);
  // None escaped the index: a later sign-in still ends the oldest of what is left.
  await signIn(bridge, ALICE);
  await signIn(bridge, ALICE);
  expect(await signedInNow()).toBe(0);
});
