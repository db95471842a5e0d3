import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ManualClock } from '../../../src/clock.js';
import { createLogger, silentLogger } from '../../../src/log.js';
import { startBridge, type RunningBridge } from '../../../src/main.js';
import { RedisStore } from '../../../src/store/index.js';
import { demoConfig } from '../../helpers/config.js';
import { startRedisServer, type RunningRedis } from '../../helpers/redis-server.js';

/**
 * Every key the bridge writes has a TTL, so a Redis that evicts under maxmemory (volatile-lru, a
 * managed-Redis default) would drop spent-assertion markers and revocations: fail open. serve and
 * check-config --online refuse it, /readyz fails, and a Redis that hides INFO is a warning.
 */
const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));
let evicting: RunningRedis;
let bounded: RunningRedis;
let noInfo: RunningRedis;
let dir: string;
beforeAll(async () => {
  [evicting, bounded, noInfo] = await Promise.all([
    startRedisServer({ args: ['--maxmemory', '3mb', '--maxmemory-policy', 'volatile-lru'] }),
    startRedisServer({ args: ['--maxmemory', '3mb', '--maxmemory-policy', 'noeviction'] }),
    startRedisServer({ args: ['--user', 'default', 'off', '--user', 'rb', 'on', '>pw-s3cret', '~*', '+@all', '-info'] }),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'rambridge-eviction-'));
});
afterAll(async () => {
  await Promise.all([evicting?.stop(), bounded?.stop(), noInfo?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

async function bridgeOn(store: { url: string; username?: string; password?: string }, logger = silentLogger()) {
  const config = await demoConfig();
  config.store = { type: 'redis', keyPrefix: 'eviction:', ...store };
  return startBridge({ config, port: 0, logger });
}

test('serve refuses a Redis that evicts under maxmemory, naming the setting to change', async () => {
  const started = async (bridge: RunningBridge) => void (await bridge.close());
  expect(await bridgeOn({ url: evicting.url }).then(started, (err: unknown) => err)).toMatchObject({
    code: 'ERR_CONFIG_INVALID',
    problems: [
      {
        path: 'store',
        message: expect.stringMatching(/maxmemory-policy volatile-lru, maxmemory 3\.00M.*Set maxmemory-policy to noeviction/) as unknown,
      },
    ],
  });
});

test('/readyz: a Redis turned evicting after start-up fails the store check', async () => {
  const store = new RedisStore({ url: evicting.url, keyPrefix: 'eviction:' }, new ManualClock());
  try {
    await expect(store.ping()).rejects.toMatchObject({
      code: 'ERR_UNAVAILABLE',
      detail: { reason: expect.stringContaining('maxmemory-policy volatile-lru') as unknown },
    });
  } finally {
    await store.close();
  }
});

test('noeviction under maxmemory starts (a full Redis refuses writes: 503)', async () => {
  const bridge = await bridgeOn({ url: bounded.url });
  await bridge.close();
});

test('a Redis that refuses INFO starts with a warning that the policy is unknown', async () => {
  const lines: string[] = [];
  const logger = createLogger({
    level: 'warn',
    destination: new Writable({ write: (c: Buffer, _e, done) => (lines.push(c.toString()), done()) }),
  });
  const bridge = await bridgeOn({ url: noInfo.url, username: 'rb', password: 'pw-s3cret' }, logger);
  await bridge.close();
  const warning = lines
    .map((l) => JSON.parse(l) as { event?: string; msg: string })
    .find((l) => l.event === 'insecure-setting' && l.msg.startsWith('store:'));
  expect(warning?.msg).toMatch(/^store: Redis refused INFO .*maxmemory-policy is unknown: it must be noeviction/);
  expect(lines.join('')).not.toContain('pw-s3cret');
});

test('check-config --online reports an evicting Redis (exit 2)', async () => {
  const file = join(dir, 'evicting.yaml');
  await writeFile(
    file,
    [
      `server: {publicUrl: "https://bridge.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}`,
      // An IdP that answers nothing at once (a closed loopback port): its problem is reported too.
      'idps: [{id: corp, type: oidc, issuer: "http://127.0.0.1:47699", clientId: rambridge, insecureAllowHttp: true}]',
      `store: {type: redis, url: "${evicting.url}"}`,
    ].join('\n'),
  );
  const run = await promisify(execFile)(process.execPath, [bin, 'check-config', '--online', file], {
    env: { PATH: process.env.PATH },
  }).then(
    () => ({ code: 0, stderr: '' }),
    (err: { code: number; stderr: string }) => err,
  );
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/store: Redis evicts keys when full \(maxmemory-policy volatile-lru/);
});
