import { validateConfig } from '../../../src/config/index.js';
import { redactUrl } from '../../../src/store/index.js';

const base = {
  server: { publicUrl: 'https://bridge.example.com', sessionSecrets: ['k'.repeat(32)], trustProxy: 1 },
  idps: [{ id: 'corp', type: 'oidc', issuer: 'https://idp.example.com', clientId: 'rambridge' }],
};
const withStore = (store: unknown) => validateConfig({ ...base, store });

describe('store: redis configuration', () => {
  test('the memory store stays the default', () => {
    const r = validateConfig(base);
    expect(r.ok && r.config.store).toEqual({ type: 'memory' });
  });

  test('a redis store gets the default key prefix', () => {
    const r = withStore({ type: 'redis', url: 'rediss://:pw@redis.internal:6380/2' });
    expect(r.ok && r.config.store).toEqual({ type: 'redis', url: 'rediss://:pw@redis.internal:6380/2', keyPrefix: 'rambridge:' });
    expect(r.ok && r.config.warnings).toEqual([]);
  });

  test('plain redis:// to another host is a warning; to loopback it is not', () => {
    const remote = withStore({ type: 'redis', url: 'redis://redis.internal:6379', keyPrefix: 'prod:' });
    expect(remote.ok && remote.config.warnings).toEqual([expect.stringContaining('store.url is plain redis://')]);
    const local = withStore({ type: 'redis', url: 'redis://127.0.0.1:6379' });
    expect(local.ok && local.config.warnings).toEqual([]);
  });

  test.each([
    [{ type: 'redis', url: 'http://redis.internal' }, 'store.url'],
    [{ type: 'redis' }, 'store.url'],
    [{ type: 'redis', url: 'redis://localhost', keyPrefix: '' }, 'store.keyPrefix'],
    [{ type: 'redis', url: 'redis://localhost', db: 1 }, 'store.db'],
    [{ type: 'memcached' }, 'store.type'],
  ])('%j is refused at %s', (store, path) => {
    const r = withStore(store);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.path)).toContain(path);
  });

  test('redactUrl hides the password and keeps what locates the server', () => {
    expect(redactUrl('rediss://user:secret@redis.internal:6380/1')).toBe('rediss://user:***@redis.internal:6380/1');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
