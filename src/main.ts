import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from './app.js';
import { systemClock, type Clock } from './clock.js';
import { ConfigInvalid, type BridgeConfig } from './config/index.js';
import { stsClientFromConfig } from './sts/index.js';
import { BridgeIssuer } from './issuer/index.js';
import { closeGracefully, listenStartingUp, serveWith } from './http-server.js';
import { IdleCollector } from './idle-memory.js';
import { meteredStore } from './web/metered.js';
import { isBridgeError, toBridgeError } from './errors.js';
import { createConnectors, type Connector } from './idp/index.js';
import { auditLostAtStop, createLogger, drainAuditBacklog, waitForReadersAtStop, type Logger } from './log.js';
import { openAuditLogger } from './config/files.js';
import { checkStoreOnline, createStore, type Store } from './store/index.js';
import { Metrics } from './web/metrics.js';

export interface RunningBridge {
  url: string;
  /** The configuration in use: the latest one `reload` accepted. */
  config: BridgeConfig;
  /**
   * Serves `config` from now on (SIGHUP): a new app and new connectors (so IdP metadata and
   * discovery are read again) on the same listening socket and the same store, so sessions,
   * sign-ins in progress and CLI sessions carry on. Everything is built before the switch: if
   * anything fails (a key file missing…) this throws and the running configuration stays.
   * Settings that live with the process (host, port, store) need a restart; they are kept, with a warning.
   */
  reload(config: BridgeConfig): Promise<void>;
  close(): Promise<void>;
}

export interface StartOptions {
  config: BridgeConfig;
  logger?: Logger;
  clock?: Clock;
  /** Overrides config.server.port (0 = any free port). */
  port?: number;
  /** The configuration file, named in a problem found only when starting (a host that does not resolve…). */
  configFile?: string;
  /**
   * A server already listening (the demo binds first, to learn its port), made by
   * `listenStartingUp`: it answers 503 until its handler is replaced here.
   */
  server?: Server;
  actions?: AppDeps['actions'];
  /** Gives memory back after a burst (idle-memory.ts); tests pass one over a pretend heap. */
  idleCollector?: IdleCollector;
}

/**
 * A Redis that may evict the bridge's keys stops start-up: a spent assertion would be accepted
 * twice, a revocation forgotten. One not reachable yet does not (the bridge answers 503 until it
 * is): /readyz checks the policy again at every probe.
 */
async function checkStore(store: Store, logger: Logger): Promise<void> {
  try {
    const { problems, warnings } = await checkStoreOnline(store);
    for (const warning of warnings) logger.warn({ event: 'insecure-setting' }, warning);
    if (problems.length > 0) throw new ConfigInvalid('store', problems);
  } catch (err) {
    if (!isBridgeError(err, 'ERR_UNAVAILABLE')) {
      await store.close();
      throw err;
    }
    logger.warn({ event: 'store-unchecked', detail: err.detail }, 'Redis is unavailable: its maxmemory-policy is checked by /readyz');
  }
}

/**
 * The composition root: builds every dependency from the config and listens. The CLI is the only
 * caller that reads process.env, and passes what it read in.
 */
export async function startBridge(options: StartOptions): Promise<RunningBridge> {
  const { config } = options;
  const source = options.configFile ?? 'the configuration';
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.log.level });
  for (const warning of config.warnings) logger.warn({ event: 'insecure-setting' }, warning);
  const store = createStore(config.store, clock);
  await checkStore(store, logger);
  const metrics = new Metrics({ processMetrics: true });
  // The connectors' store calls (SAML replay markers) are measured like the app's own (createApp).
  const connectorStore = meteredStore(store, metrics);
  // The connectors in use: a reload's new ones start from what these loaded (createConnectors).
  let current: Map<string, Connector> | undefined;
  const build = async (next: BridgeConfig) => {
    const issuer = next.issuer && (await BridgeIssuer.create(next.issuer, next.alibaba, next.server.publicUrl));
    const sts = issuer && stsClientFromConfig(next.alibaba);
    const connectors = createConnectors(next, { store: connectorStore, clock, logger }, current);
    const auditLogger = openAuditLogger(next, logger, source);
    const app = createApp({ config: next, store, logger, clock, issuer, sts, metrics, connectors, actions: options.actions, auditLogger });
    return { app, connectors };
  };
  const { app, connectors } = await build(config);
  current = connectors;
  const port = options.port ?? config.server.port;
  const server =
    options.server ??
    (await listenStartingUp(config.server.host, port).catch((err: unknown) => {
      throw listenProblem(err, config.server.host, port, options.port === undefined ? 'server.port' : '--port', source) ?? err;
    }));
  const idle = (
    options.idleCollector ??
    new IdleCollector({
      onCollected: ({ beforeBytes, afterBytes, ms }) =>
        logger.debug(
          { event: 'idle-gc', heapBeforeMb: mb(beforeBytes), heapAfterMb: mb(afterBytes), ms: Math.round(ms) },
          'heap collected while idle',
        ),
    })
  ).start();
  const serve = (handle: ReturnType<typeof app.callback>) =>
    serveWith(server, (req, res) => {
      idle.requestSeen();
      void handle(req, res);
    });
  serve(app.callback());
  const bound = (server.address() as AddressInfo).port;
  logger.info({ event: 'listening', host: config.server.host, port: bound, publicUrl: config.server.publicUrl }, 'rambridge listening');
  void warmUp(connectors, logger);
  const running: RunningBridge = {
    url: `http://${config.server.host}:${bound}`,
    config,
    reload: async (requested) => {
      for (const setting of restartOnly(config, requested))
        logger.warn({ event: 'config-reload', setting }, `${setting} changes take effect at the next restart`);
      // What runs from now on: the new settings, but the socket and the store the process started with.
      const next: BridgeConfig = {
        ...requested,
        server: { ...requested.server, host: config.server.host, port: config.server.port },
        store: config.store,
      };
      const built = await build(next);
      logger.level = next.log.level;
      serve(built.app.callback());
      current = built.connectors;
      running.config = next;
      for (const warning of next.warnings) logger.warn({ event: 'insecure-setting' }, warning);
      logger.info({ event: 'config-reloaded', idps: next.idps.map((i) => i.id) }, 'configuration reloaded');
      await warmUp(built.connectors, logger);
    },
    close: async () => {
      idle.stop();
      // The configuration running now: a reload may have changed the grace period. The connections
      // and a full pipe's log reader share it, from now.
      const graceMs = running.config.server.shutdownGraceSeconds * 1000;
      const deadline = waitForReadersAtStop(graceMs);
      await closeGracefully(server, graceMs);
      await store.close();
      // Audit records kept while the destination refused writes: tried until the deadline, else say what is lost.
      const pendingBytes = await drainAuditBacklog(deadline);
      if (pendingBytes > 0) auditLostAtStop(logger, pendingBytes);
      logger.info({ event: 'stopped' }, 'rambridge stopped');
    },
  };
  return running;
}

/**
 * A listen refused because of the configuration (a host that does not resolve or is not this
 * machine's, a port this user may not bind) is a configuration problem (exit 2), not a crash; a
 * port in use is left to the CLI, which names it and suggests a free one.
 */
function listenProblem(err: unknown, host: string, port: number, portSetting: string, source: string): ConfigInvalid | undefined {
  const code = (err as NodeJS.ErrnoException).code;
  const problem = (path: string, message: string) => new ConfigInvalid(source, [{ path, message }]);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return problem(
        'server.host',
        `${host} does not resolve (${code}): use an address of this machine (0.0.0.0: all of them) or a name that resolves to one`,
      );
    case 'EADDRNOTAVAIL':
      return problem(
        'server.host',
        `${host} is not an address of this machine (EADDRNOTAVAIL): use one of its addresses, or 0.0.0.0 for all of them`,
      );
    case 'EACCES':
      return problem(
        portSetting,
        `this user may not listen on port ${port} (EACCES): ports below 1024 need root or CAP_NET_BIND_SERVICE; use one from 1024 up behind a proxy or load balancer`,
      );
    default:
      return undefined;
  }
}

/** Reads every IdP's discovery or metadata now, so a problem shows in the log at start-up or reload, not at a user's sign-in. */
async function warmUp(connectors: Map<string, Connector>, logger: Logger): Promise<void> {
  await Promise.all(
    [...connectors.values()].map((c) =>
      c.reload().then(
        () => logger.info({ event: 'idp-loaded', idp: c.id }, 'IdP metadata loaded'),
        (err: unknown) => {
          const e = toBridgeError(err);
          logger.warn(
            { event: 'idp-load-failed', idp: c.id, code: e.code, detail: e.detail },
            'IdP metadata could not be loaded; retrying later',
          );
        },
      ),
    ),
  );
}

/**
 * Settings a reload cannot apply to a running process, compared with those it started with: the
 * socket it listens on and the store it keeps state in. Each reload that asks for them says so.
 */
function restartOnly(current: BridgeConfig, next: BridgeConfig): string[] {
  const changed: string[] = [];
  if (current.server.host !== next.server.host || current.server.port !== next.server.port) changed.push('server.host/port');
  if (JSON.stringify(current.store) !== JSON.stringify(next.store)) changed.push('store');
  return changed;
}

const mb = (bytes: number) => Math.round(bytes / 1048576);
