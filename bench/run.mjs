// rambridge's performance report (npm run bench; npm run bench -- --quick for one short run).
// Writes bench/REPORT.md and bench/results.json. Every figure is the median and spread of several
// runs and is shown as a ratio to its bound, measured in the same run. Loads are bounded
// (autocannon for a few seconds, or a fixed number of requests) and go to 127.0.0.1 only.
import { setTimeout as sleep } from 'node:timers/promises';
import { benchConfig } from './lib/fixture.mjs';
import { IDLE_SETTLE_MS, startEnvironment } from './lib/environment.mjs';
import { machine } from './lib/machine.mjs';
import { writeReport } from './lib/report.mjs';
import { summarize } from './lib/stats.mjs';
import { cliRun, cliSetup } from './sections/cli.mjs';
import { httpCases, httpRun, httpWarmUp } from './sections/http.mjs';
import { acsRun, oidcCallbackRun, WAVE } from './sections/logins.mjs';
import { pendingLoad, rssSamples } from './sections/memory.mjs';
import { mintRun, mintSetup } from './sections/mint.mjs';

// `npm run bench -- --soak [--minutes N]`: the soak alone (bench/soak.mjs), not the report.
if (process.argv.includes('--soak')) {
  await import('./soak.mjs');
  process.exit();
}

const quick = process.argv.includes('--quick');
const options = quick
  ? { runs: 1, seconds: 2, mintMs: 300, logins: 10, acsWave: 24, cliRuns: 3, settleSeconds: 5, pending: 2000 }
  : { runs: 5, seconds: 5, mintMs: 1500, logins: 40, acsWave: 120, cliRuns: 7, settleSeconds: 60, pending: 10_000 };
const command = quick ? 'npm run bench -- --quick' : 'npm run bench';
const log = (...args) => console.error('[bench]', ...args);

const info = machine();
log(`machine: ${info.nproc} CPUs, load ${info.loadAverageAtStart.join(' ')}, node ${info.node}`);
const env = await startEnvironment({ measureIdle: true });
try {
  const config = await benchConfig({ keys: env.keys, publicUrl: env.bridgeUrl, emulatorUrl: env.emulatorUrl, op: env.op });
  const corp = config.idps.find((i) => i.id === 'corp');
  await sleep(Math.max(0, env.lastRequestAt + IDLE_SETTLE_MS - Date.now()));
  const rssIdle = await rssSamples(env.bridgePid, 5);
  log('idle RSS', rssIdle.map((v) => v.toFixed(0)).join(' '));

  const mint = await mintSetup(config);
  const cli = await cliSetup(env, 'dev-readonly');
  await httpWarmUp(env);
  // Sign-ins warm up too, on both sides (the bridge's node-saml and jose, and the bounds' in this
  // process, and bare Koa + node-saml's): the timed runs measure a running bridge, as the HTTP rows
  // do after httpWarmUp. The first 40 SAML sign-ins of a fresh process take ~15 ms each, later ones ~10.5.
  await acsRun(env, corp, options.acsWave, env.bareAcsUrl);
  await oidcCallbackRun(env, options.logins);

  const runs = [];
  for (let run = 0; run < options.runs; run++) {
    log(`run ${run + 1}/${options.runs}`);
    const http = await httpRun(env, run, options.seconds);
    const minting = await mintRun(mint, options.mintMs);
    const acs = await acsRun(env, corp, options.acsWave, env.bareAcsUrl);
    const oidc = await oidcCallbackRun(env, options.logins);
    const cliTimes = cliRun(cli, options.cliRuns);
    runs.push({ http, minting, acs, oidc, cli: cliTimes });
    log(
      JSON.stringify({
        http: Object.fromEntries(Object.entries(http).map(([k, v]) => [k, [Math.round(v.bridge.rps), Math.round(v.bare?.rps ?? NaN)]])),
      }),
    );
  }

  const rssAfterLoad = await rssSamples(env.bridgePid, 1);
  log(`after load ${rssAfterLoad[0].toFixed(0)} MB; waiting ${options.settleSeconds} s`);
  await sleep(options.settleSeconds * 1000);
  const rssSettled = await rssSamples(env.bridgePid, 5);
  const pending = await pendingLoad(env, options.pending);
  const rssPending = await rssSamples(env.bridgePid, 5);

  // ---- figures
  const all = (f) => summarize(runs.map(f));
  const rows = [];
  for (const c of httpCases(env)) {
    const rps = all((r) => r.http[c.id].bridge.rps);
    const bounded = c.bare !== false;
    const ratio = bounded ? all((r) => r.http[c.id].bridge.rps / r.http[c.id].bare.rps) : undefined;
    const p99 = all((r) => r.http[c.id].bridge.p99);
    const errors = runs.reduce((n, r) => n + r.http[c.id].bridge.errors, 0);
    const goals = [];
    let met = true;
    if (c.goal.ratio) (goals.push(`≥ ${c.goal.ratio}× bare Koa`), (met &&= ratio.median >= c.goal.ratio));
    if (c.goal.rps) (goals.push(`≥ ${c.goal.rps.toLocaleString('en-US')} req/s`), (met &&= rps.median >= c.goal.rps));
    if (c.goal.p99) (goals.push(`p99 < ${c.goal.p99} ms`), (met &&= p99.median < c.goal.p99));
    if (c.goal.errors === 0) (goals.push('0 errors'), (met &&= errors === 0));
    rows.push({
      figure: `${c.label}, req/s`,
      value: rps,
      bound: bounded ? all((r) => r.http[c.id].bare.rps) : undefined,
      ratio,
      // A row without a goal explains the one above it.
      goal: goals.length ? goals.join(', ') : undefined,
      met: goals.length ? met : undefined,
      unit: '',
    });
    rows.push({ figure: `… p99 latency / errors (non-2xx, all runs)`, value: p99, unit: ' ms', bound: `${errors} errors` });
  }
  // The issuer signs through the thread pool (so concurrent requests sign on every CPU): its bound
  // is the same signature made the same way; the row below it adds the hand-off to the pool.
  const poolRatio = all((r) => r.minting.idTokenPool.mint / r.minting.idTokenPool.raw);
  rows.push({
    figure: `mint ID token (${mint.oidcSigns}), per s; bound = the raw signature through the thread pool, as the issuer signs`,
    value: all((r) => r.minting.idTokenPool.mint),
    bound: all((r) => r.minting.idTokenPool.raw),
    ratio: poolRatio,
    goal: '≥ 0.9× raw sign rate',
    met: poolRatio.median >= 0.9,
  });
  rows.push({
    figure: `… the same, bound = the raw signature on the event loop (no hand-off to the pool, one CPU)`,
    value: all((r) => r.minting.idToken.mint),
    bound: all((r) => r.minting.idToken.raw),
    ratio: all((r) => r.minting.idToken.mint / r.minting.idToken.raw),
  });
  rows.push({
    figure: `… raw ${mint.oidcSigns}${mint.oidcKeyBits ? ` (RSA-${mint.oidcKeyBits})` : ''} signatures per s with every CPU signing at once (thread pool, nothing else running): the most /api/credentials can issue with these keys, OIDC one signature a request, SAML two`,
    value: all((r) => r.minting.signCeiling),
  });
  const samlCost = all((r) => r.minting.samlResponse.raw / r.minting.samlResponse.mint);
  rows.push({
    figure: 'mint SAML Response (2 RSA signatures): cost as multiple of its raw signatures',
    value: all((r) => 1000 / r.minting.samlResponse.mint),
    unit: ' ms',
    bound: all((r) => 1000 / r.minting.samlResponse.raw),
    ratio: samlCost,
    goal: '≤ 2× raw signatures',
    met: samlCost.median <= 2,
  });
  const acsRatio = all((r) => r.acs.acsPerSecond / r.acs.barePerSecond);
  rows.push({
    figure: `SAML ACS POST /saml/corp/acs (all checks), sign-ins/s in a wave of ${WAVE} at once; bound = node-saml on the same answers, one after the other`,
    value: all((r) => r.acs.acsPerSecond),
    bound: all((r) => r.acs.barePerSecond),
    ratio: acsRatio,
    goal: '≥ 0.8× bare node-saml',
    met: acsRatio.median >= 0.8,
  });
  rows.push({
    figure: '… the same wave posted to bare Koa + node-saml on its event loop (bench/servers/bare-acs.mjs), same client and HTTP',
    value: all((r) => r.acs.acsPerSecond),
    bound: all((r) => r.acs.bareHttpPerSecond),
    ratio: all((r) => r.acs.acsPerSecond / r.acs.bareHttpPerSecond),
  });
  // Milliseconds, where less is better: the ratio is bound / value, so above 1× the bridge waits less.
  const msRow = (figure, value, bound) => ({
    figure,
    value: all(value),
    unit: ' ms',
    bound: all(bound),
    ratio: all((r) => bound(r) / value(r)),
  });
  rows.push(
    msRow(
      '… event-loop delay p99 during the wave, ms: the bridge (node-saml on worker threads) vs bare Koa + node-saml: what every other request waits',
      (r) => r.acs.acsLoopP99Ms,
      (r) => r.acs.bareHttpLoopP99Ms,
    ),
    msRow(
      '… one sign-in alone (latency), ms: the ACS post vs node-saml on the same answer',
      (r) => r.acs.aloneMs,
      (r) => r.acs.bareAloneMs,
    ),
  );
  rows.push({
    figure: 'OIDC callback GET /oidc/demo/callback (token call + checks), sign-ins/s, sequential',
    value: all((r) => r.oidc.callbackPerSecond),
    bound: all((r) => r.oidc.barePerSecond),
    ratio: all((r) => r.oidc.callbackPerSecond / r.oidc.barePerSecond),
    goal: '— (bound includes no network)',
  });
  const cliRatio = all((r) => r.cli.credsMs / r.cli.nodeMs);
  rows.push({
    figure: "cached `rambridge creds dev-readonly --format process --server URL --duration 1h` (an External profile's command line)",
    value: all((r) => r.cli.credsMs),
    unit: ' ms',
    bound: all((r) => r.cli.nodeMs),
    ratio: cliRatio,
    goal: '≤ 1.5× `node -e 0`',
    met: cliRatio.median <= 1.5,
  });
  rows.push({
    figure: `bridge RSS idle as started: configured, listening, no request yet (5 samples from ${IDLE_SETTLE_MS / 1000} s after)`,
    value: summarize(env.rssAtStart),
    unit: ' MB',
    goal: '≤ 100 MB',
    met: Math.max(...env.rssAtStart) <= 100,
  });
  rows.push({
    figure: `bridge RSS idle after one request of each kind (a CLI token, /api/roles, one OIDC /api/credentials: the STS SDK loaded) (5 samples from ${IDLE_SETTLE_MS / 1000} s after the last)`,
    value: summarize(rssIdle),
    unit: ' MB',
    goal: '(≤ 100 MB, as above)',
    met: Math.max(...rssIdle) <= 100,
  });
  rows.push({ figure: 'bridge RSS right after the load runs', value: summarize(rssAfterLoad), unit: ' MB' });
  rows.push({
    figure: `bridge RSS ${options.settleSeconds} s after the load (5 samples)`,
    value: summarize(rssSettled),
    unit: ' MB',
    goal: '< 150 MB within a minute',
    met: Math.max(...rssSettled) < 150,
  });
  rows.push({
    figure: `bridge RSS after ${options.pending.toLocaleString('en-US')} pending sign-ins + ${options.pending.toLocaleString('en-US')} device grants`,
    value: summarize(rssPending),
    unit: ' MB',
    bound: `${pending.logins.errors + pending.grants.errors} errors`,
  });

  writeReport({
    machine: info,
    command,
    options,
    rows,
    notes: [
      'HTTP: autocannon, 16 connections, ' +
        `${options.seconds} s per route and target, loopback only; the bound is a bare Koa process (bench/servers/bare-koa.mjs) answering the same JSON body.`,
      'STS runs out of process: the Alibaba Cloud emulator is started as a child, `node bin/rambridge.js emulator --config config/emulator-demo.yaml`, ' +
        "so its CPU (signature checks, credential minting) is not counted as the bridge's — but it shares the same CPUs.",
      'The credentials goals are measured on a second bridge process whose STS is bench/servers/fake-sts.mjs, a stand-in that verifies nothing and answers at once: ' +
        'STS out of process and costing no CPU, so the rate is what the bridge itself issues (mapping, minting, STS client, audit). ' +
        'The emulator rows explain them: what an STS that checks every signature allows when it shares the same two CPUs; ' +
        'the RSA-3072 rows come from another bridge process, the same but with 3072-bit issuer keys (`--bits 3072`): how much of the rate is the signatures. ' +
        'The issuer keys of the other bridges are what `rambridge keys generate` makes by default (RSA-2048 for keys made before 2028).',
      'The bridge runs in its own process (bench/servers/bridge.mjs), composed like `rambridge serve` with the memory store, access logs at info to /dev/null, process metrics on, and the idle collector (src/idle-memory.ts: one full garbage collection after 20 s without a request).',
      "Minting: in-process rates with the issuer's own KeyObjects; the bound signs a buffer of the same size with `crypto.sign` and the same key. " +
        "The signature ceiling: 4 signatures in flight per CPU through Node's thread pool in the bench's own process, with no load running.",
      `Sign-ins: ${options.logins} per run, after as many untimed ones on both sides at start (warm-up, as for the HTTP rows); each started with GET /login; only the answer (ACS post / callback) is timed, at the client, over HTTP keep-alive. ` +
        `SAML: ${options.acsWave} answers per run, all prepared first (GET /login, the IdP's signed answer), then posted as a wave, ${WAVE} in flight at once, and timed as a whole; 10 more are posted one at a time for the latency row. ` +
        "The OIDC upstream is a separate process (bench/servers/fake-op.mjs), so its token signing is not the bridge's; its network round trip is in the callback.",
      'Rows without a goal explain the row above them. `/api/roles` on a bridge with every middleware removed (bench/servers/bridge.mjs, `routerOnly`): the router alone, that is the bearer check, the live-session check, the mapping and the preferences, with no access log, metrics, security headers or error pages. ' +
        "The ACS wave sent, by the same client over the same HTTP, to bare Koa + node-saml (bench/servers/bare-acs.mjs: reads the form, validates with the bridge's options on its event loop, redirects). Event-loop delay: perf_hooks.monitorEventLoopDelay at 1 ms resolution in each server during its wave.",
      `CLI: ${options.cliRuns} fresh processes per run, interleaved with \`node -e 0\`, median per run.`,
      'Pending sign-ins are SAML (GET /login?idp=corp), device grants POST /oauth/device_authorization; both through autocannon -a N.',
    ],
  });
  log('wrote bench/REPORT.md and bench/results.json');
} finally {
  await env.close();
}
