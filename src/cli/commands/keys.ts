import type { Command } from 'commander';
import { CliError } from '../client/errors.js';

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('manage the signing keys of the bridge as issuer toward RAM');
  keys
    .command('generate')
    .description('write a new private key (mode 0600) and, for SAML, a self-signed certificate')
    .requiredOption('--dir <dir>', 'directory to write into (kept out of version control)')
    .option('--purpose <purpose>', 'saml or oidc', 'saml')
    .option('--alg <alg>', 'oidc keys: RS256 or ES256', 'RS256')
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
