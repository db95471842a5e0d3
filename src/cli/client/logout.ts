import type { ClientContext } from './context.js';
import { withFileLock } from './lock.js';
import { revokeToken } from './oauth.js';

export interface LogoutResult {
  wasLoggedIn: boolean;
  /** Whether the server confirmed the revocation (false offline: the session lives on there). */
  revoked: boolean;
}

/**
 * `rambridge logout`: ends the session at the server and forgets it and its keys here. Under the
 * credentials lock, then the sessions lock (the order credential fetches take them in): a refresh
 * or a fetch running meanwhile finishes first, so the refresh token revoked is the latest one and
 * nothing writes the session or its keys back afterwards.
 */
export async function logOut(ctx: ClientContext, server: string): Promise<LogoutResult> {
  const result = await withFileLock(ctx.paths.credentialsLock, () =>
    ctx.sessions.exclusively(async () => {
      const session = await ctx.sessions.get(server);
      // Revoking the refresh token ends the whole session server-side; the access token dies with it.
      const revoked = session?.revocationEndpoint
        ? await revokeToken(ctx.fetch, session.revocationEndpoint, session.refreshToken, 'refresh_token')
        : false;
      await ctx.sessions.remove(server);
      await ctx.cache.removeServer(server);
      return { wasLoggedIn: session !== undefined, revoked };
    }),
  );
  await ctx.roleBook.forgetCatalogue(server);
  return result;
}
