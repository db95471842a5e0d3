import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type AppDeps } from './app.js';
import { systemClock, type Clock } from './clock.js';
import { loadConfigFile, type BridgeConfig, type Env } from './config/index.js';
import { stsClientFromConfig } from './issuance/sts-from-config.js';
import { BridgeIssuer } from './issuer/index.js';
import { closeGracefully, listenStartingUp, serveWith } from './http-server.js';
import { createLogger, type Logger } from './log.js';
import { createStore } from './store/index.js';
import { Metrics } from './web/metrics.js';

export interface RunningBridge {
  url: string;
  config: BridgeConfig;
  close(): Promise<void>;
}

export interface StartOptions {
  config: BridgeConfig;
  logger?: Logger;
  clock?: Clock;
  /** Overrides config.server.port (0 = any free port). */
  port?: number;
  /**
   * A server already listening (the demo binds first, to learn its port), made by
   * `listenStartingUp`: it answers 503 until its handler is replaced here.
   */
  server?: Server;
  actions?: AppDeps['actions'];
}

/**
 * The composition root: builds every dependency from the config and listens. The CLI is the only
 * caller that reads process.env, and passes what it read in.
 */
export async function startBridge(options: StartOptions): Promise<RunningBridge> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: config.log.level });
  for (const warning of config.warnings) logger.warn({ event: 'insecure-setting' }, warning);
  const store = createStore(config.store, clock);
  const issuer = config.issuer && (await BridgeIssuer.create(config.issuer, config.alibaba, config.server.publicUrl));
  const sts = issuer && stsClientFromConfig(config.alibaba);
  const app = createApp({
    config,
    store,
    logger,
    clock,
    issuer,
    sts,
    metrics: new Metrics({ processMetrics: true }),
    actions: options.actions,
  });
  const server = options.server ?? (await listenStartingUp(config.server.host, options.port ?? config.server.port));
  const handle = app.callback();
  serveWith(server, (req, res) => void handle(req, res));
  const { port } = server.address() as AddressInfo;
  logger.info({ event: 'listening', host: config.server.host, port, publicUrl: config.server.publicUrl }, 'rambridge listening');
  return {
    url: `http://${config.server.host}:${port}`,
    config,
    close: async () => {
      await closeGracefully(server, config.server.shutdownGraceSeconds * 1000);
      await store.close();
      logger.info({ event: 'stopped' }, 'rambridge stopped');
    },
  };
}

export async function startBridgeFromFile(file: string, env: Env): Promise<RunningBridge> {
  return startBridge({ config: await loadConfigFile(file, env) });
}
