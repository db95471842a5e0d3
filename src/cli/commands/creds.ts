import type { Command } from 'commander';
import { Option } from 'commander';
import { isoSeconds } from '../../iso-time.js';
import { upsertProfile, updateAliyunConfig } from '../client/aliyun-config.js';
import { clientCommand, runClient, withCredentialOptions, type CredentialOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { credentialQuery, useCredentials, type ObtainedCredentials } from '../client/credential-source.js';
import { formatRemaining } from '../client/duration.js';
import { FORMATS, formatEnv, formatJson, formatProcess, formatSummary, type Format } from '../client/formats.js';
import type { ClientContext } from '../client/context.js';
import { t } from '../i18n/index.js';
import { aliyunProfileName } from '../../wire/aliyun-profile.js';

interface CredsOptions extends CredentialOptions {
  format?: Format;
  profile?: string;
  region?: string;
}

export function registerCreds(program: Command): void {
  withCredentialOptions(clientCommand(program, 'creds', 'temporary credentials for a role, cached until 5 minutes before they expire'))
    .argument('<role>', 'role id, alias (RAM role name, name without the account) or a unique fuzzy match')
    .addOption(
      new Option(
        '-F, --format <format>',
        'output: summary (the default on a terminal) never shows secrets; env is the default otherwise',
      ).choices(FORMATS),
    )
    .option('--profile <name>', 'aliyun-profile: the profile to write (default: rambridge-ROLE, the name configure-aliyun gives it)')
    .option('--region <id>', "aliyun-profile: region_id of a new profile (default: the current profile's)")
    .action((role: string, options: CredsOptions) =>
      runClient(options, async (ctx) => {
        const server = await serverFor(ctx, options.server);
        const obtained = await useCredentials(ctx, credentialQuery(server, role, options));
        const format = options.format ?? (options.json ? 'json' : process.stdout.isTTY ? 'summary' : 'env');
        if (format === 'aliyun-profile') return writeProfile(ctx, obtained, options);
        process.stdout.write(render(format, obtained, ctx.clock.now()));
      }),
    );
}

function render(format: Exclude<Format, 'aliyun-profile'>, obtained: ObtainedCredentials, now: number): string {
  switch (format) {
    case 'summary':
      return formatSummary({ ...obtained, now });
    case 'env':
      return formatEnv(obtained.credentials);
    case 'json':
      return formatJson(obtained.credentials);
    case 'process':
      return formatProcess(obtained.credentials);
  }
}

/** A `StsToken` profile: for tools that read only ~/.aliyun/config.json. It does not refresh itself;
 * `configure-aliyun` writes profiles that do. */
export async function writeProfile(ctx: ClientContext, { role, credentials }: ObtainedCredentials, options: CredsOptions): Promise<void> {
  const name = options.profile ?? aliyunProfileName(role.id);
  await updateAliyunConfig(ctx.paths.aliyunConfig, (config) =>
    upsertProfile(
      config,
      {
        name,
        mode: 'StsToken',
        access_key_id: credentials.accessKeyId,
        access_key_secret: credentials.accessKeySecret,
        sts_token: credentials.securityToken,
        sts_expiration: Math.floor(Date.parse(credentials.expiration) / 1000),
      },
      options.region,
    ),
  );
  if (options.json) {
    process.stdout.write(
      `${JSON.stringify({ profile: name, path: ctx.paths.aliyunConfig, role: role.id, expiration: isoSeconds(credentials.expiration) })}\n`,
    );
    return;
  }
  const remaining = formatRemaining(Date.parse(credentials.expiration) - ctx.clock.now());
  process.stderr.write(
    `${t('profileWritten', { name, role: role.id, remaining, path: ctx.paths.aliyunConfig })}\n` +
      `${t('profileUse', { name })}\n${t('profileNoRenew')}\n`,
  );
}
