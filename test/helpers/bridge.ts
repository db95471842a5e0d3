import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import type { BridgeConfig } from '../../src/config/index.js';
import { BridgeIssuer } from '../../src/issuer/index.js';
import { createAuditLogger, createLogger } from '../../src/log.js';
import { EMULATOR_DEMO_FILE } from '../../src/demo/index.js';
import { loadEmulatorConfig, type EmulatorConfig } from '../../src/emulator/config.js';
import { startEmulator } from '../../src/emulator/server.js';
import { stsClientFromConfig } from '../../src/sts/index.js';
import { listenStartingUp, serveWith } from '../../src/http-server.js';
import type { StsClient, StsClientOptions } from '../../src/sts/index.js';
import { MemoryStore, type Store } from '../../src/store/index.js';
import type { RoleActions } from '../../src/web/role-actions.js';
import { demoConfig } from './config.js';
import type { FakeOp } from './fake-op.js';

/** A bridge app on the demo config pointed at `op`, with a manual clock and captured log lines. */
export async function testBridge<S extends Store = MemoryStore>(
  op: { issuer: string; clientSecret: string },
  options: {
    actions?: RoleActions;
    config?: (c: BridgeConfig) => void;
    sts?: StsClient;
    /** A shared clock, for several instances of one bridge. */
    clock?: ManualClock;
    /** Default: a MemoryStore of its own. */
    store?: (clock: ManualClock) => S;
  } = {},
) {
  const config = await demoConfig({ idpUrl: op.issuer, clientSecret: op.clientSecret, publicUrl: 'http://127.0.0.1:8080' });
  options.config?.(config);
  const clock = options.clock ?? new ManualClock(Date.now());
  // Without a factory S is its default, MemoryStore.
  const store = options.store?.(clock) ?? (new MemoryStore(clock) as Store as S);
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  });
  const issuer = config.issuer && (await BridgeIssuer.create(config.issuer, config.alibaba, config.server.publicUrl));
  const app = createApp({ config, store, logger, clock, issuer, actions: options.actions, sts: options.sts });
  return { app, config, clock, store, logLines, issuer, agent: () => request.agent(app.callback()) };
}

/** Drives a full browser sign-in: /login → fake OP → callback. Returns the callback response. */
export async function loginThroughFakeOp(agent: TestAgent, op: FakeOp, returnTo?: string) {
  const start = await agent.get(returnTo ? `/login?return_to=${encodeURIComponent(returnTo)}` : '/login').expect(302);
  const callback = await followOp(start.headers.location!);
  return agent.get(callback.pathname + callback.search);
}

/** Follows the OP's authorization redirect and returns the callback URL it sends the browser to. */
export async function followOp(authorizeUrl: string): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`OP answered ${res.status}`);
  return new URL(res.headers.get('location')!);
}

/**
 * The demo bridge listening on a free port, with the Alibaba emulator (config/emulator-demo.yaml)
 * trusting it: for tests of the issuance paths against the real emulator and the official SDK.
 */
export async function bridgeWithEmulator(
  op: { issuer: string; clientSecret: string },
  options: {
    config?: (c: BridgeConfig) => void;
    emulatorConfig?: (c: EmulatorConfig) => void;
    clockOffsetMs?: number;
    stsOptions?: Partial<StsClientOptions>;
    /** Main log level (default debug). */
    logLevel?: string;
    /** Give the audit stream its own destination, captured in `auditLines`. */
    separateAudit?: boolean;
  } = {},
) {
  const server = await listenStartingUp('127.0.0.1', 0);
  const publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const emulator = await loadEmulatorConfig(EMULATOR_DEMO_FILE, { RAMBRIDGE_DEMO_BRIDGE_URL: publicUrl })
    .then((emulatorConfig) => {
      options.emulatorConfig?.(emulatorConfig);
      return startEmulator({ config: emulatorConfig, port: 0 });
    })
    .catch((err: unknown) => {
      server.close();
      throw err;
    });
  const config = await demoConfig({ idpUrl: op.issuer, clientSecret: op.clientSecret, publicUrl });
  Object.assign(config.alibaba, {
    stsEndpoint: emulator.url,
    signinUrl: emulator.url,
    roleSsoUrl: `${emulator.url}/saml-role/sso`,
    consoleUrl: `${emulator.url}/console`,
  });
  options.config?.(config);
  const clock = new ManualClock(Date.now() + (options.clockOffsetMs ?? 0));
  const store = new MemoryStore(clock);
  const logLines: string[] = [];
  const auditLines: string[] = [];
  const capture = (lines: string[]) => new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()) });
  const logger = createLogger({ level: options.logLevel ?? 'debug', destination: capture(logLines) });
  const auditLogger = options.separateAudit ? createAuditLogger(logger, 'stdout', capture(auditLines)) : undefined;
  const issuer = await BridgeIssuer.create(config.issuer!, config.alibaba, publicUrl);
  const sts = stsClientFromConfig(config.alibaba, {
    retryDeps: { sleep: () => Promise.resolve(), random: () => 0 },
    ...options.stsOptions,
  });
  const app = createApp({ config, store, logger, clock, issuer, sts, auditLogger });
  const handle = app.callback();
  serveWith(server, (req, res) => void handle(req, res));
  return {
    app,
    config,
    clock,
    store,
    logLines,
    auditLines,
    issuer,
    publicUrl,
    emulatorUrl: emulator.url,
    agent: () => request.agent(app.callback()),
    /** The issuance audit records written so far (refusals are recorded too, as `event: refusal`). */
    audits: () => logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === true && l.event === 'issuance'),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}
