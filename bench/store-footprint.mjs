// Bytes Redis holds per signed-in browser, per device grant waiting for approval and per CLI
// session, plain and encrypted (npm run -s build && node bench/store-footprint.mjs). Starts its own
// redis-server on a free loopback port; the numbers go to bench/README.md under "Store footprint".
// A sign-in in progress holds nothing: its flow travels sealed in a cookie (src/web/login-flow.ts).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { systemClock } from '../dist/clock.js';
import { CliSessions, DeviceGrants } from '../dist/device/index.js';
import { RedisStore } from '../dist/store/index.js';
import { LoginFlows } from '../dist/web/login-flow.js';
import { sessionKey } from '../dist/web/middleware/session.js';

// BENCH_FOOTPRINT_N: fewer items, for the test that keeps this script running (test/integration/bench/).
const N = Number(process.env.BENCH_FOOTPRINT_N ?? 1000);
const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'rambridge-footprint-'));
const redisServer = spawn(
  '/usr/bin/redis-server',
  ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
  {
    stdio: 'ignore',
  },
);
const raw = new Redis(port, '127.0.0.1', { retryStrategy: () => 100 });
raw.on('error', () => undefined); // refused until redis-server listens
for (let i = 0; i < 100 && (await raw.ping().catch(() => '')) !== 'PONG'; i++) await sleep(50);

/** A typical corporate user: 12 groups, an email, MFA. */
const identity = (i) => ({
  idp: 'corp',
  issuer: 'https://login.microsoftonline.com/4f1c2a9e-1111-2222-3333-444455556666/v2.0',
  subject: `00u${randomBytes(8).toString('hex')}${i}`,
  email: `employee.${i}@example.com`,
  name: `Employee Number ${i}`,
  groups: Array.from({ length: 12 }, (_, g) => `rambridge-team-${g}-${i % 7}`),
  amr: ['pwd', 'mfa'],
  authTime: Math.floor(Date.now() / 1000),
});
/** With `refreshGroups`, the IdP's refresh token (800 characters) rides beside the identity. */
const connectorData = (withRefresh) => (withRefresh ? { refreshToken: randomBytes(600).toString('base64url') } : undefined);
const client = { clientId: 'rambridge-cli', host: 'employee-laptop', ip: '10.20.30.40', version: '0.1.0' };

/** Writes N of something under a fresh prefix; returns bytes per item (MEMORY USAGE and value length). */
async function footprint(prefix, encryptionKeys, write) {
  const store = new RedisStore({ url: `redis://127.0.0.1:${port}`, keyPrefix: prefix, encryptionKeys }, systemClock);
  for (let i = 0; i < N; i++) await write(store, i);
  const keys = await raw.keys(`${prefix}*`);
  let memory = 0;
  let value = 0;
  for (const key of keys) {
    memory += await raw.memory('USAGE', key, 'SAMPLES', 0);
    value += await raw.strlen(key);
  }
  await store.close();
  return { keysPerItem: keys.length / N, memory: Math.round(memory / N), value: Math.round(value / N) };
}

const config = {
  server: { publicUrl: 'https://bridge.example.com', sessionSecrets: [randomBytes(32).toString('base64url')], loginFlowTtlSeconds: 600 },
};
const SESSION_SECONDS = 43_200;
/**
 * A signed-in browser: its session as koa-session stores it (src/web/middleware/session.ts: the
 * fields of BrowserSession plus koa-session's expiry), and the marker that spends its login flow.
 */
const browserSession = async (store, i) => {
  const now = Date.now();
  const fields = { identity: identity(i), loginAt: now, seenAt: now, csrf: randomBytes(32).toString('base64url') };
  await store.upsert(
    sessionKey(randomBytes(32).toString('base64url')),
    { ...fields, _expire: now + SESSION_SECONDS * 1000, _maxAge: SESSION_SECONDS * 1000 },
    SESSION_SECONDS,
  );
  await new LoginFlows(config, store, systemClock).spend({ id: randomBytes(16).toString('base64url'), exp: now + 600_000 });
};
/** `rambridge login` before the user approves: the grant and its user code (both hashed keys). */
const pendingGrant = (store) =>
  new DeviceGrants({ store, clock: systemClock, settings: { userCodeTtlSeconds: 600, interval: 5 } }).start(
    client,
    randomBytes(32).toString('base64url'),
  );
const cliSession = (withRefresh) => (store, i) =>
  new CliSessions({ store, clock: systemClock, maxAgeSeconds: SESSION_SECONDS }).start(identity(i), client, connectorData(withRefresh));

const key = [{ id: 'k1', key: randomBytes(32).toString('base64') }];
const rows = [
  ['signed-in browser (session + spent-flow marker)', browserSession],
  ['device grant waiting for approval', pendingGrant],
  ['CLI session', cliSession(false)],
  ['CLI session with IdP refresh token (refreshGroups)', cliSession(true)],
];
console.log(`| what | keys | plain: value / Redis memory | encrypted: value / Redis memory |`);
console.log(`|---|---|---|---|`);
let n = 0;
for (const [what, write] of rows) {
  const plain = await footprint(`fp${++n}:`, undefined, write);
  const sealed = await footprint(`fp${++n}:`, key, write);
  console.log(`| ${what} | ${plain.keysPerItem} | ${plain.value} B / ${plain.memory} B | ${sealed.value} B / ${sealed.memory} B |`);
}
await raw.quit();
redisServer.kill();
rmSync(dir, { recursive: true, force: true });
