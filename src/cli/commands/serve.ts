import type { Command } from 'commander';
import { loadConfigFile } from '../../config/index.js';
import { exitOnConfigProblems } from '../config-errors.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the bridge with a configuration file')
    .requiredOption('-c, --config <file>', 'YAML configuration (${ENV} references are expanded)')
    .action(async (opts: { config: string }) => {
      const config = await loadConfigFile(opts.config, process.env).catch(exitOnConfigProblems);
      const signals = handleStopSignals();
      // Loaded on use: client commands (creds, exec…) must start fast and not load the server.
      const { startBridge } = await import('../../main.js');
      const bridge = await startBridge({ config });
      signals.started(() => bridge.close());
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
