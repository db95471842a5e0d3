import type { Command } from 'commander';
import { ConfigInvalid, loadConfigFile, type BridgeConfig } from '../../config/index.js';
import { checkConfigFiles, keyFileWarnings } from '../../config/files.js';
import { checkIdpsOnline } from '../../config/online.js';
import { systemClock } from '../../clock.js';
import { isBridgeError } from '../../errors.js';
import { checkStoreOnline, createStore } from '../../store/index.js';
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
      const store = options.online ? await storeOnline(config) : { problems: [], warnings: [] };
      const problems = [...(await checkConfigFiles(config)), ...(options.online ? await checkIdpsOnline(config) : []), ...store.problems];
      if (problems.length > 0) exitOnConfigProblems(new ConfigInvalid(file, problems));
      const counts = {
        idps: config.idps.length,
        accounts: config.accounts.length,
        roles: config.roles.length,
        grants: config.grants.length,
      };
      process.stdout.write(`${t('configValid', { file, ...counts, online: options.online ? t('configValidOnline') : '' })}\n`);
      // The warnings themselves are the validator's (src/config/), in English as the server logs them.
      const warnings = [...config.warnings, ...(await keyFileWarnings(config)), ...store.warnings];
      for (const warning of warnings) process.stdout.write(`${t('configWarning', { warning })}\n`);
    });
}

/** The store serve would open, asked what serve asks at start-up; an unreachable Redis is a problem here. */
async function storeOnline(config: BridgeConfig): ReturnType<typeof checkStoreOnline> {
  const store = createStore(config.store, systemClock);
  try {
    return await checkStoreOnline(store);
  } catch (err) {
    if (!isBridgeError(err, 'ERR_UNAVAILABLE')) throw err;
    return { problems: [{ path: 'store', message: `Redis is unavailable: ${String(err.detail?.reason)}` }], warnings: [] };
  } finally {
    await store.close();
  }
}
