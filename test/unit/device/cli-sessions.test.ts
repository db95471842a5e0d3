import { ManualClock } from '../../../src/clock.js';
import type { BridgeConfig } from '../../../src/config/index.js';
import { DEFAULTS } from '../../../src/config/defaults.js';
import { CliSessions } from '../../../src/device/cli-sessions.js';
import { createDeviceFlow } from '../../../src/device/index.js';
import type { ApprovedGrant } from '../../../src/device/grant.js';
import type { Identity } from '../../../src/idp/identity.js';
import type { BridgeIssuer } from '../../../src/issuer/index.js';
import { MemoryStore } from '../../../src/store/index.js';
import { storedEntries } from './store-entries.js';

const ALICE: Identity = {
  idp: 'demo',
  issuer: 'https://idp',
  subject: 'alice-sub',
  email: 'Alice@Example.com',
  groups: ['dev'],
  amr: ['pwd'],
};
const BOB: Identity = { idp: 'demo', issuer: 'https://idp', subject: 'bob-sub', email: 'bob@example.com', groups: [], amr: ['pwd'] };
const CLIENT = { clientId: 'rambridge-cli', host: 'laptop', ip: '10.0.0.1' };
const HOUR = 3600_000;

function setup() {
  const clock = new ManualClock();
  const store = new MemoryStore(clock);
  return { clock, store, sessions: new CliSessions({ store, clock, maxAgeSeconds: 12 * 3600 }) };
}

async function expectCode(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toMatchObject({ code, oauthError: 'invalid_grant' });
}

describe('CLI sessions (refresh-token families)', () => {
  test('a session stored with the IdP refresh token inside its identity (before connector data) reads it as connector data', async () => {
    const { sessions, store } = setup();
    const { session, refreshToken } = await sessions.start(ALICE, CLIENT);
    await store.update<Record<string, unknown>>(`cli:session:${session.sid}`, (s) => ({
      ...s,
      identity: { ...ALICE, upstreamRefreshToken: 'idp-refresh', upstreamIdToken: 'idp-id-token' },
    }));
    for (const read of [await sessions.find(session.sid), (await sessions.refresh(refreshToken, 'rambridge-cli')).session]) {
      expect(read!.connectorData).toEqual({ refreshToken: 'idp-refresh', idToken: 'idp-id-token' });
      expect(read!.identity).toEqual(ALICE);
    }
  });

  test('a session approved from a sign-in the IdP bounded (sessionEndsAt) ends then, before its own 12 hours', async () => {
    const { sessions, clock, store } = setup();
    const bounded = { ...ALICE, sessionEndsAt: clock.now() + HOUR };
    const { session, refreshToken } = await sessions.start(bounded, CLIENT);
    expect(session.expiresAt).toBe(bounded.sessionEndsAt);
    clock.advance(HOUR - 1);
    const { refreshToken: next } = await sessions.refresh(refreshToken, 'rambridge-cli');
    clock.advance(1);
    expect(await sessions.find(session.sid)).toBeUndefined();
    await expectCode(sessions.refresh(next, 'rambridge-cli'), 'ERR_REFRESH_TOKEN_INVALID');
    expect(await store.find(`cli:session:${session.sid}`)).toBeUndefined(); // stored no longer either
    // One whose IdP session is over by the time the CLI redeems its approval does not start.
    await expectCode(sessions.start({ ...ALICE, sessionEndsAt: clock.now() }, CLIENT), 'ERR_REFRESH_TOKEN_INVALID');
  });

  test('refresh rotates: each refresh answers a new token for the same session', async () => {
    const { sessions } = setup();
    const { session, refreshToken: first } = await sessions.start(ALICE, CLIENT);
    const { refreshToken: second } = await sessions.refresh(first, 'rambridge-cli');
    expect(second).not.toBe(first);
    const { session: after, refreshToken: third } = await sessions.refresh(second, 'rambridge-cli');
    expect(after.sid).toBe(session.sid);
    expect(third).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  test('presenting a rotated refresh token revokes the whole family, including the newest token', async () => {
    const { sessions } = setup();
    const { session, refreshToken: first } = await sessions.start(ALICE, CLIENT);
    const { refreshToken: second } = await sessions.refresh(first, 'rambridge-cli');
    await expectCode(sessions.refresh(first, 'rambridge-cli'), 'ERR_REFRESH_TOKEN_REUSED');
    await expect(sessions.find(session.sid)).resolves.toBeUndefined();
    await expectCode(sessions.refresh(second, 'rambridge-cli'), 'ERR_REFRESH_TOKEN_INVALID');
  });

  test('two refreshes racing with the same token: one rotates, the other is a reuse that ends the session', async () => {
    const { sessions } = setup();
    const { session, refreshToken } = await sessions.start(ALICE, CLIENT);
    const results = await Promise.allSettled([
      sessions.refresh(refreshToken, 'rambridge-cli'),
      sessions.refresh(refreshToken, 'rambridge-cli'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    await expect(sessions.find(session.sid)).resolves.toBeUndefined();
  });

  test('the absolute lifetime ends refresh however recently the session was used', async () => {
    const { sessions, clock } = setup();
    let { refreshToken } = await sessions.start(ALICE, CLIENT);
    for (let h = 0; h < 11; h++) {
      clock.advance(HOUR);
      ({ refreshToken } = await sessions.refresh(refreshToken, 'rambridge-cli'));
    }
    clock.advance(HOUR);
    await expectCode(sessions.refresh(refreshToken, 'rambridge-cli'), 'ERR_REFRESH_TOKEN_INVALID');
  });

  test('a session that runs out while a refresh is under way ends it with invalid_grant, not a store error', async () => {
    // The sessions read a clock that moves 1 ms per reading; the store keeps its own, frozen one.
    let t = 0;
    const ticking = { now: () => t++ };
    const store = new MemoryStore(new ManualClock());
    const sessions = new CliSessions({ store, clock: ticking, maxAgeSeconds: 3600 });
    t = new ManualClock().now();
    const { session, refreshToken } = await sessions.start(ALICE, CLIENT);
    // Live when read (expiresAt − 1), over by the next reading (expiresAt): the TTL left is 0.
    t = session.expiresAt - 1;
    await expectCode(sessions.refresh(refreshToken, 'rambridge-cli'), 'ERR_REFRESH_TOKEN_INVALID');
  });

  test('unknown tokens and other client ids are refused', async () => {
    const { sessions } = setup();
    const { refreshToken } = await sessions.start(ALICE, CLIENT);
    await expectCode(sessions.refresh('x'.repeat(43), 'rambridge-cli'), 'ERR_REFRESH_TOKEN_INVALID');
    await expectCode(sessions.refresh(refreshToken, 'other-client'), 'ERR_REFRESH_TOKEN_INVALID');
  });

  test('the store holds hashes of refresh tokens, never the tokens', async () => {
    const { sessions, store } = setup();
    const { refreshToken: first } = await sessions.start(ALICE, CLIENT);
    const { refreshToken: second } = await sessions.refresh(first, 'rambridge-cli');
    const dump = JSON.stringify(storedEntries(store));
    expect(dump).not.toContain(first);
    expect(dump).not.toContain(second);
  });

  test('listForUser and revokeForUser find a user by subject or by email in any case, and no one else', async () => {
    const { sessions, clock } = setup();
    const a1 = await sessions.start(ALICE, CLIENT);
    clock.advance(1000);
    const a2 = await sessions.start(ALICE, { ...CLIENT, host: 'desktop' });
    const b = await sessions.start(BOB, CLIENT);
    expect((await sessions.listForUser('alice@example.com')).map((s) => s.sid)).toEqual([a1.session.sid, a2.session.sid]);
    expect((await sessions.listForUser('alice-sub')).map((s) => s.client.host)).toEqual(['laptop', 'desktop']);
    expect(await sessions.listForUser('nobody@example.com')).toEqual([]);

    const revoked = await sessions.revokeForUser('ALICE@example.com');
    expect(revoked).toHaveLength(2);
    await expect(sessions.listForUser('alice-sub')).resolves.toEqual([]);
    await expectCode(sessions.refresh(a2.refreshToken, 'rambridge-cli'), 'ERR_REFRESH_TOKEN_INVALID');
    await expect(sessions.find(b.session.sid)).resolves.toMatchObject({ sid: b.session.sid });
  });

  test.each(['revokeForUser', 'revokeForIdentity'] as const)(
    '%s answers only the sessions it ended, not one someone else ended meanwhile',
    async (method) => {
      const { store, clock, sessions } = setup();
      const taken = await sessions.start(ALICE, CLIENT);
      const mine = await sessions.start(ALICE, { ...CLIENT, host: 'desktop' });
      // The CLI logs out of `taken` between the listing and the revocation: this call consumes nothing.
      const racing = Object.assign(Object.create(store) as MemoryStore, {
        consume: async (key: string) => {
          const found = await store.consume(key);
          return key === `cli:session:${taken.session.sid}` ? undefined : found;
        },
      });
      const admin = new CliSessions({ store: racing, clock, maxAgeSeconds: 12 * 3600 });
      const ended = method === 'revokeForUser' ? await admin.revokeForUser('alice-sub') : await admin.revokeForIdentity(ALICE);
      expect(ended.map((s) => s.sid)).toEqual([mine.session.sid]);
      await expect(sessions.listForUser('alice-sub')).resolves.toEqual([]);
    },
  );

  test('the same subject at two IdPs is two users: exact lookups never cross, --user lookups can name the IdP', async () => {
    const { sessions } = setup();
    const other: Identity = { ...ALICE, idp: 'partner', issuer: 'https://partner-idp', email: 'mallory@partner.example' };
    const mine = await sessions.start(ALICE, CLIENT);
    const theirs = await sessions.start(other, CLIENT);

    expect((await sessions.listForIdentity(ALICE)).map((s) => s.sid)).toEqual([mine.session.sid]);
    expect((await sessions.listForUser('alice-sub')).map((s) => s.sid)).toEqual([mine.session.sid, theirs.session.sid]);
    expect((await sessions.listForUser('alice-sub', 'partner')).map((s) => s.sid)).toEqual([theirs.session.sid]);

    expect((await sessions.revokeForIdentity(ALICE)).map((s) => s.sid)).toEqual([mine.session.sid]);
    await expect(sessions.find(theirs.session.sid)).resolves.toMatchObject({ sid: theirs.session.sid });
  });

  test('the user index drops sessions that have ended', async () => {
    const { sessions, clock } = setup();
    await sessions.start(ALICE, CLIENT);
    clock.advance(13 * HOUR);
    await sessions.start(ALICE, CLIENT);
    await expect(sessions.listForUser('alice-sub')).resolves.toHaveLength(1);
  });

  test('redeeming an approval starts a session, unless the user revoked their CLI sessions since approving', async () => {
    const { sessions, clock } = setup();
    const approved = { client: CLIENT, identity: ALICE, decidedAt: clock.now() } as ApprovedGrant;
    const { session } = await sessions.redeemDeviceGrant(approved);
    await expect(sessions.find(session.sid)).resolves.toBeDefined();
    await sessions.revokeForIdentity(ALICE);
    await expect(sessions.redeemDeviceGrant(approved)).rejects.toMatchObject({ code: 'ERR_DEVICE_ACCESS_DENIED' });
    await expect(sessions.listForIdentity(ALICE)).resolves.toEqual([]);
    clock.advance(1000);
    await expect(sessions.redeemDeviceGrant({ ...approved, decidedAt: clock.now() })).resolves.toBeDefined();
  });

  describe('rotated refresh tokens: every one detectable, a bounded number of refreshes', () => {
    const refreshEntries = (store: MemoryStore) => storedEntries(store).filter(([key]) => key.startsWith('cli:refresh:')).length;

    test('a session refreshing in a loop is ended at twice what a CLI makes in a session, before it can fill the store', async () => {
      const clock = new ManualClock();
      const store = new MemoryStore(clock);
      const config = { device: DEFAULTS.device, server: DEFAULTS.server } as BridgeConfig;
      const { sessions } = createDeviceFlow({ config, store, clock, issuer: { oidcKeys: { published: [] } } as unknown as BridgeIssuer });
      const started = await sessions.start(ALICE, CLIENT);
      let { refreshToken } = started;
      // 12 h of 10-minute access tokens is 72 refreshes: 144 are allowed.
      for (let i = 0; i < 144; i++) ({ refreshToken } = await sessions.refresh(refreshToken, 'rambridge-cli'));
      expect(refreshEntries(store)).toBe(145);
      await expect(sessions.refresh(refreshToken, 'rambridge-cli')).rejects.toMatchObject({
        code: 'ERR_REFRESH_TOKEN_INVALID',
        detail: { reason: 'rotation-limit' },
      });
      expect(await sessions.find(started.session.sid)).toBeUndefined();
      expect(refreshEntries(store)).toBe(0);
    });

    test('a thief refreshing a stolen token to bury it ends the session instead: it cannot keep it while the token is forgotten', async () => {
      const clock = new ManualClock();
      const store = new MemoryStore(clock);
      const sessions = new CliSessions({ store, clock, maxAgeSeconds: 3600, rotationsKept: 10 });
      const { session, refreshToken: stolen } = await sessions.start(ALICE, CLIENT);
      let thief = stolen;
      for (let i = 0; i < 10; i++) thief = (await sessions.refresh(thief, 'rambridge-cli')).refreshToken;
      // Every rotated token still names the session: the owner's logout would reach it.
      expect(await sessions.sidOfRefreshToken(stolen)).toBe(session.sid);
      // One more, to push the stolen token out of what is kept: the session ends instead.
      await expectCode(sessions.refresh(thief, 'rambridge-cli'), 'ERR_REFRESH_TOKEN_INVALID');
      expect(await sessions.find(session.sid)).toBeUndefined();
      expect(refreshEntries(store)).toBe(0);
    });

    test('within the bound, an old rotated token presented again ends the session as a reuse', async () => {
      const clock = new ManualClock();
      const store = new MemoryStore(clock);
      const sessions = new CliSessions({ store, clock, maxAgeSeconds: 3600, rotationsKept: 10 });
      const tokens = [(await sessions.start(ALICE, CLIENT)).refreshToken];
      for (let i = 0; i < 8; i++) tokens.push((await sessions.refresh(tokens.at(-1)!, 'rambridge-cli')).refreshToken);
      await expectCode(sessions.refresh(tokens[0]!, 'rambridge-cli'), 'ERR_REFRESH_TOKEN_REUSED');
      await expectCode(sessions.refresh(tokens.at(-1)!, 'rambridge-cli'), 'ERR_REFRESH_TOKEN_INVALID');
      expect(refreshEntries(store)).toBe(0);
    });
  });
});
