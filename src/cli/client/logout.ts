import { updateAliyunConfig, withoutKeys } from './aliyun-config.js';
import type { ClientContext } from './context.js';
import { revokeToken } from './oauth.js';

export interface LogoutResult {
  wasLoggedIn: boolean;
  /** Whether the server confirmed the revocation (false offline: the session lives on there). */
  revoked: boolean;
  /** The aliyun profiles whose keys were blanked: `StsToken` profiles holding keys that came from this server. */
  clearedProfiles: string[];
  /**
   * Set when ~/.aliyun/config.json could not be read or written (invalid JSON, not the user's, its
   * lock held): the keys stay in it, their ids remembered for the next `logout` to blank them.
   */
  profilesNotCleared?: { path: string; reason: string };
}

/**
 * `rambridge logout`: forgets the session and its keys here, holding both locks
 * (`withCredentialsToo`), then ends it at the server, after they are released: nothing can rotate
 * a token no longer stored.
 */
export async function logOut(ctx: ClientContext, server: string): Promise<LogoutResult> {
  const { session, clearedProfiles, profilesNotCleared } = await ctx.sessions.withCredentialsToo(async () => {
    const stored = await ctx.sessions.get(server);
    // A file the aliyun CLI and the user edit never stops the logout: the session is revoked and
    // forgotten whatever it holds, and the ids of the keys left in it are kept for the next one.
    const cleared = await clearAliyunProfiles(ctx, await ctx.cache.accessKeyIds(server)).then(
      (names) => ({ clearedProfiles: names, profilesNotCleared: undefined }),
      (err: unknown) => ({
        clearedProfiles: [],
        profilesNotCleared: { path: ctx.paths.aliyunConfig, reason: err instanceof Error ? err.message : String(err) },
      }),
    );
    await ctx.sessions.remove(server);
    await ctx.cache.removeServer(server, { keepKeyIds: cleared.profilesNotCleared !== undefined });
    return { session: stored, ...cleared };
  });
  await ctx.roleBook.forgetCatalogue(server);
  // Revoking the refresh token ends the whole session server-side; the access token dies with it.
  const revoked = session?.revocationEndpoint
    ? await revokeToken(ctx.fetch, session.revocationEndpoint, session.refreshToken, 'refresh_token')
    : false;
  return { wasLoggedIn: session !== undefined, revoked, clearedProfiles, profilesNotCleared };
}

/**
 * Blanks the keys of this server in ~/.aliyun/config.json (cached, or remembered as written there
 * by `creds --format aliyun-profile`): they would otherwise stay usable for up to 12 h after the
 * logout. Returns the profiles' names.
 */
async function clearAliyunProfiles(ctx: ClientContext, accessKeyIds: ReadonlySet<string>): Promise<string[]> {
  let names: string[] = [];
  if (accessKeyIds.size === 0) return names;
  await updateAliyunConfig(ctx.paths, (config) => {
    const cleared = withoutKeys(config, accessKeyIds);
    names = cleared.names;
    return cleared.config;
  });
  return names;
}
