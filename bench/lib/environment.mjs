// Starts everything the benchmarks talk to, each in a process of its own on 127.0.0.1:
// the upstream OIDC provider, the bridge, the Alibaba Cloud emulator (STS, via the real CLI
// command `rambridge emulator`), the bare Koa bound, and the processes of the explaining rows (a
// bridge with an STS stand-in, the same with RSA-3072 issuer keys, a bridge without middleware,
// bare Koa + node-saml). CPU spent in them is not the bridge's.
import { setTimeout as sleep } from 'node:timers/promises';
import { ask, rssMb, startChild, stopChild } from './children.mjs';
import { BENCH_USER, EMULATOR_CONFIG, benchConfig } from './fixture.mjs';
import { benchKeys } from './keys.mjs';

const here = (path) => new URL(path, import.meta.url).pathname;

/**
 * How long the bridge goes without a request before its RSS counts as idle: V8 gives back the
 * young generation that start-up or a request grew (~30 MB) within ~5 s of the last allocation
 * (bench/README.md, round 9); sampled sooner, "idle" would be that transient.
 */
export const IDLE_SETTLE_MS = 10_000;

/**
 * `settings`: configuration values the bridge under test starts with (bench/servers/bridge.mjs).
 * `measureIdle`: sample the bridge's RSS idle as started (`rssAtStart`), IDLE_SETTLE_MS after it is
 * configured; otherwise it is not sampled.
 */
export async function startEnvironment({ settings, measureIdle = false } = {}) {
  const children = [];
  try {
    const keys = await benchKeys();
    const op = await startChild([here('../servers/fake-op.mjs')], { env: { BENCH_USER: JSON.stringify(BENCH_USER) } });
    children.push(op.child);

    const bridge = await startBridgeChild();
    children.push(bridge.child);
    const emulator = await startChild(
      [
        ...(process.env.BENCH_EMULATOR_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_EMULATOR_CPU_PROF] : []),
        here('../../bin/rambridge.js'),
        'emulator',
        '--config',
        EMULATOR_CONFIG,
        '--port',
        '0',
        '--log-level',
        'warn',
      ],
      { env: { RAMBRIDGE_DEMO_BRIDGE_URL: bridge.url }, urlPattern: /emulator on (http:\/\/[\d.]+:\d+)/ },
    );
    children.push(emulator.child);
    await ask(bridge.child, { type: 'configure', keys, emulatorUrl: emulator.info.url, op: op.info, settings });
    // Idle as started: configured and listening, before any request (the modules loaded on first
    // use, the STS SDK and node-saml, are not yet in).
    const rssAtStart = [];
    for (let i = 0; measureIdle && i < 5; i++) (await sleep(i ? 500 : IDLE_SETTLE_MS), rssAtStart.push(rssMb(bridge.child.pid)));
    const { token } = await ask(bridge.child, { type: 'token' });

    const auth = { authorization: `Bearer ${token}` };
    const json = { ...auth, 'content-type': 'application/json' };
    const credentialsBody = (role) => JSON.stringify({ role, durationSeconds: 3600 });
    const sampleCredentials = await globalThis.fetch(`${bridge.url}/api/credentials`, {
      method: 'POST',
      headers: json,
      body: credentialsBody('dev-readonly'),
    });
    if (!sampleCredentials.ok)
      throw new Error(`POST /api/credentials answered ${sampleCredentials.status}: ${await sampleCredentials.text()}`);
    const credentials = await sampleCredentials.json();
    // The credentials rows below issue both roles to the bench user: issued once here, each is a recent
    // role with its last length already, so the roles body (and the bare bound's copy) stays the same.
    const sampleSaml = await globalThis.fetch(`${bridge.url}/api/credentials`, {
      method: 'POST',
      headers: json,
      body: credentialsBody('dev-admin'),
    });
    if (!sampleSaml.ok) throw new Error(`POST /api/credentials (dev-admin) answered ${sampleSaml.status}: ${await sampleSaml.text()}`);
    const rolesBody = await (await globalThis.fetch(`${bridge.url}/api/roles`, { headers: auth })).json();
    // The last request the bridge under test gets before the timed runs.
    const lastRequestAt = Date.now();

    // A second bridge whose STS is a stand-in that verifies nothing: STS out of process and costing
    // no CPU, so the credentials goals are this bridge's.
    const fakeSts = await startChild([here('../servers/fake-sts.mjs')]);
    children.push(fakeSts.child);
    const bridgeFake = await startBridgeChild();
    children.push(bridgeFake.child);
    await ask(bridgeFake.child, { type: 'configure', keys, emulatorUrl: fakeSts.info.url, op: op.info });
    const { token: fakeToken } = await ask(bridgeFake.child, { type: 'token' });
    // Another, the same but with 3072-bit issuer keys (`rambridge keys generate --bits 3072`): what
    // the bridge issues when each signature costs 3–6 times as much.
    const bridge3072 = await startBridgeChild();
    children.push(bridge3072.child);
    await ask(bridge3072.child, {
      type: 'configure',
      keys: await benchKeys({ rsaBits: 3072 }),
      emulatorUrl: fakeSts.info.url,
      op: op.info,
    });
    const { token: token3072 } = await ask(bridge3072.child, { type: 'token' });

    const bare = await startChild([here('../servers/bare-koa.mjs')], {
      env: {
        BENCH_BODIES: JSON.stringify({ '/healthz': { status: 'ok' }, '/api/roles': rolesBody, '/api/credentials': credentials }),
      },
    });
    children.push(bare.child);

    // Two more, which explain bounds rather than meet goals: a bridge with every middleware removed
    // (the router alone: bearer check, live session, mapping, preferences), and bare Koa + node-saml
    // for the ACS posted to over the same HTTP as the bridge.
    const bridgeRouterOnly = await startBridgeChild();
    children.push(bridgeRouterOnly.child);
    await ask(bridgeRouterOnly.child, { type: 'configure', keys, emulatorUrl: fakeSts.info.url, op: op.info, routerOnly: true });
    const { token: routerOnlyToken } = await ask(bridgeRouterOnly.child, { type: 'token' });
    const config = await benchConfig({ keys, publicUrl: bridge.url, emulatorUrl: emulator.info.url, op: op.info });
    const corp = config.idps.find((i) => i.id === 'corp');
    const bareAcs = await startChild([here('../servers/bare-acs.mjs')], { env: { BENCH_SAML_IDP: JSON.stringify(corp) } });
    children.push(bareAcs.child);
    return {
      keys,
      op: op.info,
      bridgeUrl: bridge.url,
      bridgePid: bridge.child.pid,
      bridgeChild: bridge.child,
      rssAtStart,
      lastRequestAt,
      bridgeFakeUrl: bridgeFake.url,
      fakeJson: { authorization: `Bearer ${fakeToken}`, 'content-type': 'application/json' },
      bridge3072Url: bridge3072.url,
      json3072: { authorization: `Bearer ${token3072}`, 'content-type': 'application/json' },
      emulatorUrl: emulator.info.url,
      bareUrl: bare.info.url,
      bridgeRouterOnlyUrl: bridgeRouterOnly.url,
      routerOnlyAuth: { authorization: `Bearer ${routerOnlyToken}` },
      bareAcsUrl: bareAcs.info.url,
      token,
      auth,
      json,
      credentialsBody,
      rolesBody,
      credentials,
      close: () => Promise.all(children.map(stopChild)),
    };
  } catch (err) {
    await Promise.all(children.map(stopChild));
    throw err;
  }
}

/** The bridge child binds first: the emulator must know the bridge's URL (it trusts its issuer). */
export async function startBridgeChild() {
  const { spawn } = await import('node:child_process');
  // BENCH_CPU_PROF=dir profiles the bridge (node --cpu-prof); bench/profile.mjs summarises the result.
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const child = spawn(process.execPath, [...prof, here('../servers/bridge.mjs')], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench bridge exited with ${code}`)));
    child.on('message', (m) => m.type === 'listening' && resolve(m.url));
  });
  return { child, url };
}
