import type { Command } from 'commander';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor, type ClientContext } from '../client/context.js';
import { CliError } from '../client/errors.js';
import { offlineJson, offlineNote, rolesOrCached } from '../client/offline.js';
import { resolveRole } from '../client/resolve-role.js';
import { listRoles, renderRoles } from '../client/roles-view.js';
import { changeFavourite } from '../client/favourites.js';
import { notLoggedIn } from '../client/errors.js';
import { userKey } from '../client/sessions.js';
import type { RoleInfo } from '../client/api.js';
import { t } from '../i18n/index.js';
import { helpText } from '../i18n/help.js';
import { printable } from '../client/printable.js';

interface RolesOptions extends CommonOptions {
  favourite?: string;
}

export function registerRoles(program: Command): void {
  clientCommand(program, 'roles', helpText('roles.description'))
    .argument('[filter...]', helpText('roles.filter'))
    .option('-f, --favourite <role>', helpText('roles.favourite'))
    .action((filter: string[], options: RolesOptions) =>
      runClient(options, async (ctx) => {
        const server = await serverFor(ctx, options.server);
        const { value: roles, cachedAt } = await rolesOrCached(ctx, server);
        if (cachedAt !== undefined && !options.json) process.stderr.write(`${offlineNote(cachedAt)}\n`);
        if (options.favourite !== undefined)
          return reportFavourite(ctx, server, roles, resolveRole(roles, options.favourite), undefined, options.json);

        // Offline, what the session could get then is no longer what it can get now: the maximum alone.
        const shown = cachedAt === undefined || options.json ? roles : roles.map(({ maxDurationNow: _then, ...r }) => r);
        const listed = listRoles(shown, await ctx.roleBook.get(server), filter.join(' ') || undefined);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ server, roles: listed, ...offlineJson(cachedAt) })}\n`);
        } else if (roles.length === 0) {
          throw new CliError('ERR_CLI_NOT_ALLOWED', t('noRoles'), { hint: t('noRolesHint') });
        } else if (listed.length === 0) {
          process.stderr.write(`${t('noRoleMatches', { count: roles.length, filter: filter.join(' ') })}\n`);
        } else {
          process.stdout.write(printable(renderRoles(listed, ctx.clock.now())));
        }
      }),
    );
}

/**
 * Stars, unstars (`favourite`) or toggles (undefined) a role and says so: `roles --favourite`,
 * `fav` and `unfav`. Shared with the web picker when the server keeps favourites.
 */
export async function reportFavourite(
  ctx: ClientContext,
  server: string,
  roles: readonly RoleInfo[],
  role: RoleInfo,
  favourite: boolean | undefined,
  json?: boolean,
): Promise<void> {
  const session = await ctx.sessions.get(server);
  if (!session) throw notLoggedIn(server);
  const now = await changeFavourite(ctx, server, userKey(session.user), roles, role, favourite);
  if (json) process.stdout.write(`${JSON.stringify({ role: role.id, favourite: now.favourite, shared: now.shared })}\n`);
  else {
    process.stderr.write(`${t(now.favourite ? 'favouriteOn' : 'favouriteOff', { role: role.id })}\n`);
    if (!now.shared) process.stderr.write(`${t('favouriteLocalOnly')}\n`);
  }
}
