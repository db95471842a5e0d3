import { serverKeepsFavourites, setFavourite, type RoleInfo } from './api.js';
import { bridgeClient, type ClientContext } from './context.js';
import { fetchCatalogue } from './credential-source.js';

/**
 * Stars or unstars one of the user's roles (`favourite` undefined: toggles). On a server that keeps
 * favourites — shared with the web picker — the server is told; on an older one, this machine's
 * role book. The role list is fetched again afterwards, so the next listing and completion show
 * the change even before the next `roles`. Returns the new state, and whether the server keeps it.
 */
export async function changeFavourite(
  ctx: ClientContext,
  server: string,
  user: string,
  roles: readonly RoleInfo[],
  role: RoleInfo,
  favourite?: boolean,
): Promise<{ favourite: boolean; shared: boolean }> {
  if (!serverKeepsFavourites(roles)) {
    const local = (await ctx.roleBook.get(server)).favourites.includes(role.id);
    const next = favourite ?? !local;
    await ctx.roleBook.setFavourite(server, role.id, next);
    return { favourite: next, shared: false };
  }
  const next = favourite ?? role.favourite !== true;
  const answer = await setFavourite(bridgeClient(ctx, server), { role: role.id, favourite: next });
  await fetchCatalogue(ctx, server, user);
  return { favourite: answer.favourite, shared: true };
}
