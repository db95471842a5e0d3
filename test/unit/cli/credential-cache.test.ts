import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { CredentialCache, type CacheKey } from '../../../src/cli/client/credential-cache.js';
import { clientPaths } from '../../../src/cli/client/paths.cjs';
import { credentials } from './fixtures.js';

const start = Date.parse('2026-01-01T10:00:00Z');
const expiration = '2026-01-01T11:00:00Z';
const key: CacheKey = { server: 'https://bridge.example', user: 'okta/alice', role: 'dev-admin', durationSeconds: 3600 };

function setup() {
  const home = mkdtempSync(join(tmpdir(), 'rambridge-cache-'));
  const paths = clientPaths({ HOME: home });
  const clock = new ManualClock(start);
  return { paths, clock, cache: new CredentialCache(paths, clock) };
}

test('usable until 5 minutes before expiry, then gone', async () => {
  const { cache, clock } = setup();
  await cache.put(key, credentials(expiration));
  clock.set(Date.parse('2026-01-01T10:55:00Z') - 1);
  await expect(cache.get(key)).resolves.toMatchObject({ accessKeyId: 'STS.key-id' });
  clock.set(Date.parse('2026-01-01T10:55:00Z'));
  await expect(cache.get(key)).resolves.toBeUndefined();
});

test('a local clock 2 h slow: judged by the server’s time when it sent them (its Date), not by its expiration', async () => {
  const { cache, clock } = setup();
  const local = start - 2 * 3_600_000;
  clock.set(local);
  await cache.put(key, credentials(expiration), start); // sent at 10:00 server time, expiring 11:00
  clock.set(local + 55 * 60_000 - 1);
  await expect(cache.get(key)).resolves.toMatchObject({ accessKeyId: 'STS.key-id' });
  clock.set(local + 55 * 60_000);
  await expect(cache.get(key)).resolves.toBeUndefined();
});

test('a local clock fast when they arrived, stepped back since: never served past their expiration', async () => {
  const { cache, clock } = setup();
  clock.set(start + 30 * 60_000); // a laptop just resumed, its clock not yet synced
  await cache.put(key, credentials(expiration), start); // sent at 10:00 server time, expiring 11:00
  clock.set(Date.parse('2026-01-01T10:55:00Z') - 1); // NTP has set the clock right
  await expect(cache.get(key)).resolves.toMatchObject({ accessKeyId: 'STS.key-id' });
  clock.set(Date.parse('2026-01-01T10:55:00Z'));
  await expect(cache.get(key)).resolves.toBeUndefined();
  clock.set(Date.parse('2026-01-01T11:20:00Z'));
  await expect(cache.get(key)).resolves.toBeUndefined();
});

test('keyed by server, user, role and duration', async () => {
  const { cache } = setup();
  await cache.put(key, credentials(expiration));
  for (const other of [{ server: 'https://other.example' }, { user: 'okta/bob' }, { role: 'dev-readonly' }, { durationSeconds: 7200 }]) {
    await expect(cache.get({ ...key, ...other })).resolves.toBeUndefined();
  }
});

test('stored 0600 in a 0700 directory; expired entries are pruned at the next write', async () => {
  const { cache, clock, paths } = setup();
  await cache.put(key, credentials(expiration, 'old'));
  expect(statSync(paths.credentials).mode & 0o777).toBe(0o600);
  expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
  clock.set(Date.parse('2026-01-01T11:30:00Z'));
  const next = { ...key, role: 'dev-readonly' };
  await cache.put(next, credentials('2026-01-01T12:30:00Z', 'new'));
  expect(readFileSync(paths.credentials, 'utf8')).not.toContain('"old"');
});

test('a new login removes that server’s credentials cut short by the session’s end, and only those', async () => {
  const { cache } = setup();
  const cut = { ...key, durationSeconds: 7200 };
  const elsewhere = { ...cut, server: 'https://other.example' };
  const older = { ...cut, role: 'dev-readonly' }; // from a server that does not say what it granted
  await cache.put(cut, { ...credentials(expiration), durationSeconds: 3600 });
  await cache.put(elsewhere, { ...credentials(expiration), durationSeconds: 3600 });
  await cache.put(key, { ...credentials(expiration), durationSeconds: 3600 });
  await cache.put(older, credentials(expiration));
  await cache.removeCut(key.server);
  await expect(cache.get(cut)).resolves.toBeUndefined();
  for (const kept of [elsewhere, key, older]) await expect(cache.get(kept)).resolves.toBeDefined();
});

test('logout removes one server and keeps the others', async () => {
  const { cache } = setup();
  const other = { ...key, server: 'https://other.example' };
  await cache.put(key, credentials(expiration));
  await cache.put(other, credentials(expiration));
  await cache.removeServer(key.server);
  await expect(cache.get(key)).resolves.toBeUndefined();
  await expect(cache.get(other)).resolves.toBeDefined();
});
