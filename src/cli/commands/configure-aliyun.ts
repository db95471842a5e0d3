import type { Command } from 'commander';
import { upsertProfiles, updateAliyunConfig, type AliyunProfile } from '../client/aliyun-config.js';
import type { RoleInfo } from '../client/api.js';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { fetchCatalogue } from '../client/credential-source.js';
import { formatDuration, parseDuration } from '../client/duration.js';
import { CliError, notLoggedIn } from '../client/errors.js';
import { processCommand } from '../client/process-command.js';
import { resolveRole } from '../client/resolve-role.js';
import { userKey } from '../client/sessions.js';

interface ConfigureOptions extends CommonOptions {
  region?: string;
  duration?: string;
}

/** Profiles this command owns are named `rambridge-<role id>`. */
export const PROFILE_PREFIX = 'rambridge-';

export function registerConfigureAliyun(program: Command): void {
  clientCommand(program, 'configure-aliyun', 'write an External-mode profile per role to ~/.aliyun/config.json (other profiles are kept)')
    .argument('[roles...]', 'only these roles (default: all of yours)')
    .option('--region <id>', "region_id of new profiles (default: the current profile's, else cn-hangzhou)")
    .option('-d, --duration <time>', 'session length the profiles ask for (default 1h, or the role maximum if lower)')
    .action((only: string[], options: ConfigureOptions) =>
      runClient(options, async (ctx) => {
        const server = await serverFor(ctx, options.server);
        const session = await ctx.sessions.get(server);
        if (!session) throw notLoggedIn(server);
        const duration = options.duration === undefined ? undefined : formatDuration(parseDuration(options.duration));
        const all = await fetchCatalogue(ctx, server, userKey(session.user));
        const roles = only.length ? only.map((q) => resolveRole(all, q)) : all;
        const profiles = roles.map((role) => externalProfile(server, role, duration));
        if (!isNonEmpty(profiles))
          throw new CliError('ERR_CLI_NOT_ALLOWED', 'You have no roles on this server: no profile to write.', {
            hint: 'rambridge whoami shows your groups.',
          });
        await updateAliyunConfig(ctx.paths.aliyunConfig, (config) => upsertProfiles(config, profiles, options.region));

        if (options.json) {
          process.stdout.write(`${JSON.stringify({ path: ctx.paths.aliyunConfig, profiles })}\n`);
          return;
        }
        const width = Math.max(...profiles.map((p) => p.name.length));
        process.stdout.write(
          `Wrote ${profiles.length} profile${profiles.length === 1 ? '' : 's'} to ${ctx.paths.aliyunConfig} (other profiles unchanged):\n` +
            roles.map((r, i) => `  ${profiles[i]!.name.padEnd(width)}  ${r.accountName}: ${r.description ?? r.arn}\n`).join('') +
            `Each runs "rambridge creds ROLE --format process", so credentials renew by themselves.\n` +
            `Try: aliyun --profile ${profiles[0].name} sts GetCallerIdentity\n`,
        );
      }),
    );
}

function isNonEmpty<T>(items: T[]): items is [T, ...T[]] {
  return items.length > 0;
}

/** A profile whose credentials come from `rambridge creds … --format process`, pinned to this server. */
function externalProfile(server: string, role: RoleInfo, duration: string | undefined): AliyunProfile {
  const args = ['creds', role.id, '--format', 'process', '--server', server, ...(duration ? ['--duration', duration] : [])];
  return { name: `${PROFILE_PREFIX}${role.id}`, mode: 'External', process_command: processCommand(args) };
}
