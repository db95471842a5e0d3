import type { Command } from 'commander';
import { loadConfigFile } from '../../config/index.js';
import { exitOnConfigProblems } from '../config-errors.js';

export function registerCheckConfig(program: Command): void {
  program
    .command('check-config')
    .description('validate a configuration file and report every problem at once (exit 2 when invalid)')
    .argument('<file>', 'YAML configuration')
    .action(async (file: string) => {
      const config = await loadConfigFile(file, process.env).catch(exitOnConfigProblems);
      process.stdout.write(
        `${file}: valid — ${config.idps.length} IdP(s), ${config.accounts.length} account(s), ` +
          `${config.roles.length} role(s), ${config.grants.length} grant(s)\n`,
      );
      for (const warning of config.warnings) process.stdout.write(`warning: ${warning}\n`);
    });
}
