import { ManualClock } from '../../../src/clock.js';
import { RolePreferences } from '../../../src/preferences/index.js';
import { MemoryStore, RedisStore, type Store } from '../../../src/store/index.js';
import { redisForFile } from '../../helpers/redis-server.js';

/**
 * Preferences through both stores: what one bridge instance records, another reads; concurrent
 * writes from two instances (two Redis connections) all land; key names and sealed values tell
 * nothing about the user.
 */
const redis = redisForFile();
const ROLES = Array.from({ length: 20 }, (_, i) => `role-${i}`);
let n = 0;

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

const KEY = Buffer.alloc(32, 7).toString('base64');

describe.each([
  ['memory', (clock: ManualClock) => new MemoryStore(clock), true],
  [
    'redis (sealed)',
    (clock: ManualClock) => new RedisStore({ url: redis.url, keyPrefix: 'prefs-test:', encryptionKeys: [{ id: 'k1', key: KEY }] }, clock),
    false,
  ],
] as const)('%s', (_name, makeStore, shared) => {
  const user = () => ({ issuer: 'https://idp.example.com', subject: `alice-${process.pid}-${++n}@example.com` });

  function instances(count: number) {
    const clock = new ManualClock(Date.now());
    // Memory is one process: "instances" share the one store. Redis: one connection each.
    const first = makeStore(clock);
    stores.push(first);
    return Array.from({ length: count }, (_, i) => {
      const store = shared || i === 0 ? first : makeStore(clock);
      if (store !== first) stores.push(store);
      return new RolePreferences({ store, clock });
    });
  }

  test('one instance records, another reads', async () => {
    const [a, b] = instances(2);
    const alice = user();
    await a!.recordUse(alice, 'role-1', 1800);
    await b!.setFavourite(alice, 'role-2', true);
    expect(await b!.get(alice, ROLES)).toEqual({
      favourites: ['role-2'],
      recents: [{ roleId: 'role-1', usedAt: expect.any(Number) }],
      lastDurations: { 'role-1': 1800 },
    });
  });

  test('concurrent writes from several instances all land (compare-and-swap, no lost update)', async () => {
    const prefs = instances(4);
    const alice = user();
    await Promise.all(ROLES.slice(0, 8).map((role, i) => prefs[i % prefs.length]!.setFavourite(alice, role, true)));
    await Promise.all(ROLES.slice(8, 12).map((role, i) => prefs[i]!.recordUse(alice, role, 900 + i)));
    const got = await prefs[0]!.get(alice, ROLES);
    expect([...got.favourites].sort()).toEqual(ROLES.slice(0, 8).sort());
    expect(got.recents.map((r) => r.roleId).sort()).toEqual(ROLES.slice(8, 12).sort());
    expect(Object.keys(got.lastDurations).sort()).toEqual(ROLES.slice(8, 12).sort());
  });
});

test('redis: the key is a hash, the value sealed; neither names the user or the role', async () => {
  const clock = new ManualClock(Date.now());
  const store = new RedisStore({ url: redis.url, keyPrefix: 'prefs-raw:', encryptionKeys: [{ id: 'k1', key: KEY }] }, clock);
  stores.push(store);
  await new RolePreferences({ store, clock }).setFavourite(
    { issuer: 'https://idp.example.com', subject: 'carol@example.com' },
    'prod-admin',
    true,
  );
  const keys = await redis.raw.keys('prefs-raw:*');
  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatch(/^prefs-raw:prefs:user:[A-Za-z0-9_-]{43}$/);
  const raw = (await redis.raw.get(keys[0]!))!;
  expect(raw).not.toContain('carol');
  expect(raw).not.toContain('prod-admin');
  // Redis collects it by itself in about 180 days.
  const ttl = await redis.raw.pttl(keys[0]!);
  expect(ttl).toBeGreaterThan(179 * 24 * 3600 * 1000);
});
