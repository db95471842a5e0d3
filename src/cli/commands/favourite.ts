import type { Command } from 'commander';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { rolesOrCached } from '../client/offline.js';
import { resolveRole } from '../client/resolve-role.js';
import { reportFavourite } from './roles.js';

/**
 * `rambridge fav ROLE` / `rambridge unfav ROLE`: the explicit forms of `roles --favourite ROLE`
 * (a toggle), for scripts and for people who do not remember which state a role is in. Favourites
 * live on the server, shared with the web picker's star.
 */
export function registerFavourite(program: Command): void {
  for (const [name, favourite, description] of [
    ['fav', true, 'star a role: listed first by `roles` and on the web picker'],
    ['unfav', false, 'unstar a role'],
  ] as const) {
    clientCommand(program, name, description)
      .argument('<role>', 'role id, alias (RAM role name, name without the account) or a unique fuzzy match')
      .action((role: string, options: CommonOptions) =>
        runClient(options, async (ctx) => {
          const server = await serverFor(ctx, options.server);
          const { value: roles } = await rolesOrCached(ctx, server);
          await reportFavourite(ctx, server, roles, resolveRole(roles, role), favourite, options.json);
        }),
      );
  }
}
