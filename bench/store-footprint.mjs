// Bytes Redis holds per pending login and per CLI session, plain and encrypted (npm run -s build
// && node bench/store-footprint.mjs). Starts its own redis-server on a free loopback port; the
// numbers go to bench/README.md under "Store footprint".
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { systemClock } from '../dist/clock.js';
import { CliSessions } from '../dist/device/index.js';
import { RedisStore } from '../dist/store/index.js';
import { LoginFlows } from '../dist/web/login-flow.js';

const N = 1000;
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

/** A typical corporate user: 12 groups, an email, MFA, and (refreshGroups) an IdP refresh token. */
const identity = (i, upstreamRefreshToken) => ({
  idp: 'corp',
  issuer: 'https://login.microsoftonline.com/4f1c2a9e-1111-2222-3333-444455556666/v2.0',
  subject: `00u${randomBytes(8).toString('hex')}${i}`,
  email: `employee.${i}@example.com`,
  name: `Employee Number ${i}`,
  groups: Array.from({ length: 12 }, (_, g) => `rambridge-team-${g}-${i % 7}`),
  amr: ['pwd', 'mfa'],
  authTime: Math.floor(Date.now() / 1000),
  ...(upstreamRefreshToken ? { upstreamRefreshToken: randomBytes(600).toString('base64url') } : {}),
});
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

const config = { server: { publicUrl: 'https://bridge.example.com', loginFlowTtlSeconds: 600 } };
const cookies = { set() {} };
/** What /login stores for an OIDC sign-in: state, nonce and PKCE verifier, where to go afterwards. */
const pendingLogin = (store) =>
  new LoginFlows(store, config).begin(
    { cookies },
    {
      idp: 'corp',
      returnTo: '/roles/prod-ops',
      secrets: {
        state: randomBytes(32).toString('base64url'),
        nonce: randomBytes(32).toString('base64url'),
        codeVerifier: randomBytes(32).toString('base64url'),
      },
      startedAt: Date.now(),
    },
  );
const cliSession = (withRefresh) => (store, i) =>
  new CliSessions({ store, clock: systemClock, maxAgeSeconds: 43200 }).start(identity(i, withRefresh), client);

const key = [{ id: 'k1', key: randomBytes(32).toString('base64') }];
const rows = [
  ['pending login (OIDC)', pendingLogin],
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
