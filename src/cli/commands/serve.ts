import type { Command } from 'commander';
import { loadConfigFile } from '../../config/index.js';
import { startBridge } from '../../main.js';
import { exitOnConfigProblems } from '../config-errors.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the bridge with a configuration file')
    .requiredOption('-c, --config <file>', 'YAML configuration (${ENV} references are expanded)')
    .action(async (opts: { config: string }) => {
      const config = await loadConfigFile(opts.config, process.env).catch(exitOnConfigProblems);
      const bridge = await startBridge({ config });
      stopOnSignals(bridge.close);
    });
}

export function stopOnSignals(close: () => Promise<void>): void {
  const stop = () => {
    void close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
