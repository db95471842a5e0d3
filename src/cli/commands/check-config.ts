import type { Command } from 'commander';
import { ConfigInvalid, loadConfigFile } from '../../config/index.js';
import { checkConfigFiles } from '../../config/files.js';
import { checkIdpsOnline } from '../../config/online.js';
import { exitOnConfigProblems } from '../config-errors.js';
import { helpText } from '../i18n/help.js';
import { t } from '../i18n/index.js';

export function registerCheckConfig(program: Command): void {
  program
    .command('check-config')
    .description(helpText('checkConfig.description'))
    .argument('<file>', helpText('checkConfig.file'))
    .option('--online', helpText('checkConfig.online'))
    .action(async (file: string, options: { online?: boolean }) => {
      const config = await loadConfigFile(file, process.env).catch(exitOnConfigProblems);
      // Files named by the config (keys, certificates, metadata) are opened too, and with --online
      // the IdPs are asked: "valid" means serve will not stop on any of them.
      const problems = [...(await checkConfigFiles(config)), ...(options.online ? await checkIdpsOnline(config) : [])];
      if (problems.length > 0) exitOnConfigProblems(new ConfigInvalid(file, problems));
      const counts = {
        idps: config.idps.length,
        accounts: config.accounts.length,
        roles: config.roles.length,
        grants: config.grants.length,
      };
      process.stdout.write(`${t('configValid', { file, ...counts, online: options.online ? t('configValidOnline') : '' })}\n`);
      // The warnings themselves are the validator's (src/config/), in English as the server logs them.
      for (const warning of config.warnings) process.stdout.write(`${t('configWarning', { warning })}\n`);
    });
}
