import type { Command } from 'commander';
import { Option } from 'commander';
import { isoSeconds } from '../../iso-time.js';
import { upsertProfile, updateAliyunConfig } from '../client/aliyun-config.js';
import { clientCommand, runClient, withCredentialOptions, type CredentialOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { expiresLocally } from '../client/credential-cache.js';
import { credentialQuery, useCredentials, type ObtainedCredentials } from '../client/credential-source.js';
import { formatRemaining } from '../client/duration.js';
import { CliError, notLoggedIn } from '../client/errors.js';
import { FORMATS, formatEnv, formatJson, formatProcess, formatSummary, type Format } from '../client/formats.js';
import { withFileLock } from '../client/lock.js';
import type { ClientContext } from '../client/context.js';
import { t } from '../i18n/index.js';
import { helpText } from '../i18n/help.js';
import { aliyunProfileName } from '../../wire/aliyun-profile.js';
import { printable } from '../client/printable.js';
import { userKey } from '../client/sessions.js';

interface CredsOptions extends CredentialOptions {
  format?: Format;
  profile?: string;
  region?: string;
}

export function registerCreds(program: Command): void {
  withCredentialOptions(clientCommand(program, 'creds', helpText('creds.description')))
    .argument('<role>', helpText('arg.roleLong'))
    .addOption(new Option('-F, --format <format>', helpText('creds.format')).choices(FORMATS))
    .option('--profile <name>', helpText('creds.profile'))
    .option('--region <id>', helpText('creds.region'))
    .action((role: string, options: CredsOptions) =>
      runClient(options, async (ctx) => {
        // --json promises one JSON object on stdout; a text format asked for as well cannot keep it.
        if (options.json && (options.format === 'summary' || options.format === 'env')) {
          throw new CliError('ERR_CLI_USAGE', t('jsonFormatConflict', { format: options.format }));
        }
        const server = await serverFor(ctx, options.server);
        const obtained = await useCredentials(ctx, credentialQuery(server, role, options));
        const format = options.format ?? (options.json ? 'json' : process.stdout.isTTY ? 'summary' : 'env');
        if (format === 'aliyun-profile') return writeProfile(ctx, server, obtained, options);
        process.stdout.write(render(format, obtained, ctx.clock.now()));
      }),
    );
}

function render(format: Exclude<Format, 'aliyun-profile'>, obtained: ObtainedCredentials, now: number): string {
  switch (format) {
    case 'summary':
      return printable(formatSummary({ ...obtained, now }));
    case 'env':
      return formatEnv(obtained.credentials);
    case 'json':
      return formatJson(obtained.credentials);
    case 'process':
      return formatProcess(obtained);
  }
}

/** A `StsToken` profile: for tools that read only ~/.aliyun/config.json. It does not refresh itself;
 * `configure-aliyun` writes profiles that do. */
export async function writeProfile(
  ctx: ClientContext,
  server: string,
  { user, role, credentials, localExpiresAt }: ObtainedCredentials,
  options: CredsOptions,
): Promise<void> {
  const name = options.profile ?? aliyunProfileName(role.id);
  // The aliyun CLI judges `sts_expiration` by this machine's clock: when they expire by it.
  const expiresAt = expiresLocally({ credentials, localExpiresAt });
  // Keys that reach a profile are remembered for `logout` to blank (an elevated role's are in no
  // cache entry): both under the credentials lock, which a logout holds while it blanks them. A
  // logout that ran since they were obtained (no session now, or another user's) blanked nothing
  // of theirs yet: they are not written at all.
  await withFileLock(ctx.paths.credentialsLock, async () => {
    const session = await ctx.sessions.get(server);
    if (!session || userKey(session.user) !== user) throw notLoggedIn(server);
    await ctx.cache.rememberProfileKey(server, credentials);
    await updateAliyunConfig(ctx.paths, (config) =>
      upsertProfile(
        config,
        {
          name,
          mode: 'StsToken',
          access_key_id: credentials.accessKeyId,
          access_key_secret: credentials.accessKeySecret,
          sts_token: credentials.securityToken,
          sts_expiration: Math.floor(expiresAt / 1000),
        },
        options.region,
      ),
    );
  });
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ profile: name, path: ctx.paths.aliyunConfig, role: role.id, expiration: isoSeconds(expiresAt) })}\n`,
    );
    return;
  }
  const remaining = formatRemaining(expiresAt - ctx.clock.now());
  process.stderr.write(
    `${t('profileWritten', { name, role: role.id, remaining, path: ctx.paths.aliyunConfig })}\n` +
      `${t('profileUse', { name })}\n${t('profileNoRenew')}\n`,
  );
}
