import { generateKeyPairSync } from 'node:crypto';
import { ConfigInvalid, validateConfig } from '../../../src/config/index.js';
import { redactUrl } from '../../../src/store/index.js';
import { connectRedis } from '../../../src/store/redis-connection.js';

const base = {
  server: { publicUrl: 'https://bridge.example.com', sessionSecrets: ['k'.repeat(32)], trustProxy: 1 },
  idps: [{ id: 'corp', type: 'oidc', issuer: 'https://idp.example.com', clientId: 'rambridge' }],
};
const withStore = (store: unknown) => validateConfig({ ...base, store });

describe('store: redis configuration', () => {
  test('the memory store stays the default, with its entry cap', () => {
    const r = validateConfig(base);
    expect(r.ok && r.config.store).toEqual({ type: 'memory', maxEntries: 100_000 });
  });

  test('the memory store cap is configurable within bounds', () => {
    const set = withStore({ type: 'memory', maxEntries: 5000 });
    expect(set.ok && set.config.store).toEqual({ type: 'memory', maxEntries: 5000 });
    expect(withStore({ type: 'memory', maxEntries: 10 }).ok).toBe(false);
    expect(withStore({ type: 'memory', maxEntries: 1.5 }).ok).toBe(false);
  });

  const KEY = Buffer.alloc(32, 7).toString('base64');
  const encryptionKeys = [{ id: 'k1', key: KEY }];

  test('a redis store gets the default key prefix', () => {
    const r = withStore({ type: 'redis', url: 'rediss://:pw@redis.internal:6380/2', encryptionKeys });
    expect(r.ok && r.config.store).toEqual({
      type: 'redis',
      url: 'rediss://:pw@redis.internal:6380/2',
      keyPrefix: 'rambridge:',
      encryptionKeys,
    });
    expect(r.ok && r.config.warnings).toEqual([]);
  });

  test('the scheme is read in any case and kept in lower case: REDISS:// is TLS, Redis:// to another host a warning', () => {
    const tls = withStore({ type: 'redis', url: 'REDISS://:pw@redis.internal:6380', encryptionKeys });
    expect(tls.ok && tls.config.store).toMatchObject({ url: 'rediss://:pw@redis.internal:6380' });
    expect(tls.ok && tls.config.warnings).toEqual([]);
    const plain = withStore({ type: 'redis', url: 'Redis://:pw@redis.internal:6379', encryptionKeys });
    expect(plain.ok && plain.config.store).toMatchObject({ url: 'redis://:pw@redis.internal:6379' });
    expect(plain.ok && plain.config.warnings).toEqual([expect.stringContaining('plain redis://')]);
  });

  test('without encryption keys, values at rest in plain text are a warning', () => {
    const r = withStore({ type: 'redis', url: 'rediss://:pw@redis.internal:6380/2' });
    expect(r.ok && r.config.warnings).toEqual([expect.stringContaining('store.encryptionKeys is not set')]);
  });

  test('plain redis:// to another host is a warning; to loopback it is not', () => {
    const remote = withStore({ type: 'redis', url: 'redis://redis.internal:6379', keyPrefix: 'prod:', encryptionKeys });
    expect(remote.ok && remote.config.warnings).toEqual([expect.stringContaining('store.url is plain redis://')]);
    const local = withStore({ type: 'redis', url: 'redis://127.0.0.1:6379', encryptionKeys });
    expect(local.ok && local.config.warnings).toEqual([]);
  });

  test('Sentinel and Cluster are configured by their nodes; remote nodes without tls are a warning', () => {
    const sentinel = withStore({
      type: 'redis',
      sentinel: { masterName: 'rambridge', sentinels: ['10.0.0.1:26379', '10.0.0.2:26379'], password: 'sp' },
      username: 'rambridge',
      password: 'pw',
      tls: { caFile: '/etc/rambridge/redis-ca.pem' },
      encryptionKeys,
    });
    expect(sentinel.ok && sentinel.config.warnings).toEqual([]);
    const cluster = withStore({ type: 'redis', cluster: { nodes: ['10.0.0.1:6379'] }, encryptionKeys });
    expect(cluster.ok && cluster.config.warnings).toEqual([expect.stringContaining('without tls')]);
  });

  test.each([
    [{ type: 'redis', url: 'http://redis.internal' }, 'store.url'],
    [{ type: 'redis' }, 'store.url'],
    [{ type: 'redis', url: 'redis://localhost', keyPrefix: '' }, 'store.keyPrefix'],
    [{ type: 'redis', url: 'redis://localhost', db: 1 }, 'store.db'],
    [{ type: 'memcached' }, 'store.type'],
    [{ type: 'redis', url: 'redis://localhost', cluster: { nodes: ['127.0.0.1:7000'] } }, 'store.cluster'],
    [{ type: 'redis', cluster: { nodes: ['127.0.0.1'] } }, 'store.cluster.nodes[0]'],
    [{ type: 'redis', sentinel: { sentinels: ['127.0.0.1:26379'] } }, 'store.sentinel.masterName'],
    [{ type: 'redis', url: 'redis://redis.internal', tls: {} }, 'store.url'],
    [{ type: 'redis', url: 'rediss://redis.internal', tls: { certFile: '/c.pem' } }, 'store.tls'],
    [{ type: 'redis', url: 'redis://localhost', encryptionKeys: [{ id: 'k1', key: 'short' }] }, 'store.encryptionKeys[0].key'],
    [
      {
        type: 'redis',
        url: 'redis://localhost',
        encryptionKeys: [
          { id: 'k1', key: Buffer.alloc(32).toString('base64') },
          { id: 'k1', key: Buffer.alloc(32).toString('base64') },
        ],
      },
      'store.encryptionKeys[1].id',
    ],
  ])('%j is refused at %s', (store, path) => {
    const r = withStore(store);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.path)).toContain(path);
  });

  test('redactUrl hides the password and keeps what locates the server', () => {
    expect(redactUrl('rediss://user:secret@redis.internal:6380/1')).toBe('rediss://user:***@redis.internal:6380/1');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    // ioredis takes options from the query as well: a password there is one too.
    expect(redactUrl('redis://redis.internal:6379/0?password=hunter2&family=6')).toBe(
      'redis://redis.internal:6379/0?password=***&family=6',
    );
    expect(redactUrl('redis://redis.internal:6379/0?sentinelPassword=s3&Password=p')).not.toMatch(/s3|=p\b/);
  });
});

describe('store.tls files', () => {
  const key = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;

  test('a key pasted base64-wrapped where its file belongs is never repeated in the error', () => {
    const wrapped = Buffer.from(key).toString('base64');
    let message = '';
    try {
      connectRedis({ url: 'rediss://127.0.0.1:1', keyPrefix: 't:', tls: { keyFile: wrapped } }, { lazyConnect: true });
    } catch (err) {
      message = JSON.stringify(err instanceof ConfigInvalid ? err.problems : String(err));
    }
    expect(message).toContain('store.tls.keyFile');
    expect(message).toContain('neither PEM text nor a file name');
    expect(message).not.toContain(wrapped.slice(0, 40));
  });

  test('PEM text is taken as it is, as check-config accepts it', () => {
    const client = connectRedis({ url: 'rediss://127.0.0.1:1', keyPrefix: 't:', tls: { keyFile: key } }, { lazyConnect: true });
    client.disconnect();
  });
});
