import type { Command } from 'commander';
import { upsertProfiles, updateAliyunConfig, withCurrent, type AliyunProfile } from '../client/aliyun-config.js';
import type { RoleInfo } from '../client/api.js';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor, type ClientContext } from '../client/context.js';
import { fetchCatalogue } from '../client/credential-source.js';
import { formatDurationFlag, parseDuration } from '../client/duration.js';
import { CliError, notLoggedIn } from '../client/errors.js';
import { processCommand } from '../client/process-command.js';
import { resolveRole } from '../client/resolve-role.js';
import { userKey } from '../client/sessions.js';
import { t } from '../i18n/index.js';
import { helpText } from '../i18n/help.js';
import { aliyunProfileName } from '../../wire/aliyun-profile.js';
import { printable } from '../client/printable.js';

export interface ConfigureOptions extends CommonOptions {
  region?: string;
  duration?: string;
  /** The role whose profile becomes the aliyun CLI's `current` one; without it `current` is left alone. */
  setCurrent?: string;
}

export function registerConfigureAliyun(program: Command): void {
  clientCommand(program, 'configure-aliyun', helpText('configureAliyun.description'))
    .argument('[roles...]', helpText('configureAliyun.roles'))
    .option('--region <id>', helpText('configureAliyun.region'))
    .option('-d, --duration <time>', helpText('configureAliyun.duration'))
    .option('--set-current <role>', helpText('configureAliyun.setCurrent'))
    .action((only: string[], options: ConfigureOptions) =>
      runClient(options, async (ctx) => {
        const { roles, profiles, current, skipped } = await configureAliyun(ctx, only, options);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ path: ctx.paths.aliyunConfig, profiles, current, skipped })}\n`);
          return;
        }
        const width = Math.max(...profiles.map((p) => p.name.length));
        process.stdout.write(
          printable(
            `${profiles.length === 1 ? t('profileWrittenOne', { path: ctx.paths.aliyunConfig }) : t('profilesWritten', { count: profiles.length, path: ctx.paths.aliyunConfig })}\n` +
              roles.map((r, i) => `  ${profiles[i]!.name.padEnd(width)}  ${r.accountName}: ${r.description ?? r.arn}\n`).join('') +
              `${t('profilesRenew')}\n` +
              (current ? `${t('profilesCurrent', { name: current })}\n` : '') +
              (skipped.length ? `${t('profilesSkippedElevated', { roles: skipped.join(', ') })}\n` : '') +
              `${t('profilesTry', { name: profiles[0].name })}\n`,
          ),
        );
      }),
    );
}

/**
 * Writes the profiles. The aliyun CLI's `current` profile is what every `aliyun` command without
 * `--profile` runs as; making a role (the first one is often the most powerful) the default
 * behind the user's back would turn every routine command into one with that role's rights. So
 * `current` changes only when `setCurrent` names a role.
 */
export async function configureAliyun(
  ctx: ClientContext,
  only: string[],
  options: ConfigureOptions,
): Promise<{ roles: RoleInfo[]; profiles: [AliyunProfile, ...AliyunProfile[]]; current?: string; skipped: string[] }> {
  const server = await serverFor(ctx, options.server);
  const session = await ctx.sessions.get(server);
  if (!session) throw notLoggedIn(server);
  const duration = options.duration === undefined ? undefined : formatDurationFlag(parseDuration(options.duration));
  const all = await fetchCatalogue(ctx, server, userKey(session.user));
  // An elevated role's every use needs a justification, which `creds --format process` run by the
  // aliyun CLI cannot give: its profile would fail every command. Left out, or refused when named.
  const named = only.map((q) => resolveRole(all, q));
  const elevated = named.find((r) => r.elevated);
  if (elevated) {
    throw new CliError('ERR_CLI_USAGE', t('profileElevated', { role: elevated.id }), {
      hint: t('profileElevatedHint', { role: elevated.id }),
    });
  }
  const roles = only.length ? named : all.filter((r) => !r.elevated);
  const skipped = only.length ? [] : all.filter((r) => r.elevated).map((r) => r.id);
  const profiles = roles.map((role) => externalProfile(server, role, duration));
  if (!isNonEmpty(profiles)) {
    if (skipped.length) throw new CliError('ERR_CLI_NOT_ALLOWED', t('profilesSkippedElevated', { roles: skipped.join(', ') }));
    throw new CliError('ERR_CLI_NOT_ALLOWED', t('noProfileRoles'), { hint: t('noProfileRolesHint') });
  }
  const current = options.setCurrent === undefined ? undefined : aliyunProfileName(currentRole(all, roles, options.setCurrent).id);
  await updateAliyunConfig(ctx.paths, (config) => {
    const next = upsertProfiles(config, profiles, options.region);
    return current ? withCurrent(next, current) : next;
  });
  return { roles, profiles, current, skipped };
}

/** The role `--set-current` names, which must be one whose profile this run writes. */
function currentRole(all: RoleInfo[], written: RoleInfo[], query: string): RoleInfo {
  const role = resolveRole(all, query);
  if (written.some((r) => r.id === role.id)) return role;
  throw new CliError('ERR_CLI_USAGE', t('setCurrentNotWritten', { role: role.id, written: written.map((r) => r.id).join(', ') }));
}

function isNonEmpty<T>(items: T[]): items is [T, ...T[]] {
  return items.length > 0;
}

/** A profile (named `rambridge-<role id>`, like every rambridge profile) whose credentials come from `rambridge creds … --format process`, pinned to this server. */
function externalProfile(server: string, role: RoleInfo, duration: string | undefined): AliyunProfile {
  const args = ['creds', role.id, '--format', 'process', '--server', server, ...(duration ? ['--duration', duration] : [])];
  return { name: aliyunProfileName(role.id), mode: 'External', process_command: processCommand(args) };
}
