import { whoami, type RoleInfo, type WhoAmI } from './api.js';
import { bridgeClient, type ClientContext } from './context.js';
import { fetchCatalogue } from './credential-source.js';
import { formatLocalTime } from './duration.js';
import { CliError, notLoggedIn } from './errors.js';
import { sessionEndsLocally } from './role-book.js';
import { userKey } from './sessions.js';
import { t } from '../i18n/index.js';

/**
 * `roles` and `whoami` answer from what the client remembers when the server is down (a VPN that
 * dropped, a deploy): both only describe, and a listing a few hours old beats an error. Commands
 * that act — credentials, console — never do: the server must say yes each time.
 */
export interface Answer<T> {
  value: T;
  /** Set when the answer is the remembered one: when it was fetched (ms since the epoch). */
  cachedAt?: number;
}

/** Down, as opposed to refusing: only these fall back to the cache. A session that ended does not. */
export function isServerDown(err: unknown): boolean {
  return err instanceof CliError && (err.code === 'ERR_CLI_UNREACHABLE' || err.code === 'ERR_CLI_SERVER_UNAVAILABLE');
}

export async function rolesOrCached(ctx: ClientContext, server: string): Promise<Answer<RoleInfo[]>> {
  const session = await ctx.sessions.get(server);
  if (!session) throw notLoggedIn(server);
  const user = userKey(session.user);
  try {
    return { value: await fetchCatalogue(ctx, server, user) };
  } catch (err) {
    const remembered = isServerDown(err) ? (await ctx.roleBook.get(server)).catalogue : undefined;
    if (remembered?.user !== user || remembered.fetchedAt === undefined) throw err;
    return { value: remembered.roles, cachedAt: remembered.fetchedAt };
  }
}

/** `whoami`'s answer, with when the session ends by this machine’s clock (role-book.ts `sessionEndsLocally`). */
export interface WhoAmIAnswer extends Answer<WhoAmI> {
  sessionEndsAt?: number;
}

export async function whoamiOrCached(ctx: ClientContext, server: string): Promise<WhoAmIAnswer> {
  const session = await ctx.sessions.get(server);
  if (!session) throw notLoggedIn(server);
  const user = userKey(session.user);
  try {
    const { me, serverDate } = await whoami(bridgeClient(ctx, server));
    const answer = { me, fetchedAt: ctx.clock.now(), serverDate };
    await ctx.roleBook.saveIdentity(server, user, answer);
    return { value: me, sessionEndsAt: sessionEndsLocally(answer) };
  } catch (err) {
    const remembered = isServerDown(err) ? await ctx.roleBook.identity(server, user) : undefined;
    if (!remembered) throw err;
    return { value: remembered.me, cachedAt: remembered.fetchedAt, sessionEndsAt: sessionEndsLocally(remembered) };
  }
}

/** What a cached answer says about itself, on stderr: "(offline: from cache, 2026-12-03 10:12)". */
export function offlineNote(cachedAt: number): string {
  return t('offlineNote', { time: formatLocalTime(cachedAt) });
}

/** With `--json`: `offline: true` and when the answer was fetched, so scripts can tell. */
export function offlineJson(cachedAt: number | undefined): { offline?: true; cachedAt?: string } {
  return cachedAt === undefined ? {} : { offline: true, cachedAt: new Date(cachedAt).toISOString() };
}
