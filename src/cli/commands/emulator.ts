import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CliError } from '../client/errors.js';
import { loadEmulatorConfig } from '../../emulator/config.js';
import { isLoopbackHost } from '../../emulator/url-rules.js';
import { createLogger } from '../../log.js';
import { exitOnConfigProblems } from '../config-errors.js';
import { stopOnSignals } from './serve.js';
import { helpText } from '../i18n/help.js';
import { t } from '../i18n/index.js';
import { parsePort } from '../port-option.js';

interface EmulatorOptions {
  config: string;
  host: string;
  port: number;
  tlsCert?: string;
  tlsKey?: string;
  logLevel: string;
}

/** `rambridge emulator --config FILE [--host 127.0.0.1] [--port 9090]`: the local Alibaba Cloud stand-in. */
export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description(helpText('emulator.description'))
    .requiredOption('-c, --config <file>', helpText('emulator.config'))
    .option('--host <host>', helpText('emulator.host'), '127.0.0.1')
    .option('-p, --port <port>', helpText('emulator.port'), parsePort, 9090)
    .option('--tls-cert <file>', helpText('emulator.tlsCert'))
    .option('--tls-key <file>', helpText('emulator.tlsKey'))
    .option('--log-level <level>', helpText('opt.logLevel'), 'info')
    .action(async (opts: EmulatorOptions) => {
      if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) {
        throw new CliError('ERR_CLI_USAGE', t('emulatorTlsPair'), { hint: t('usageHint', { command: 'emulator' }) });
      }
      const config = await loadEmulatorConfig(opts.config, process.env).catch(exitOnConfigProblems);
      const logger = createLogger({ level: opts.logLevel });
      if (!isLoopbackHost(opts.host)) {
        // Anyone who can reach it gets credentials the emulator makes up; /debug/session is off.
        logger.warn({ host: opts.host }, 'the emulator is listening beyond loopback');
      }
      const tls =
        opts.tlsCert && opts.tlsKey ? { cert: await readFile(opts.tlsCert, 'utf8'), key: await readFile(opts.tlsKey, 'utf8') } : undefined;
      const { startEmulator } = await import('../../emulator/server.js');
      const emulator = await startEmulator({ config, host: opts.host, port: opts.port, logger, tls });
      process.stdout.write(`${t('emulatorRunning', { url: emulator.url })}\n`);
      stopOnSignals(() => emulator.close());
    });
}
