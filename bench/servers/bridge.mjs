// The bridge under test, in a process of its own, composed the way startBridge (src/main.ts)
// composes it: memory store, issuer keys, STS client to the emulator, process metrics, access
// logs written (to /dev/null) at the configured level, and the idle collector
// (src/idle-memory.ts). It talks to the benchmark over IPC:
//   → {type: 'listening', url}        once its port is bound (the emulator must know it)
//   ← {type: 'configure', …}          emulator and OP addresses, keys; optionally (two-instances.mjs)
//                                     a shared publicUrl, session secret and Redis URL, and (soak.mjs)
//                                     `settings`: {'device.userCodeTtlSeconds': 60, …} set on the config;
//                                     `routerOnly`: every middleware removed but the router (a bound's
//                                     explanation: what the route alone costs, bench/README.md)
//   → {type: 'configure', ok}         serving
//   ← {type: 'token'}                 → {type: 'token', token}: a CLI access token for the bench user
//   ← {type: 'loopDelay', action}     'start' measuring the event-loop delay, or 'stop' → {loop: {p99, max}} in ms
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../../dist/app.js';
import { createBridgeServer, serveWith } from '../../dist/http-server.js';
import { systemClock } from '../../dist/clock.js';
import { redisStoreSchema } from '../../dist/config/redis.js';
import { createDeviceFlow } from '../../dist/device/index.js';
import { stsClientFromConfig } from '../../dist/sts/index.js';
import { BridgeIssuer } from '../../dist/issuer/index.js';
import { IdleCollector } from '../../dist/idle-memory.js';
import { createLogger } from '../../dist/log.js';
import { createStore } from '../../dist/store/index.js';
import { Metrics } from '../../dist/web/metrics.js';
import { BENCH_USER, benchConfig } from '../lib/fixture.mjs';

// The server `rambridge serve` runs (keep-alive, answers of one event-loop turn written together).
const server = createBridgeServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const publicUrl = `http://127.0.0.1:${server.address().port}`;
let device;
let identity;

process.on('message', (message) => {
  void handle(message).then(
    (answer) => process.send({ type: message.type, ...answer }),
    (err) => process.send({ type: message.type, error: String(err?.stack ?? err) }),
  );
});
process.send({ type: 'listening', url: publicUrl });
process.once('SIGTERM', () => process.exit(0));

async function handle(message) {
  if (message.type === 'configure') {
    const config = await benchConfig({
      keys: message.keys,
      publicUrl: message.publicUrl ?? publicUrl,
      emulatorUrl: message.emulatorUrl,
      op: message.op,
      sessionSecret: message.sessionSecret,
    });
    // Several instances behind one address share one Redis: sessions and tokens minted by one are good at all.
    if (message.redisUrl) config.store = redisStoreSchema.parse({ type: 'redis', url: message.redisUrl });
    for (const [path, value] of Object.entries(message.settings ?? {})) {
      const keys = path.split('.');
      const parent = keys.slice(0, -1).reduce((o, k) => o[k], config);
      if (!(keys.at(-1) in parent)) throw new Error(`no setting ${path}`);
      parent[keys.at(-1)] = value;
    }
    const clock = systemClock;
    // Logs as `rambridge serve` does (stdout, here /dev/null: environment.mjs ignores it).
    const logger = createLogger({ level: config.log.level });
    const store = createStore(config.store, clock);
    const issuer = await BridgeIssuer.create(config.issuer, config.alibaba, config.server.publicUrl);
    const sts = stsClientFromConfig(config.alibaba);
    const app = createApp({ config, store, logger, clock, issuer, sts, metrics: new Metrics({ processMetrics: true }) });
    // The routes' dispatch (src/web/route-groups.ts) is the one middleware of that name.
    if (message.routerOnly) {
      app.middleware = app.middleware.filter((m) => m.name === 'dispatchByFirstSegment');
      if (app.middleware.length !== 1) throw new Error(`routerOnly: ${app.middleware.length} router middlewares`);
    }
    const handler = app.callback();
    const idle = new IdleCollector().start(); // as startBridge does: memory goes back after a burst
    serveWith(server, (req, res) => {
      idle.requestSeen();
      void handler(req, res);
    });
    device = createDeviceFlow({ config, store, clock, issuer });
    identity = {
      idp: 'demo',
      issuer: message.op.issuer,
      subject: BENCH_USER.sub,
      email: BENCH_USER.email,
      name: BENCH_USER.name,
      groups: BENCH_USER.groups,
      amr: ['pwd'],
      authTime: Math.floor(Date.now() / 1000),
    };
    return { ok: true };
  }
  if (message.type === 'token') {
    const { session } = await device.sessions.start(identity, { clientId: 'rambridge-cli', ip: '127.0.0.1', host: 'bench' });
    return { token: (await device.accessTokens.mint(session)).token };
  }
  if (message.type === 'loopDelay') return { loop: loopDelay(message.action) };
  throw new Error(`unknown message ${message.type}`);
}

const delay = monitorEventLoopDelay({ resolution: 1 });
function loopDelay(action) {
  if (action === 'start') {
    delay.reset();
    delay.enable();
    return undefined;
  }
  delay.disable();
  return { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
}
