import type { Command } from 'commander';
import { CliError } from '../client/errors.js';
import { helpText } from '../i18n/help.js';
import { t } from '../i18n/index.js';
import { alignLabels } from '../i18n/width.js';

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
      if (opts.purpose !== 'saml' && opts.purpose !== 'oidc') throw new CliError('ERR_CLI_USAGE', t('keysPurpose'));
      if (opts.alg !== 'RS256' && opts.alg !== 'ES256') throw new CliError('ERR_CLI_USAGE', t('keysAlg'));
      const { generateKeyFiles, RSA_KEY_BITS } = await import('../../issuer/generate-keys.js');
      const bits = RSA_KEY_BITS.find((b) => String(b) === opts.bits);
      if (opts.bits !== undefined && !bits)
        throw new CliError('ERR_CLI_USAGE', t('keysBits', { choices: RSA_KEY_BITS.join(t('listSeparator')) }));
      if (bits && opts.purpose === 'oidc' && opts.alg === 'ES256') throw new CliError('ERR_CLI_USAGE', t('keysBitsEs256'));
      const files = await generateKeyFiles({ dir: opts.dir, purpose: opts.purpose, alg: opts.alg, bits });
      const [privateKey, certificate] = alignLabels(t('keysPrivateKey'), t('keysCertificate'));
      process.stdout.write(`${privateKey}${files.privateKey}\n`);
      if (files.certificate) process.stdout.write(`${certificate}${files.certificate}\n`);
      // Second, then first: a key that signs before RAM (the uploaded metadata) or STS (its cached
      // JWKS) knows it has every assertion or ID token it signs refused until they do.
      process.stdout.write(`${t(opts.purpose === 'saml' ? 'keysRotateSaml' : 'keysRotateOidc')}\n`);
    });
}
