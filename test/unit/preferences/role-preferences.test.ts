import { ManualClock } from '../../../src/clock.js';
import { DEFAULTS } from '../../../src/config/defaults.js';
import { preferencesKey, RolePreferences } from '../../../src/preferences/index.js';
import { MemoryStore } from '../../../src/store/index.js';

const ALICE = { issuer: 'https://idp.example.com', subject: 'alice-sub' };
const ROLES = Array.from({ length: 80 }, (_, i) => `role-${i}`);

function setup(limits: ConstructorParameters<typeof RolePreferences>[1] = {}) {
  const clock = new ManualClock(Date.UTC(2026, 11, 3, 12));
  const store = new MemoryStore(clock);
  return { clock, store, prefs: new RolePreferences({ store, clock }, limits) };
}

test('a new user has none', async () => {
  const { prefs } = setup();
  expect(await prefs.get(ALICE, ROLES)).toEqual({ favourites: [], recents: [], lastDurations: {} });
});

test('recents: most recent first, a role once, bounded; the last duration per role', async () => {
  const { prefs, clock } = setup({ maxRecents: 3 });
  for (const [role, seconds] of [
    ['role-1', 900],
    ['role-2', 3600],
    ['role-3', 1800],
    ['role-1', 7200],
    ['role-4', 900],
  ] as const) {
    await prefs.recordUse(ALICE, role, seconds);
    clock.advance(1000);
  }
  const t0 = Date.UTC(2026, 11, 3, 12);
  const got = await prefs.get(ALICE, ROLES);
  expect(got.recents).toEqual([
    { roleId: 'role-4', usedAt: t0 + 4000 },
    { roleId: 'role-1', usedAt: t0 + 3000 },
    { roleId: 'role-3', usedAt: t0 + 2000 },
  ]);
  // Durations outlive the recents bound (their own bound is larger).
  expect(got.lastDurations).toEqual({ 'role-1': 7200, 'role-2': 3600, 'role-3': 1800, 'role-4': 900 });
});

test('durations are bounded too: the roles used longest ago lose theirs', async () => {
  const { prefs } = setup({ maxDurations: 2 });
  for (const role of ['role-1', 'role-2', 'role-3']) await prefs.recordUse(ALICE, role, 900);
  expect((await prefs.get(ALICE, ROLES)).lastDurations).toEqual({ 'role-2': 900, 'role-3': 900 });
});

test('favourites: in the order starred, idempotent, unstarred, bounded by dropping the oldest', async () => {
  const { prefs } = setup({ maxFavourites: 3 });
  await prefs.setFavourite(ALICE, 'role-1', true);
  await prefs.setFavourite(ALICE, 'role-2', true);
  await prefs.setFavourite(ALICE, 'role-1', true);
  expect((await prefs.get(ALICE, ROLES)).favourites).toEqual(['role-2', 'role-1']);
  await prefs.setFavourite(ALICE, 'role-2', false);
  await prefs.setFavourite(ALICE, 'role-2', false);
  expect((await prefs.get(ALICE, ROLES)).favourites).toEqual(['role-1']);
  for (const role of ['role-5', 'role-6', 'role-7']) await prefs.setFavourite(ALICE, role, true);
  expect((await prefs.get(ALICE, ROLES)).favourites).toEqual(['role-5', 'role-6', 'role-7']);
  expect(await prefs.isFavourite(ALICE, 'role-1')).toBe(false);
  expect(await prefs.isFavourite(ALICE, 'role-7')).toBe(true);
});

test('roles no longer granted are left out when read, and come back when granted again', async () => {
  const { prefs } = setup();
  await prefs.setFavourite(ALICE, 'role-1', true);
  await prefs.setFavourite(ALICE, 'role-2', true);
  await prefs.recordUse(ALICE, 'role-2', 1800);
  await prefs.recordUse(ALICE, 'role-3', 900);
  expect(await prefs.get(ALICE, ['role-1', 'role-3'])).toEqual({
    favourites: ['role-1'],
    recents: [{ roleId: 'role-3', usedAt: expect.any(Number) }],
    lastDurations: { 'role-3': 900 },
  });
  expect((await prefs.get(ALICE, ['role-2'])).favourites).toEqual(['role-2']);
});

test('users are apart: same subject at another IdP is another user', async () => {
  const { prefs } = setup();
  await prefs.setFavourite(ALICE, 'role-1', true);
  expect((await prefs.get({ issuer: 'https://other.example.com', subject: 'alice-sub' }, ROLES)).favourites).toEqual([]);
  expect((await prefs.get({ issuer: 'https://idp.example.com', subject: 'bob-sub' }, ROLES)).favourites).toEqual([]);
});

test('the record lives its TTL from the last change, on the injected clock', async () => {
  const { prefs, clock } = setup();
  await prefs.setFavourite(ALICE, 'role-1', true);
  clock.advance((DEFAULTS.preferences.ttlSeconds - 10) * 1000);
  await prefs.recordUse(ALICE, 'role-2', 900); // renews it
  clock.advance(20_000);
  expect((await prefs.get(ALICE, ROLES)).favourites).toEqual(['role-1']);
  clock.advance(DEFAULTS.preferences.ttlSeconds * 1000);
  expect(await prefs.get(ALICE, ROLES)).toEqual({ favourites: [], recents: [], lastDurations: {} });
});

test('the key names neither the issuer nor the subject', () => {
  const key = preferencesKey({ issuer: 'https://idp.example.com', subject: 'alice@example.com' });
  expect(key).toMatch(/^prefs:user:[A-Za-z0-9_-]{43}$/);
  expect(key).not.toContain('alice');
  expect(preferencesKey(ALICE)).not.toBe(preferencesKey({ ...ALICE, subject: 'bob-sub' }));
});

test('a stored record that is not an object (written by something else) reads as no preferences, for a frozen user and role list too', async () => {
  const { store, prefs } = setup();
  const frozenAlice = Object.freeze({ ...ALICE });
  await store.upsert(preferencesKey(frozenAlice), 'garbage', 60);
  const none = { favourites: [], recents: [], lastDurations: {} };
  expect(await prefs.get(frozenAlice, Object.freeze([...ROLES]))).toEqual(none);
  expect(await prefs.get(ALICE, ROLES)).toEqual(none);
});
