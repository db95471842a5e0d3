import { InvalidArgumentError, type Command } from 'commander';
import { loadConfigFile } from '../../config/index.js';
import { createLogger } from '../../log.js';
import type { RunningBridge } from '../../main.js';
import { exitOnConfigProblems } from '../config-errors.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the bridge with a configuration file')
    .requiredOption('-c, --config <file>', 'YAML configuration (${ENV} references are expanded)')
    .option('-p, --port <port>', 'listen on this port instead of server.port (0: any free port)', parsePort)
    .action(async (opts: { config: string; port?: number }) => {
      const config = await loadConfigFile(opts.config, process.env).catch(exitOnConfigProblems);
      const signals = handleStopSignals();
      // Loaded on use: client commands (creds, exec…) must start fast and not load the server.
      const { startBridge } = await import('../../main.js');
      const logger = createLogger({ level: config.log.level });
      const bridge = await startBridge({ config, logger, port: opts.port });
      signals.started(() => bridge.close());
      reloadOnHangup(bridge, () => loadConfigFile(opts.config, process.env), logger);
    });
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('a port number (0-65535)');
  return port;
}

/**
 * SIGHUP reads the configuration file again and, when it is valid, serves it without a restart
 * (sessions and sign-ins in progress carry on: main.ts `reload`); IdP discovery and SAML metadata
 * are read again with it. An invalid file is logged with its problems and the running
 * configuration stays. Reloads run one at a time; a SIGHUP during one runs another after it.
 */
export function reloadOnHangup(
  bridge: RunningBridge,
  load: () => ReturnType<typeof loadConfigFile>,
  logger: ReturnType<typeof createLogger>,
): void {
  let running: Promise<void> = Promise.resolve();
  process.on('SIGHUP', () => {
    running = running.then(async () => {
      logger.info({ event: 'config-reload' }, 'SIGHUP: reloading the configuration');
      try {
        await bridge.reload(await load());
      } catch (err) {
        const problems = (err as { problems?: unknown }).problems;
        logger.error(
          { event: 'config-reload-refused', problems, error: err instanceof Error ? err.message : String(err) },
          'the new configuration was refused; the running one stays',
        );
      }
    });
  });
}

export interface StopHandle {
  /** What to close on a stop signal, once everything has started. */
  started(close: () => Promise<void>): void;
}

/**
 * Handles SIGTERM and SIGINT from now on. Once `started`, the first signal stops cleanly: `close` is
 * bounded (connections still open after the grace period are cut) and the exit status is 0 when it
 * finished. A signal before that, or a second one, exits at once: `process.exit` still runs the
 * 'exit' hooks that kill child processes (SimpleSAMLphp), which dying of the signal would not.
 */
export function handleStopSignals(): StopHandle {
  let close: (() => Promise<void>) | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    if (!close) process.exit(0);
    stopping = true;
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`rambridge: stopping failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { started: (c) => void (close = c) };
}

/** `handleStopSignals` for something already running. */
export function stopOnSignals(close: () => Promise<void>): void {
  handleStopSignals().started(close);
}
