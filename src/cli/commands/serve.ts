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
      // Loaded on use: client commands (creds, exec…) must start fast and not load the server.
      const { startBridge } = await import('../../main.js');
      const bridge = await startBridge({ config });
      stopOnSignals(() => bridge.close());
    });
}

export function stopOnSignals(close: () => Promise<void>): void {
  const stop = () => {
    void close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
