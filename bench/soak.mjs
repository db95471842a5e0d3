// The soak: a steady, bounded mix of every kind of request for N minutes (default 10), the
// bridge's RSS sampled every 10 s; memory is flat when it neither climbs nor leaves its bound.
//   node bench/soak.mjs [--minutes 10]      (npm run bench -- --soak [--minutes N] builds first)
// Loopback only. Each load runs at a fixed rate (autocannon overallRate), far below what the
// machine can serve, so the soak measures memory over time, not throughput; the rates and the
// verdict go to bench/soak-results.json, which `npm run bench` copies into REPORT.md.
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { rssMb } from './lib/children.mjs';
import { startEnvironment } from './lib/environment.mjs';
import { benchConfig } from './lib/fixture.mjs';
import { machine } from './lib/machine.mjs';
import { acsRun } from './sections/logins.mjs';

const argValue = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const minutes = argValue('--minutes', 10);
if (!(minutes > 0 && minutes <= 50)) throw new Error('--minutes: 1–50 (the CLI token lives an hour)');
const SAMPLE_SECONDS = 10;
/**
 * Flat: no climb over the second half (least-squares slope within ±1 MB a minute, so less than the
 * noise of a young generation resizing). The maximum is reported, not judged: under steady load the
 * heap sits above its idle size by design; what must not happen is that it keeps growing.
 */
const MAX_SLOPE_MB_PER_MIN = 1;
const SIGN_INS_PER_WINDOW = 5;
const log = (...args) => console.error('[soak]', ...args);

/** One bounded load at a fixed rate for `seconds`; resolves with its counts. */
function steady(url, rate, seconds, options = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: Math.min(4, rate), overallRate: rate, duration: seconds, timeout: 10, ...options }, (err, r) =>
      err ? reject(err) : resolve({ total: r.requests.total, errors: r.errors + r.timeouts + r['4xx'] + r['5xx'] }),
    );
  });
}

/** The bridge's V8 heap in use (MB), from its own /metrics: tells a growing heap from a resident set that only settles. */
async function heapUsedMb(bridgeUrl) {
  const text = await (await globalThis.fetch(`${bridgeUrl}/metrics`)).text();
  const bytes = Number(/^(?:rambridge_)?nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1]);
  return Number.isFinite(bytes) ? bytes / 2 ** 20 : undefined;
}

/** Least-squares slope of y over x. */
function slope(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx ? sxy / sxx : 0;
}

const info = machine();
log(`${minutes} min on ${info.nproc} CPUs, load ${info.loadAverageAtStart.join(' ')}`);
// Lifetimes shortened so every kind of stored entry (device grants, browser sessions, sign-ins in
// flight) expires and is swept within the soak: memory reaches its steady state after a couple of
// minutes, and a leak shows as a climb after it. The CLI token outlives the soak instead.
const settings = {
  'device.userCodeTtlSeconds': 60,
  'device.accessTokenTtlSeconds': 3600,
  'server.sessionMaxAgeSeconds': 120,
  'server.loginFlowTtlSeconds': 60,
};
const env = await startEnvironment({ settings });
try {
  const config = await benchConfig({ keys: env.keys, publicUrl: env.bridgeUrl, emulatorUrl: env.emulatorUrl, op: env.op });
  const corp = config.idps.find((i) => i.id === 'corp');
  const post = (role) => ({ method: 'POST', headers: env.json, body: env.credentialsBody(role) });
  // Requests per second of each kind: every route class, every store writer (sign-ins in flight,
  // device grants, sessions, the replay cache), both signing paths.
  const mix = [
    { name: 'GET /healthz', path: '/healthz', rate: 200 },
    { name: 'GET /api/roles', path: '/api/roles', rate: 200, options: { headers: env.auth } },
    { name: 'POST /api/credentials (OIDC)', path: '/api/credentials', rate: 20, options: post('dev-readonly') },
    { name: 'POST /api/credentials (SAML)', path: '/api/credentials', rate: 5, options: post('dev-admin') },
    { name: 'GET /login?idp=corp', path: '/login?idp=corp', rate: 20 },
    {
      name: 'POST /oauth/device_authorization',
      path: '/oauth/device_authorization',
      rate: 5,
      options: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'client_id=rambridge-cli&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
      },
    },
  ];
  const counts = Object.fromEntries(mix.map((m) => [m.name, { total: 0, errors: 0 }]));
  counts['SAML sign-ins (POST /saml/corp/acs)'] = { total: 0, errors: 0 };

  const start = Date.now();
  const samples = [{ seconds: 0, mb: rssMb(env.bridgePid), heapMb: await heapUsedMb(env.bridgeUrl) }];
  while (Date.now() - start < minutes * 60_000) {
    const windowStart = Date.now();
    const seconds = Math.min(SAMPLE_SECONDS, Math.ceil((minutes * 60_000 - (windowStart - start)) / 1000));
    const loads = mix.map((m) => steady(env.bridgeUrl + m.path, m.rate, seconds, m.options));
    const signIns = acsRun(env, corp, SIGN_INS_PER_WINDOW).then(
      () => ({ total: SIGN_INS_PER_WINDOW, errors: 0 }),
      () => ({ total: SIGN_INS_PER_WINDOW, errors: 1 }),
    );
    const results = await Promise.all([...loads, signIns]);
    results.forEach((r, i) => {
      const c = counts[mix[i]?.name ?? 'SAML sign-ins (POST /saml/corp/acs)'];
      c.total += r.total;
      c.errors += r.errors;
    });
    await sleep(Math.max(0, windowStart + seconds * 1000 - Date.now()));
    samples.push({ seconds: Math.round((Date.now() - start) / 1000), mb: rssMb(env.bridgePid), heapMb: await heapUsedMb(env.bridgeUrl) });
    log(`${samples.at(-1).seconds} s: RSS ${samples.at(-1).mb.toFixed(1)} MB, heap used ${samples.at(-1).heapMb?.toFixed(1)} MB`);
  }

  const points = samples.map((s) => ({ x: s.seconds / 60, y: s.mb }));
  const half = points.filter((p) => p.x >= minutes / 2);
  const result = {
    machine: info,
    command: `node bench/soak.mjs --minutes ${minutes}`,
    minutes,
    sampleSeconds: SAMPLE_SECONDS,
    settings,
    mix: [
      ...mix.map((m) => ({ name: m.name, perSecond: m.rate })),
      { name: 'SAML sign-ins (POST /saml/corp/acs)', perWindow: SIGN_INS_PER_WINDOW },
    ],
    counts,
    errors: Object.values(counts).reduce((n, c) => n + c.errors, 0),
    rssMb: {
      first: samples[0].mb,
      last: samples.at(-1).mb,
      max: Math.max(...samples.map((s) => s.mb)),
      slopeMbPerMinute: slope(points.filter((p) => p.x >= 1)), // after the first minute's warm-up
      secondHalfSlopeMbPerMinute: slope(half),
    },
    heapUsedMb: {
      secondHalfSlopeMbPerMinute: slope(
        samples.filter((s) => s.heapMb !== undefined && s.seconds / 60 >= minutes / 2).map((s) => ({ x: s.seconds / 60, y: s.heapMb })),
      ),
      max: Math.max(...samples.map((s) => s.heapMb ?? 0)),
    },
    bounds: { secondHalfSlopeMbPerMinute: MAX_SLOPE_MB_PER_MIN },
    samples,
  };
  result.flat = Math.abs(result.rssMb.secondHalfSlopeMbPerMinute) <= MAX_SLOPE_MB_PER_MIN;
  writeFileSync(new URL('./soak-results.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  const r = result.rssMb;
  console.log(
    `soak ${minutes} min: RSS ${r.first.toFixed(0)} → ${r.last.toFixed(0)} MB, max ${r.max.toFixed(0)} MB, ` +
      `slope ${r.slopeMbPerMinute.toFixed(2)} MB/min (second half ${r.secondHalfSlopeMbPerMinute.toFixed(2)}), ` +
      `${result.errors} errors: ${result.flat && result.errors === 0 ? 'flat (pass)' : 'NOT flat (fail)'}`,
  );
  if (!result.flat || result.errors > 0) process.exitCode = 1;
} finally {
  await env.close();
}
