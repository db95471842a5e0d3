import { Redis } from 'ioredis';
import { ManualClock } from '../../../src/clock.js';
import type { EncryptionKey } from '../../../src/store/sealed-values.js';
import { RedisStore } from '../../../src/store/index.js';
import { ShownCredentialsStore } from '../../../src/web/shown-credentials.js';
import { testBridge } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { startRedisServer, type RunningRedis } from '../../helpers/redis-server.js';
import { describeStoreConformance } from '../../helpers/store-conformance.js';
import { ALICE, bearer, loggedIn, signedIn } from '../../helpers/device-flow.js';

/** Values at rest in Redis: sealed with the configured key, rotated by key id (store.encryptionKeys). */
let redis: RunningRedis;
let raw: Redis;
let op: FakeOp;
const stores: RedisStore[] = [];

const OLD: EncryptionKey = { id: 'k-old', key: Buffer.alloc(32, 1).toString('base64') };
const NEW: EncryptionKey = { id: 'k-new', key: Buffer.alloc(32, 2).toString('base64') };

beforeAll(async () => {
  [redis, op] = await Promise.all([startRedisServer(), FakeOp.start()]);
  raw = new Redis(redis.url);
});
afterAll(async () => {
  await raw?.quit();
  await op?.close();
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

function open(keyPrefix: string, encryptionKeys: EncryptionKey[] | undefined, clock: ManualClock) {
  const store = new RedisStore({ url: redis.url, keyPrefix, encryptionKeys }, clock);
  stores.push(store);
  return store;
}

/** Every key name and value stored under `prefix`, as anyone who can read Redis (or its dumps) sees it. */
async function everythingStored(prefix: string): Promise<string> {
  const keys = await raw.keys(`${prefix}*`);
  return [...keys, ...(await Promise.all(keys.map((k) => raw.get(k))))].join('\n');
}

describeStoreConformance('redis, encrypted', (clock) => open('conformance-sealed:', [NEW, OLD], clock));

describe('encrypted Redis store', () => {
  test('after a browser sign-in and a device login, Redis holds no identity, group or token in the clear', async () => {
    const bridge = await testBridge(op, { store: (clock) => open('sealed-1:', [NEW], clock) });
    await signedIn(bridge, op, ALICE);
    const { tokens } = await loggedIn(bridge, op, ALICE);
    const dump = await everythingStored('sealed-1:');
    expect(dump).toContain('$rb2.k-new.');
    for (const secret of ['alice@example.com', 'alice-sub', 'rambridge-dev', 'alice-laptop', tokens.refresh_token]) {
      expect(dump).not.toContain(secret);
    }
    // The same login on a store without keys stores them readably: the test above would catch a regression.
    const plain = await testBridge(op, { store: (clock) => open('plain-1:', undefined, clock) });
    await loggedIn(plain, op, ALICE);
    expect(await everythingStored('plain-1:')).toContain('alice@example.com');
  });

  test('key rotation: a session sealed with the old key works while the old key is listed, and ends when it is dropped', async () => {
    const clock = new ManualClock(Date.now());
    const before = await testBridge(op, { clock, store: (c) => open('sealed-2:', [OLD], c) });
    const { tokens } = await loggedIn(before, op, ALICE);

    const rotated = await testBridge(op, { clock, store: (c) => open('sealed-2:', [NEW, OLD], c) });
    await rotated.agent().get('/api/whoami').set(bearer(tokens.access_token)).expect(200);

    const oldKeyDropped = await testBridge(op, { clock, store: (c) => open('sealed-2:', [NEW], c) });
    const refused = await oldKeyDropped.agent().get('/api/whoami').set(bearer(tokens.access_token)).expect(401);
    expect(refused.body.code).toBe('ERR_TOKEN_INVALID');
  });

  test('a sealed entry copied under another key does not open (the store key is authenticated)', async () => {
    const clock = new ManualClock();
    const store = open('sealed-3:', [NEW], clock);
    await store.upsert('cli:session:alice', { user: 'alice' }, 60);
    await raw.set('sealed-3:cli:session:mallory', (await raw.get('sealed-3:cli:session:alice'))!);
    expect(await store.find('cli:session:mallory')).toBeUndefined();
    expect(await store.find('cli:session:alice')).toEqual({ user: 'alice' });
  });

  test('a sealed entry copied to another bridge sharing the Redis and the key (another prefix) does not open', async () => {
    const clock = new ManualClock();
    const staging = open('staging-5:', [NEW], clock);
    const production = open('prod-5:', [NEW], clock);
    await staging.upsert('session:x', { identity: { subject: 'staging-admin' } }, 60);
    await raw.set('prod-5:session:x', (await raw.get('staging-5:session:x'))!);
    expect(await production.find('session:x')).toBeUndefined();
  });

  test('a plain entry planted in Redis is not read by an encrypting store', async () => {
    const clock = new ManualClock();
    const store = open('sealed-4:', [NEW], clock);
    await raw.set('sealed-4:cli:session:x', JSON.stringify({ v: JSON.stringify({ user: 'mallory' }), exp: clock.now() + 60_000 }));
    expect(await store.find('cli:session:x')).toBeUndefined();
    expect(await store.update('cli:session:x', () => ({ user: 'changed' }))).toBeUndefined();
  });
});

describe('an entry the store cannot read (encryption turned on, or its key removed) is recreated, not looped on', () => {
  // insert() sees it (its expiry is plain), find() and update() cannot open it: the callers' usual
  // "insert, else update" must not go round for as long as it lives.
  const settles = <T>(promise: Promise<T>) =>
    Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('still pending after 2 s')), 2000))]);

  test('a device-start window written before encryption: the next start is counted afresh', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { SlidingWindow } = await import('../../../src/device/sliding-window.js');
    await new SlidingWindow({ store: open('unreadable-1:', undefined, clock), clock }).take('device:starts:ip:x', 30, 600);
    const sealed = new SlidingWindow({ store: open('unreadable-1:', [NEW], clock), clock });
    await expect(settles(sealed.take('device:starts:ip:x', 30, 600))).resolves.toMatchObject({ key: 'device:starts:ip:x' });
    expect(await raw.get('unreadable-1:device:starts:ip:x')).toContain('$rb2.k-new.');
  });

  test('a CLI session index sealed with a key since removed: a new session is indexed', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { SessionIndex } = await import('../../../src/device/session-index.js');
    const entry = { sid: 's1', expiresAt: clock.now() + 3600_000 };
    await new SessionIndex({ store: open('unreadable-2:', [OLD], clock), clock, maxAgeSeconds: 3600 }).add(['user:a'], entry);
    const index = new SessionIndex({ store: open('unreadable-2:', [NEW], clock), clock, maxAgeSeconds: 3600 });
    await settles(index.add(['user:a'], { sid: 's2', expiresAt: entry.expiresAt }));
    expect(await index.sidsFor(['user:a'])).toEqual(['s2']);
  });

  test('preferences sealed with a key since removed: starring a role works again (they live 180 days)', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const { RolePreferences } = await import('../../../src/preferences/index.js');
    const user = { issuer: 'https://idp', subject: 'alice' };
    await new RolePreferences({ store: open('unreadable-3:', [OLD], clock), clock }).setFavourite(user, 'dev-admin', true);
    const prefs = new RolePreferences({ store: open('unreadable-3:', [NEW], clock), clock });
    await settles(prefs.setFavourite(user, 'dev-readonly', true));
    expect((await prefs.get(user, ['dev-admin', 'dev-readonly'])).favourites).toEqual(['dev-readonly']);
  });
});

describe('credentials kept for their page (POST-redirect-GET)', () => {
  test('are sealed in Redis under a hashed id, and open for the session that minted them', async () => {
    const clock = new ManualClock(Date.now());
    const shown = new ShownCredentialsStore({ store: open('sealed-shown:', [NEW], clock), clock, markerSeconds: 3600 });
    const issued = {
      roleArn: 'acs:ram::1111222233334444:role/rambridge-dev-readonly',
      assumedRoleArn: 'acs:ram::1111222233334444:assumed-role/rambridge-dev-readonly/alice',
      roleSessionName: 'alice@example.com-0a1b2c3d',
      requestId: 'R-1',
      credentials: {
        accessKeyId: 'STS.kept-key-id',
        accessKeySecret: 'kept-secret-value',
        securityToken: 'kept-security-token',
        expiration: new Date(clock.now() + 3600_000),
      },
    };
    const alice = { idp: 'demo', issuer: op.issuer, subject: ALICE.sub, email: ALICE.email, groups: [], amr: ['pwd'] };
    const id = await shown.keep(issued, 'dev-readonly', alice, 'the-session-csrf-token');
    const dump = await everythingStored('sealed-shown:');
    expect(dump).toContain('$rb2.k-new.');
    for (const secret of [
      id,
      'STS.kept-key-id',
      'kept-secret-value',
      'kept-security-token',
      ALICE.email,
      ALICE.sub,
      'the-session-csrf-token',
    ]) {
      expect(dump).not.toContain(secret);
    }
    await expect(shown.find(id, alice, 'the-session-csrf-token')).resolves.toMatchObject({
      kind: 'shown',
      shown: { accessKeySecret: 'kept-secret-value', roleId: 'dev-readonly' },
    });
    await expect(shown.find(id, alice, 'another-session')).rejects.toMatchObject({ code: 'ERR_CREDENTIALS_NOT_YOURS' });
  });
});
