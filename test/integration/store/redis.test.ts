import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { inspect, promisify } from 'node:util';
import request from 'supertest';
import { createApp } from '../../../src/app.js';
import { ManualClock, systemClock } from '../../../src/clock.js';
import { CliSessions } from '../../../src/device/index.js';
import { isBridgeError, type BridgeError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log.js';
import { createStore, RedisStore } from '../../../src/store/index.js';
import { demoConfig } from '../../helpers/config.js';
import { freePort, redisForFile, startRedisServer, type RunningRedis } from '../../helpers/redis-server.js';
import { describeStoreConformance } from '../../helpers/store-conformance.js';

const redis = redisForFile();

describeStoreConformance('redis', (clock) => new RedisStore({ url: redis.url, keyPrefix: 'conformance:' }, clock));

describe('RedisStore specifics', () => {
  const clock = new ManualClock();
  const stores: RedisStore[] = [];
  const open = (keyPrefix: string, url = redis.url) => {
    const store = new RedisStore({ url, keyPrefix }, clock);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  test('keys live under the prefix: two prefixes never see each other', async () => {
    const a = open('bridge-a:');
    const b = open('bridge-b:');
    await a.upsert('shared', 'from-a', 60);
    expect(await b.find('shared')).toBeUndefined();
    expect(await b.insert('shared', 'from-b', 60)).toBe(true);
    expect(await a.find('shared')).toBe('from-a');
    expect(await redis.raw.exists('bridge-a:shared', 'bridge-b:shared')).toBe(2);
    expect(await redis.raw.exists('shared')).toBe(0);
  });

  test('the stored form is StoredEntry JSON, exp on the injected clock; Redis expiry is the TTL in real time', async () => {
    const store = open('raw:');
    await store.upsert('k', { user: 'alice' }, 90);
    expect(JSON.parse((await redis.raw.get('raw:k'))!)).toEqual({ v: '{"user":"alice"}', exp: clock.now() + 90_000 });
    const pttl = await redis.raw.pttl('raw:k');
    expect(pttl).toBeGreaterThan(85_000);
    expect(pttl).toBeLessThanOrEqual(90_000);
  });

  test('an entry expired on the injected clock is absent even while Redis still holds it', async () => {
    const store = open('clock:');
    await store.upsert('k', 'v', 10);
    clock.advance(10_000);
    expect(await redis.raw.exists('clock:k')).toBe(1);
    expect(await store.find('k')).toBeUndefined();
    expect(await store.update('k', () => 'changed')).toBeUndefined();
    expect(await store.consume('k')).toBeUndefined();
  });

  test('two instances (two connections) share state: a consume on one is seen by the other', async () => {
    const first = open('multi:');
    const second = open('multi:');
    await first.upsert('code', 'once', 60);
    const results = await Promise.all([first.consume('code'), second.consume('code')]);
    expect(results.filter((r) => r === 'once')).toHaveLength(1);
    await first.upsert('n', 0, 60);
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? first : second).update<number>('n', (c) => c + 1)));
    expect(await second.find('n')).toBe(10);
  });

  test('an unreachable Redis is ERR_UNAVAILABLE, and its password appears nowhere', async () => {
    const store = open('down:', 'redis://admin:s3cret-pw@127.0.0.1:1');
    const err = await store.ping().catch((e: unknown) => e);
    expect(isBridgeError(err, 'ERR_UNAVAILABLE')).toBe(true);
    const e = err as { message: string; detail: Record<string, unknown>; status: number };
    expect(e.status).toBe(503);
    expect(e.detail.target).toBe('redis://admin:***@127.0.0.1:1');
    // In an administrator's words, not ioredis's "Reached the max retries per request limit".
    expect(e.detail.reason).toBe('connection refused: is Redis running on that host and port?');
    expect(JSON.stringify({ message: e.message, detail: e.detail })).not.toContain('s3cret-pw');
    await expect(store.find('k')).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE' });
  });
});

describe('RedisStore when Redis refuses or stalls', () => {
  const clock = new ManualClock();
  let store: RedisStore;
  beforeEach(() => (store = new RedisStore({ url: redis.url, keyPrefix: 'refusing:' }, clock)));
  afterEach(() => store.close());

  test('a refused write (Redis full) is ERR_UNAVAILABLE that carries neither the key nor the value', async () => {
    // noeviction, which docs/operations.md recommends: a full Redis refuses writes (OOM). ioredis
    // puts the command's arguments on the error; the error log would print them.
    await redis.raw.config('SET', 'maxmemory', '1');
    try {
      const err = await store.upsert('session:SECRET-SESSION-ID', { refreshToken: 'SECRET-REFRESH-TOKEN' }, 60).catch((e: unknown) => e);
      expect(isBridgeError(err, 'ERR_UNAVAILABLE')).toBe(true);
      expect((err as BridgeError).detail).toMatchObject({
        reason: 'Redis is out of memory (maxmemory reached)',
        redisMessage: expect.stringMatching(/^OOM /) as unknown,
      });
      const everything = inspect(err, { depth: Infinity, showHidden: true });
      expect(everything).not.toContain('SECRET-SESSION-ID');
      expect(everything).not.toContain('SECRET-REFRESH-TOKEN');
    } finally {
      await redis.raw.config('SET', 'maxmemory', '0');
    }
  });

  test('a Redis that stops answering on an open connection is ERR_UNAVAILABLE after 5 s, not a request held forever', async () => {
    await store.upsert('k', 'v', 60);
    // Every client is held for 7 s: without a command timeout the read would answer 'v' after it.
    await redis.raw.call('CLIENT', 'PAUSE', '7000', 'ALL');
    try {
      await expect(store.find('k')).rejects.toMatchObject({
        code: 'ERR_UNAVAILABLE',
        detail: { reason: 'no answer within the command timeout', redisMessage: 'Command timed out' },
      });
    } finally {
      await redis.raw.call('CLIENT', 'UNPAUSE');
    }
  }, 15_000);
});

describe('/readyz with a Redis store', () => {
  test.each([
    ['reachable', true],
    ['unreachable', false],
  ])('%s Redis: the store check says so', async (_name, up) => {
    const config = await demoConfig();
    const store = new RedisStore({ url: up ? redis.url : 'redis://127.0.0.1:1', keyPrefix: 'readyz:' }, systemClock);
    const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
    try {
      const app = createApp({ config, store, logger, clock: systemClock });
      const res = await request(app.callback()).get('/readyz');
      expect(res.body.checks.store).toBe(up ? 'ok' : 'failing');
    } finally {
      await store.close();
    }
  });
});

/** The built `rambridge` command, as an admin runs it (npm test builds dist/ first). */
const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));

describe('rambridge sessions against a shared Redis store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rambridge-sessions-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const configFile = async (name: string, store: string) => {
    const file = join(dir, name);
    await writeFile(
      file,
      [
        `server: {publicUrl: "https://bridge.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}`,
        'idps: [{id: corp, type: oidc, issuer: "https://idp.example.com", clientId: rambridge}]',
        `store: ${store}`,
      ].join('\n'),
    );
    return file;
  };

  async function run(args: string[]) {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH } });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  test('list shows what the bridge stored, revoke ends it for the bridge too', async () => {
    const keyPrefix = 'cli-e2e:';
    const file = await configFile('redis.yaml', `{type: redis, url: "${redis.url}", keyPrefix: "${keyPrefix}"}`);
    // What a running bridge does when a device login is approved (same store, same prefix).
    const store = createStore({ type: 'redis', url: redis.url, keyPrefix }, systemClock);
    try {
      const bridge = new CliSessions({ store, clock: systemClock, maxAgeSeconds: 3600 });
      const identity = {
        idp: 'corp',
        issuer: 'https://idp.example.com',
        subject: 'alice-sub',
        email: 'Alice@Example.com',
        groups: [],
        amr: [],
      };
      const client = { clientId: 'rambridge-cli', host: 'alice-laptop', ip: '10.0.0.7', version: '0.1.0' };
      const { session: first, refreshToken } = await bridge.start(identity, client);
      const { session: second } = await bridge.start(identity, { ...client, host: 'alice-desktop' });
      await bridge.start({ ...identity, subject: 'bob-sub', email: 'bob@example.com' }, client);

      const listed = await run(['sessions', 'list', '--config', file, '--user', 'alice@example.com']);
      expect(listed).toMatchObject({ code: 0, stderr: '' });
      expect(listed.stdout).toContain('2 live CLI sessions for alice@example.com');
      expect(listed.stdout).toContain(`  ${first.sid}  Alice@Example.com  alice-laptop  10.0.0.7`);
      expect(listed.stdout).toContain(`  ${second.sid}  Alice@Example.com  alice-desktop`);
      expect(listed.stdout).not.toContain(first.refreshHash);

      const json = await run(['sessions', 'list', '--config', file, '--user', 'alice-sub', '--json']);
      expect(JSON.parse(json.stdout).map((r: { sid: string }) => r.sid)).toEqual([first.sid, second.sid]);

      const revoked = await run(['sessions', 'revoke', '--config', file, '--user', 'alice-sub']);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain('2 CLI sessions revoked for alice-sub');
      // audit.destination `log` is the server's stream, out of reach: the records come on stderr.
      const records = revoked.stderr
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records.map((r) => [r.event, r.by, r.sid])).toEqual(
        expect.arrayContaining([
          ['cli-session-revoked', 'admin', first.sid],
          ['cli-session-revoked', 'admin', second.sid],
        ]),
      );
      expect(records).toHaveLength(2);
      expect(records[0]).toMatchObject({ audit: true, stream: 'audit', user: { idp: 'corp', subject: 'alice-sub' } });
      expect(revoked.stderr).not.toContain(refreshToken);

      // The bridge's own view: the sessions are gone and their refresh token no longer works.
      expect(await bridge.find(first.sid)).toBeUndefined();
      await expect(bridge.refresh(refreshToken, 'rambridge-cli')).rejects.toMatchObject({ code: 'ERR_REFRESH_TOKEN_INVALID' });
      expect((await run(['sessions', 'list', '--config', file, '--user', 'alice@example.com'])).stdout).toBe(
        '0 live CLI sessions for alice@example.com\n',
      );
      expect((await bridge.listForUser('bob@example.com')).length).toBe(1);
    } finally {
      await store.close();
    }
  });

  test('an unreachable Redis: exit 1 with a clear message and no password', async () => {
    const file = await configFile('down.yaml', '{type: redis, url: "redis://:pw-not-shown@127.0.0.1:1"}');
    const r = await run(['sessions', 'list', '--config', file, '--user', 'alice@example.com']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'rambridge: error: The shared store (Redis) is unavailable. (redis://:***@127.0.0.1:1: connection refused: is Redis running on that host and port?)',
    );
    expect(r.stderr).not.toContain('max retries');
    expect(r.stderr).not.toContain('pw-not-shown');
    // With --json, the error is one JSON object too.
    const json = await run(['sessions', 'revoke', '--config', file, '--user', 'alice@example.com', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'ERR_UNAVAILABLE', exitCode: 1 } });
    expect(json.stderr).not.toContain('pw-not-shown');
  });

  test('the memory store still explains why it cannot work (exit 2)', async () => {
    const r = await run(['sessions', 'list', '--config', await configFile('memory.yaml', '{type: memory}'), '--user', 'alice@example.com']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('memory store');
  });

  test('with --json, a configuration that does not load is one JSON object with its problems (exit 2)', async () => {
    const r = await run(['sessions', 'list', '--config', '/nonexistent/rambridge.yaml', '--user', 'alice@example.com', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stderr)).toEqual({
      error: {
        code: 'ERR_CONFIG_INVALID',
        message: '/nonexistent/rambridge.yaml is not a valid configuration',
        problems: [{ path: '(file)', message: 'cannot read: no such file' }],
        exitCode: 2,
      },
    });
  });
});

describe('Redis ACL users', () => {
  let acl: RunningRedis;
  beforeAll(async () => {
    // The default user is off: only `rambridge` with its password may connect.
    acl = await startRedisServer({
      args: [
        ...['--user', 'default', 'off', '--user', 'rambridge', 'on', '>acl-s3cret', '~*', '+@all'],
        // As some managed services do: everything but WAIT.
        ...['--user', 'no-wait', 'on', '>acl-s3cret', '~*', '+@all', '-wait'],
      ],
    });
  });
  afterAll(() => acl?.stop());

  test.each([
    ['in the URL', { url: `redis://rambridge:acl-s3cret@127.0.0.1:PORT` }],
    ['as username and password', { url: 'redis://127.0.0.1:PORT', username: 'rambridge', password: 'acl-s3cret' }],
    // ioredis alone would let the URL's empty password win over store.password.
    ['the user in the URL, the password as password', { url: 'redis://rambridge@127.0.0.1:PORT', password: 'acl-s3cret' }],
    [
      'as username and password, over others in the URL',
      { url: 'redis://x:y@127.0.0.1:PORT', username: 'rambridge', password: 'acl-s3cret' },
    ],
  ])('credentials %s work', async (_how, settings) => {
    const store = new RedisStore(
      { ...settings, url: settings.url.replace('PORT', String(acl.port)), keyPrefix: 'acl:' },
      new ManualClock(),
    );
    await expectRoundTrip(store);
  });

  test('a wrong password is ERR_UNAVAILABLE without the password', async () => {
    const store = new RedisStore(
      { url: `redis://127.0.0.1:${acl.port}`, username: 'rambridge', password: 'wrong-pw-x', keyPrefix: 'acl:' },
      new ManualClock(),
    );
    try {
      const err = (await store.ping().catch((e: unknown) => e)) as { code: string; detail: unknown; message: string };
      expect(err.code).toBe('ERR_UNAVAILABLE');
      expect(err.detail).toMatchObject({ reason: 'authentication failed: check store.password and the user name' });
      expect(JSON.stringify([err.message, err.detail])).not.toContain('wrong-pw-x');
    } finally {
      await store.close();
    }
  });

  test('a wrong password in the URL: the reason names store.url', async () => {
    const store = new RedisStore({ url: `redis://rambridge:wrong-pw-x@127.0.0.1:${acl.port}`, keyPrefix: 'acl:' }, new ManualClock());
    try {
      await expect(store.ping()).rejects.toMatchObject({
        detail: { reason: 'authentication failed: check the password (and user) in store.url' },
      });
    } finally {
      await store.close();
    }
  });

  test('replicaAcks: a write counts only when WAIT answers; Redis refusing WAIT is not an acknowledgement', async () => {
    const store = new RedisStore(
      { url: `redis://127.0.0.1:${acl.port}`, username: 'no-wait', password: 'acl-s3cret', keyPrefix: 'acl:', replicaAcks: 1 },
      new ManualClock(),
    );
    try {
      await expect(store.upsert('k', 'v', 60)).rejects.toMatchObject({
        code: 'ERR_UNAVAILABLE',
        detail: { redisMessage: expect.stringMatching(/NOPERM/) as unknown },
      });
    } finally {
      await store.close();
    }
  });
});

describe('Redis over TLS', () => {
  let tls: RunningRedis;
  let tlsPort: number;
  let certs: string;
  const openssl = (...args: string[]) => promisify(execFile)('openssl', args, { cwd: certs });
  beforeAll(async () => {
    // A private CA and a server certificate for 127.0.0.1, made for this run (nothing committed).
    certs = await mkdtemp(join(tmpdir(), 'rambridge-redis-tls-'));
    await openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '1',
      '-subj',
      '/CN=rambridge test CA',
    );
    await openssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=127.0.0.1',
    );
    await writeFile(join(certs, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    await openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '1',
      '-extfile',
      'san.ext',
    );
    tlsPort = await freePort();
    tls = await startRedisServer({
      args: [
        '--tls-port',
        String(tlsPort),
        '--tls-cert-file',
        join(certs, 'server.crt'),
        '--tls-key-file',
        join(certs, 'server.key'),
        '--tls-ca-cert-file',
        join(certs, 'ca.crt'),
        '--tls-auth-clients',
        'no',
      ],
    });
  });
  afterAll(async () => {
    await tls?.stop();
    await rm(certs, { recursive: true, force: true });
  });

  test('rediss:// with the CA from store.tls.caFile connects and works', async () => {
    const store = new RedisStore(
      { url: `rediss://127.0.0.1:${tlsPort}`, tls: { caFile: join(certs, 'ca.crt') }, keyPrefix: 'tls:' },
      new ManualClock(),
    );
    await expectRoundTrip(store);
  });

  test('without that CA the server certificate is refused: ERR_UNAVAILABLE, nothing sent', async () => {
    const store = new RedisStore({ url: `rediss://127.0.0.1:${tlsPort}`, keyPrefix: 'tls:' }, new ManualClock());
    try {
      await expect(store.ping()).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE' });
    } finally {
      await store.close();
    }
  });

  test('a CA file that is not there stops start-up with its config path', () => {
    expect(
      () =>
        new RedisStore(
          { url: `rediss://127.0.0.1:${tlsPort}`, tls: { caFile: join(certs, 'missing.crt') }, keyPrefix: 'tls:' },
          new ManualClock(),
        ),
    ).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID', problems: [expect.objectContaining({ path: 'store.tls.caFile' })] }));
  });
});

/** A value written is read back; the store is closed either way. */
async function expectRoundTrip(store: RedisStore): Promise<void> {
  try {
    await store.upsert('k', 'v', 60);
    expect(await store.find('k')).toBe('v');
  } finally {
    await store.close();
  }
}
