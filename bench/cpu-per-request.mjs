// CPU time per request of the bridge and of bare Koa on /healthz and /api/roles, read from
// /proc/PID/stat around a fixed number of requests (autocannon -a N, 16 connections, loopback).
// Unlike req/s, it barely moves when other processes load the machine: use it to compare two
// builds. Usage: npm run -s build && node bench/cpu-per-request.mjs [requests per run, default 30000]
import { readFileSync } from 'node:fs';
import { ask, startChild, stopChild } from './lib/children.mjs';
import { startBridgeChild } from './lib/environment.mjs';
import { benchKeys } from './lib/keys.mjs';
import { load } from './lib/load.mjs';
import { median } from './lib/stats.mjs';

const n = Number(process.argv[2] ?? 30_000);
/** utime + stime of a process, in clock ticks (100 per second on Linux). */
const ticks = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};

const keys = await benchKeys();
const bridge = await startBridgeChild();
const children = [bridge.child];
try {
  // No STS or upstream IdP is reached on these two routes.
  const nowhere = 'http://127.0.0.1:9';
  await ask(bridge.child, {
    type: 'configure',
    keys,
    emulatorUrl: nowhere,
    op: { issuer: `${nowhere}/op`, clientId: 'c', clientSecret: 's' },
  });
  const { token } = await ask(bridge.child, { type: 'token' });
  const headers = { authorization: `Bearer ${token}` };
  const rolesBody = await (await globalThis.fetch(`${bridge.url}/api/roles`, { headers })).json();
  const bare = await startChild([new URL('./servers/bare-koa.mjs', import.meta.url).pathname], {
    env: { BENCH_BODIES: JSON.stringify({ '/healthz': { status: 'ok' }, '/api/roles': rolesBody }) },
  });
  children.push(bare.child);
  const microsPerRequest = async (url, pid) => {
    const before = ticks(pid);
    const r = await load(url, { amount: n, headers });
    return ((ticks(pid) - before) * 10_000) / r.total;
  };
  for (const path of ['/healthz', '/api/roles']) await load(bridge.url + path, { amount: Math.min(n, 20_000), headers });
  for (const path of ['/healthz', '/api/roles']) {
    const b = [];
    const k = [];
    for (let i = 0; i < 3; i++) {
      b.push(await microsPerRequest(bridge.url + path, bridge.child.pid));
      k.push(await microsPerRequest(bare.info.url + path, bare.child.pid));
    }
    console.log(
      `${path}: bridge ${median(b).toFixed(0)} µs/request, bare Koa ${median(k).toFixed(0)} µs/request ` +
        `(CPU ratio ${(median(k) / median(b)).toFixed(2)}×; runs ${b.map((x) => x.toFixed(0)).join(', ')} / ${k.map((x) => x.toFixed(0)).join(', ')})`,
    );
  }
} finally {
  await Promise.all(children.map(stopChild));
}
