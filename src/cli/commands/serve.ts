import type { Command } from 'commander';
import { ConfigInvalid, loadConfigFile } from '../../config/index.js';
import { checkConfigFiles, keyFileWarnings } from '../../config/files.js';
import { createLogger, stopWaitingForReaders } from '../../log.js';
import type { RunningBridge } from '../../main.js';
import { exitOnConfigProblems } from '../config-errors.js';
import { helpText } from '../i18n/help.js';
import { t } from '../i18n/index.js';
import { parsePort } from '../port-option.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(helpText('serve.description'))
    .requiredOption('-c, --config <file>', helpText('serve.config'))
    .option('-p, --port <port>', helpText('serve.port'), parsePort)
    .action(async (opts: { config: string; port?: number }) => {
      const config = await loadCheckedConfig(opts.config).catch(exitOnConfigProblems);
      const signals = handleStopSignals();
      // Loaded on use: client commands (creds, exec…) must start fast and not load the server.
      const { startBridge } = await import('../../main.js');
      const logger = createLogger({ level: config.log.level });
      const hangups = reloadOnHangup(() => loadCheckedConfig(opts.config), logger);
      // A Redis that may evict the bridge's keys is refused like a configuration problem (exit 2).
      // So are a host, a port or an audit file only starting finds wrong (a name that does not resolve…).
      const bridge = await startBridge({ config, logger, port: opts.port, configFile: opts.config }).catch(exitOnConfigProblems);
      signals.started(() => bridge.close());
      hangups.started(bridge);
    });
}

/**
 * The configuration file, with every key, certificate and metadata file it names opened: a
 * missing or unusable one is a problem with its path, as check-config reports it — before
 * anything starts (exit 2), and before a reload replaces what runs. A private key file others may
 * read is a warning.
 */
async function loadCheckedConfig(file: string): ReturnType<typeof loadConfigFile> {
  const config = await loadConfigFile(file, process.env);
  const fileProblems = await checkConfigFiles(config);
  if (fileProblems.length > 0) throw new ConfigInvalid(file, fileProblems);
  // Logged with the other insecure settings at start-up and at each reload.
  config.warnings.push(...(await keyFileWarnings(config)));
  return config;
}

/**
 * SIGHUP reads the configuration file again and, when it is valid, serves it without a restart
 * (sessions and sign-ins in progress carry on: main.ts `reload`); IdP discovery and SAML metadata
 * are read again with it. An invalid file is logged with its problems and the running
 * configuration stays. Handled from the start, so a SIGHUP during start-up does not kill the
 * process (the default action); it is ignored then, the file having just been read. Reloads run
 * one at a time.
 */
export function reloadOnHangup(
  load: () => ReturnType<typeof loadConfigFile>,
  logger: ReturnType<typeof createLogger>,
): { started(bridge: RunningBridge): void } {
  let bridge: RunningBridge | undefined;
  let running: Promise<void> = Promise.resolve();
  process.on('SIGHUP', () => {
    const target = bridge;
    if (!target) return void logger.warn({ event: 'config-reload' }, 'SIGHUP during start-up: ignored');
    running = running.then(async () => {
      logger.info({ event: 'config-reload' }, 'SIGHUP: reloading the configuration');
      try {
        await target.reload(await load());
      } catch (err) {
        const problems = (err as { problems?: unknown }).problems;
        logger.error(
          { event: 'config-reload-refused', problems, error: err instanceof Error ? err.message : String(err) },
          'the new configuration was refused; the running one stays',
        );
      }
    });
  });
  return { started: (b) => void (bridge = b) };
}

export interface StopHandle {
  /** What to close on a stop signal, once everything has started. */
  started(close: () => Promise<void>): void;
}

/**
 * Handles SIGTERM and SIGINT from now on. Once `started`, the first signal stops cleanly: `close` is
 * bounded (connections still open after the grace period are cut) and the exit status is 0 when it
 * finished. A signal before that, or a second one, exits at once: `process.exit` still runs the
 * 'exit' hooks that kill child processes (SimpleSAMLphp), which dying of the signal would not, but
 * the main log's does not wait for a full pipe's reader then.
 */
export function handleStopSignals(): StopHandle {
  let close: (() => Promise<void>) | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping || !close) stopWaitingForReaders();
    if (stopping) process.exit(1);
    if (!close) process.exit(0);
    stopping = true;
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`rambridge: ${t('stoppingFailed', { detail: err instanceof Error ? err.message : String(err) })}\n`);
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
