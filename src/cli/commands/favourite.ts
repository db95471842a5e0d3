import type { Command } from 'commander';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { rolesOrCached } from '../client/offline.js';
import { resolveRole } from '../client/resolve-role.js';
import { reportFavourite } from './roles.js';
import { helpText } from '../i18n/help.js';

/**
 * `rambridge fav ROLE` / `rambridge unfav ROLE`: the explicit forms of `roles --favourite ROLE`
 * (a toggle), for scripts and for people who do not remember which state a role is in. Favourites
 * live on the server, shared with the web picker's star.
 */
export function registerFavourite(program: Command): void {
  for (const [name, favourite, description] of [
    ['fav', true, helpText('fav.description')],
    ['unfav', false, helpText('unfav.description')],
  ] as const) {
    clientCommand(program, name, description)
      .argument('<role>', helpText('arg.roleLong'))
      .action((role: string, options: CommonOptions) =>
        runClient(options, async (ctx) => {
          const server = await serverFor(ctx, options.server);
          const { value: roles } = await rolesOrCached(ctx, server);
          await reportFavourite(ctx, server, roles, resolveRole(roles, role), favourite, options.json);
        }),
      );
  }
}
