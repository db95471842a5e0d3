import type { Command } from 'commander';
import { CliError } from '../client/errors.js';
import { helpText } from '../i18n/help.js';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description(helpText('keys.description'));
  keys
    .command('generate')
    .description(helpText('keysGenerate.description'))
    .requiredOption('--dir <dir>', helpText('keysGenerate.dir'))
    .option('--purpose <purpose>', helpText('keysGenerate.purpose'), 'saml')
    .option('--alg <alg>', helpText('keysGenerate.alg'), 'RS256')
    .action(async (opts: { dir: string; purpose: string; alg: string }) => {
      if (opts.purpose !== 'saml' && opts.purpose !== 'oidc') throw new CliError('ERR_CLI_USAGE', '--purpose is saml or oidc');
      if (opts.alg !== 'RS256' && opts.alg !== 'ES256') throw new CliError('ERR_CLI_USAGE', '--alg is RS256 or ES256');
      const { generateKeyFiles } = await import('../../issuer/generate-keys.js');
      const files = await generateKeyFiles({ dir: opts.dir, purpose: opts.purpose, alg: opts.alg });
      process.stdout.write(`private key  ${files.privateKey}\n`);
      if (files.certificate) process.stdout.write(`certificate  ${files.certificate}\n`);
      process.stdout.write(
        `Add it FIRST in issuer.${opts.purpose}Keys; keep the previous key listed until ` +
          (opts.purpose === 'saml' ? 'the new metadata is uploaded to every RAM SAML provider.\n' : 'tokens signed by it have expired.\n'),
      );
    });
}
