import type { Command } from 'commander';
import { CliError } from '../client/errors.js';
import { helpText } from '../i18n/help.js';
import { t } from '../i18n/index.js';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description(helpText('keys.description'));
  keys
    .command('generate')
    .description(helpText('keysGenerate.description'))
    .requiredOption('--dir <dir>', helpText('keysGenerate.dir'))
    .option('--purpose <purpose>', helpText('keysGenerate.purpose'), 'saml')
    .option('--alg <alg>', helpText('keysGenerate.alg'), 'RS256')
    .option('--bits <bits>', helpText('keysGenerate.bits'))
    .action(async (opts: { dir: string; purpose: string; alg: string; bits?: string }) => {
      if (opts.purpose !== 'saml' && opts.purpose !== 'oidc') throw new CliError('ERR_CLI_USAGE', '--purpose is saml or oidc');
      if (opts.alg !== 'RS256' && opts.alg !== 'ES256') throw new CliError('ERR_CLI_USAGE', '--alg is RS256 or ES256');
      const { generateKeyFiles, RSA_KEY_BITS } = await import('../../issuer/generate-keys.js');
      const bits = RSA_KEY_BITS.find((b) => String(b) === opts.bits);
      if (opts.bits !== undefined && !bits) throw new CliError('ERR_CLI_USAGE', `--bits is ${RSA_KEY_BITS.join(', ')}`);
      if (bits && opts.purpose === 'oidc' && opts.alg === 'ES256')
        throw new CliError('ERR_CLI_USAGE', '--bits is for RSA keys; an ES256 key is always P-256');
      const files = await generateKeyFiles({ dir: opts.dir, purpose: opts.purpose, alg: opts.alg, bits });
      process.stdout.write(`private key  ${files.privateKey}\n`);
      if (files.certificate) process.stdout.write(`certificate  ${files.certificate}\n`);
      // Second, then first: a key that signs before RAM (the uploaded metadata) or STS (its cached
      // JWKS) knows it has every assertion or ID token it signs refused until they do.
      process.stdout.write(`${t(opts.purpose === 'saml' ? 'keysRotateSaml' : 'keysRotateOidc')}\n`);
    });
}
