// Two bridge instances on one Redis, under load at once (npm run bench:two-instances).
// Starts a private redis-server on a free loopback port, the upstream OP stand-in, the emulator as
// STS and two bridges that share the Redis store, the session secret, the issuer keys and one
// public URL (as behind a load balancer). A CLI token minted by instance A is used on both: that is
// the point, state lives in Redis. Each load is bounded (autocannon, a few seconds, 8 connections
// per instance) and goes to 127.0.0.1 only. Exits non-zero on any error or non-2xx/3xx answer.
// Writes its figures into bench/README.md under "Two instances on one Redis".
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { ask, rssMb, startChild, stopChild } from './lib/children.mjs';
import { startBridgeChild } from './lib/environment.mjs';
import { BENCH_USER, EMULATOR_CONFIG } from './lib/fixture.mjs';
import { benchKeys } from './lib/keys.mjs';
import { machine } from './lib/machine.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Whole sign-ins across the two instances, and how many run at once. */
const SIGN_INS = Number(process.env.BENCH_SIGN_INS ?? 200);
const CONNECTIONS = 8;
const here = (path) => new URL(path, import.meta.url).pathname;
const log = (...args) => console.error('[two-instances]', ...args);

const info = machine();
log(`machine: ${info.nproc} CPUs, load ${info.loadAverageAtStart.join(' ')}`);
const children = [];
let redis;
let failed;
try {
  redis = await startRedis();
  const keys = await benchKeys();
  const op = await startChild([here('servers/fake-op.mjs')], { env: { BENCH_USER: JSON.stringify(BENCH_USER) } });
  children.push(op.child);
  const a = await startBridgeChild();
  children.push(a.child);
  const b = await startBridgeChild();
  children.push(b.child);
  // One public URL for both, A's: the issuer the emulator trusts and the redirect_uri of sign-ins.
  const emulator = await startChild(
    [here('../bin/rambridge.js'), 'emulator', '--config', EMULATOR_CONFIG, '--port', '0', '--log-level', 'warn'],
    { env: { RAMBRIDGE_DEMO_BRIDGE_URL: a.url }, urlPattern: /emulator on (http:\/\/[\d.]+:\d+)/ },
  );
  children.push(emulator.child);
  const shared = {
    keys,
    emulatorUrl: emulator.info.url,
    op: op.info,
    publicUrl: a.url,
    sessionSecret: randomBytes(32).toString('base64url'),
    redisUrl: redis.url,
  };
  await ask(a.child, { type: 'configure', ...shared });
  await ask(b.child, { type: 'configure', ...shared });
  const { token } = await ask(a.child, { type: 'token' });

  const instances = { A: a, B: b };
  const credentials = {
    path: '/api/credentials',
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ role: 'dev-readonly', durationSeconds: 3600 }),
  };
  const login = { path: '/login?idp=demo', method: 'GET', headers: {} };
  // A token minted on A must work on B before anything is measured.
  for (const [name, i] of Object.entries(instances)) {
    const res = await globalThis.fetch(i.url + credentials.path, credentials);
    if (!res.ok) throw new Error(`${name}: POST /api/credentials answered ${res.status}: ${await res.text()}`);
    const redirect = await globalThis.fetch(i.url + login.path, { redirect: 'manual' });
    if (redirect.status !== 302) throw new Error(`${name}: GET /login answered ${redirect.status}`);
  }

  const memory = () => ({ A: rssMb(a.child.pid), B: rssMb(b.child.pid), redis: redisRssMb(redis.port) });
  const before = memory();
  log('warm-up');
  await Promise.all(Object.values(instances).map((i) => load(i.url, credentials, 1)));
  await Promise.all(Object.values(instances).map((i) => load(i.url, login, 1)));

  const results = {};
  for (const [id, target] of Object.entries({ credentials, login })) {
    log(`${id}: A alone`);
    const single = await load(a.url, target, SECONDS);
    log(`${id}: A and B at once`);
    const [ra, rb] = await Promise.all([load(a.url, target, SECONDS), load(b.url, target, SECONDS)]);
    results[id] = { single, A: ra, B: rb, combined: combine(ra, rb) };
    log(id, JSON.stringify({ single: brief(single), A: brief(ra), B: brief(rb), combined: brief(results[id].combined) }));
  }
  log(`${SIGN_INS} whole sign-ins, each started on one instance and finished on the other`);
  const signIns = await crossSignIns(a, b, SIGN_INS, CONNECTIONS);
  log('sign-ins', JSON.stringify(brief(signIns)));
  const after = memory();
  const bad =
    Object.values(results)
      .flatMap((r) => [r.single, r.A, r.B])
      .reduce((n, r) => n + r.bad, 0) + signIns.bad;
  failed = bad > 0;
  writeSection({ results, signIns, before, after, keyCount: redisKeys(redis.port) });
  log(failed ? `FAILED: ${bad} errors or non-2xx/3xx answers` : 'zero errors');
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await Promise.all(children.map(stopChild));
  await redis?.stop();
}
process.exit(failed ? 1 : 0);

/** One bounded autocannon run; every latency is kept so two runs can be merged into exact percentiles. */
async function load(base, { path, method, headers, body }, seconds) {
  const latencies = [];
  const tracker = autocannon({ url: base + path, connections: CONNECTIONS, duration: seconds, method, headers, body, timeout: 10 });
  tracker.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const r = await tracker;
  // A redirect is an answer (GET /login is a 302); anything else is a failure.
  const bad = r.errors + r.timeouts + r['1xx'] + r['4xx'] + r['5xx'];
  return { ...percentiles(latencies), rps: r.requests.total / seconds, total: r.requests.total, bad, seconds };
}

/** The cookies a response sets, as a Cookie header. */
function cookiesOf(res) {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/**
 * Whole OIDC sign-ins across the instances, as behind a load balancer that is not sticky: GET
 * /login on one, the IdP's answer (the OP stand-in accepts a code naming the nonce and PKCE
 * challenge) to the callback of the other, which spends the flow and writes the session to Redis,
 * then GET /roles with that session on the first. `n` sign-ins, `concurrency` at a time; the
 * callback is timed. A sign-in fails unless the callback redirects and /roles answers 200.
 */
async function crossSignIns(a, b, n, concurrency) {
  const latencies = [];
  let bad = 0;
  let next = 0;
  const one = async (i) => {
    const [start, finish] = i % 2 === 0 ? [a, b] : [b, a];
    try {
      const login = await globalThis.fetch(`${start.url}/login?idp=demo`, { redirect: 'manual' });
      const q = new URL(login.headers.get('location')).searchParams;
      const code = Buffer.from(JSON.stringify({ nonce: q.get('nonce'), challenge: q.get('code_challenge') })).toString('base64url');
      const t = performance.now();
      const callback = await globalThis.fetch(`${finish.url}/oidc/demo/callback?${new URLSearchParams({ code, state: q.get('state') })}`, {
        redirect: 'manual',
        headers: { cookie: cookiesOf(login) },
      });
      await callback.arrayBuffer();
      latencies.push(performance.now() - t);
      const roles = await globalThis.fetch(`${start.url}/roles`, { redirect: 'manual', headers: { cookie: cookiesOf(callback) } });
      await roles.arrayBuffer();
      if (callback.status !== 302 || roles.status !== 200) bad++;
    } catch (err) {
      if (bad === 0) log('sign-in failed:', err);
      bad++;
    }
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await one(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { ...percentiles(latencies), rps: n / seconds, total: n, bad, seconds };
}

function combine(x, y) {
  return { rps: x.rps + y.rps, total: x.total + y.total, bad: x.bad + y.bad, ...percentiles([...x.latencies, ...y.latencies]) };
}

function percentiles(latencies) {
  const sorted = [...latencies].sort((p, q) => p - q);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  const ms = (v) => Math.round(v * 10) / 10;
  return { latencies, p50: ms(at(0.5)), p99: ms(at(0.99)) };
}

function brief(r) {
  return { rps: Math.round(r.rps), p50: r.p50, p99: r.p99, bad: r.bad };
}

function redisRssMb(port) {
  const out = execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'INFO', 'memory'], { encoding: 'utf8' });
  return Number(/used_memory_rss:(\d+)/.exec(out)?.[1]) / 2 ** 20;
}

function redisKeys(port) {
  return Number(execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'DBSIZE'], { encoding: 'utf8' }).trim());
}

/** A private redis-server persisting nothing, on a free loopback port (as test/helpers/redis-server.ts). */
async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rambridge-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  for (let i = 0; ; i++) {
    try {
      if (execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), 'PING'], { encoding: 'utf8', stdio: 'pipe' }).trim() === 'PONG')
        break;
    } catch {
      /* not up yet */
    }
    if (i > 50) throw new Error('redis-server did not answer PING');
    await sleep(100);
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Replaces the section "Two instances on one Redis" of bench/README.md (or appends it). */
function writeSection({ results, signIns, before, after, keyCount }) {
  const mb = (v) => `${v.toFixed(0)} MB`;
  const row = (label, r) =>
    `| ${label} | ${Math.round(r.rps).toLocaleString('en-US')} | ${r.p50} ms | ${r.p99} ms | ${r.total.toLocaleString('en-US')} | ${r.bad} |`;
  const table = (id, label) => [
    `**${label}**`,
    '',
    '| instance | req/s | p50 | p99 | requests | errors + non-2xx/3xx |',
    '|---|---|---|---|---|---|',
    row('A alone (same run, for comparison)', results[id].single),
    row('A, while B is loaded', results[id].A),
    row('B, while A is loaded', results[id].B),
    row('A + B combined', results[id].combined),
    '',
  ];
  const section = [
    '## Two instances on one Redis',
    '',
    'Reproduce with `npm run bench:two-instances` (builds, then `node bench/two-instances.mjs`; ' +
      '`BENCH_SECONDS` sets the length of each load, default 5; `BENCH_SIGN_INS` the number of whole sign-ins, default 200). It starts a private redis-server on a free ' +
      'loopback port, the emulator as STS, the upstream OP stand-in and two bridge processes sharing the Redis ' +
      'store, the session secret, the issuer keys and one public URL, as behind a load balancer. One CLI token, ' +
      'minted on A, is used on both. Each load is autocannon for a fixed time with ' +
      `${CONNECTIONS} connections per instance; "A alone" runs first, then A and B at once. The run fails ` +
      '(exit 1) on any error, timeout or answer other than 2xx/3xx. Combined percentiles are exact (every latency of both runs).',
    '',
    `Measured ${info.startedAt} on ${info.nproc} CPUs (${info.model}), Node ${info.node}; load average at start ` +
      `${info.loadAverageAtStart.join(' / ')} (1/5/15 min). The machine is shared with other engineers running ` +
      'tests, and the two bridges, the emulator, Redis and autocannon all share its 2 CPUs: read the A-alone row ' +
      'of the same run as the bound, not the absolute numbers.',
    '',
    ...table('credentials', `POST /api/credentials, OIDC role (mint + STS in the emulator), ${SECONDS} s per load`),
    ...table(
      'login',
      `GET /login?idp=demo → 302 to the OP (the flow travels sealed in a cookie; nothing is written to Redis), ${SECONDS} s per load`,
    ),
    `**Whole OIDC sign-ins, each started on one instance and finished on the other, then /roles on the first: ${SIGN_INS} sign-ins, ${CONNECTIONS} at a time**`,
    '',
    '| what | sign-ins/s | callback p50 | callback p99 | sign-ins | failed |',
    '|---|---|---|---|---|---|',
    row('A → B and B → A, alternating', signIns),
    '',
    '| memory (RSS) | before the loads | after the loads |',
    '|---|---|---|',
    `| bridge A | ${mb(before.A)} | ${mb(after.A)} |`,
    `| bridge B | ${mb(before.B)} | ${mb(after.B)} |`,
    `| redis-server (INFO memory used_memory_rss) | ${mb(before.redis)} | ${mb(after.redis)} |`,
    '',
    `Redis held ${keyCount.toLocaleString('en-US')} keys after the run: the CLI session of the token ` +
      '(session, refresh-token hash, two index entries), the browser sessions of the whole sign-ins and the ' +
      'markers of their spent flows; `GET /login` itself stores nothing (src/web/login-flow.ts). The single-instance ' +
      'figures in REPORT.md use the memory store and 16 connections; the "A alone" rows here use Redis and 8.',
    '',
    "On 2 CPUs a second instance brings no new CPU (the bridges, the emulator, Redis and autocannon share them), so A + B combined is expected near A alone: what this run shows is that two instances on one Redis accept each other's tokens and answer with zero errors, not horizontal scaling.",
    '',
  ].join('\n');
  const file = here('README.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('## Two instances on one Redis');
  const end = start < 0 ? -1 : text.indexOf('\n## ', start + 3);
  const next = start < 0 ? `${text.trimEnd()}\n\n${section}` : text.slice(0, start) + section + (end < 0 ? '' : text.slice(end + 1));
  writeFileSync(file, next);
}
