import { issueCredentials, listRoles, type RoleInfo, type CredentialsResponse } from './api.js';
import { bridgeClient, type ClientContext } from './context.js';
import { isUsable, localExpiry, type CacheKey } from './credential-cache.js';
import { sayIfCut } from './cut-notice.js';
import { defaultDuration, formatDurationFlag, formatSessionLength, parseDuration } from './duration.js';
import { CliError, notLoggedIn } from './errors.js';
import { withFileLock } from './lock.js';
import { resolveRole } from './resolve-role.js';
import { userKey } from './sessions.js';
import { t } from '../i18n/index.js';

/**
 * What `creds`, `exec` and `credential-server` ask for: a server and a role query, resolved to a
 * role id before it becomes the wire's `CredentialsRequest` (src/wire/api.ts).
 */
export interface CredentialQuery {
  server: string;
  /** A role id, alias or fuzzy query. */
  role: string;
  durationSeconds?: number;
  /** For elevated roles, whose credentials are never cached: each use asks the server, which audits each reason. */
  justification?: string;
}

export interface ObtainedCredentials {
  /** Whose they are (`userKey` of the session they came with). */
  user: string;
  role: RoleInfo;
  /** The length asked for; `credentials.durationSeconds` is what the server granted. */
  durationSeconds: number;
  credentials: CredentialsResponse;
  fromCache: boolean;
  /** Their expiry by this machine's clock, when the server sent its `Date` (credential-cache.ts `localExpiry`); see `expiresLocally`. */
  localExpiresAt?: number;
}

/** The request a credential command's options describe. */
export function credentialQuery(server: string, role: string, options: { duration?: string; justification?: string }): CredentialQuery {
  return {
    server,
    role,
    durationSeconds: options.duration === undefined ? undefined : parseDuration(options.duration),
    justification: options.justification,
  };
}

/**
 * Credentials for a role, from the cache when they have more than 5 minutes left — with no network
 * call at all: the role name resolves against the catalogue remembered from the last listing, and
 * the user comes from the stored session. Otherwise from the server, one process at a time.
 * An elevated role's credentials are neither read from nor written to the cache: each use needs
 * the server's yes to a justification (docs/cli.md), as the web picker asks for one each time.
 */
export async function obtainCredentials(ctx: ClientContext, request: CredentialQuery): Promise<ObtainedCredentials> {
  const session = await ctx.sessions.get(request.server);
  if (!session) throw notLoggedIn(request.server);
  const user = userKey(session.user);
  const role = await findRole(ctx, request.server, user, request.role);
  const durationSeconds = request.durationSeconds ?? defaultDuration(role);
  if (durationSeconds > role.maxSessionDuration) {
    const max = role.maxSessionDuration;
    throw new CliError('ERR_CLI_DURATION_INVALID', t('durationRoleMax', { role: role.id, duration: formatSessionLength(max) }), {
      hint: t('durationRoleMaxHint', { duration: formatDurationFlag(max) }),
    });
  }
  const key: CacheKey = { server: request.server, user, role: role.id, durationSeconds };
  // Nothing sent with a reason is kept: every elevated issuance has one, even when the catalogue
  // remembered here predates the role being made elevated.
  const useCache = !role.elevated && request.justification === undefined;
  const cached = useCache ? await ctx.cache.entry(key) : undefined;
  if (cached) return { user, role, durationSeconds, ...cached, fromCache: true };

  return withFileLock(ctx.paths.credentialsLock, async () => {
    // Another process may have fetched them while this one waited for the lock.
    const fetched = useCache ? await ctx.cache.entry(key) : undefined;
    if (fetched) return { user, role, durationSeconds, ...fetched, fromCache: true };
    // The length chosen is sent as it is. Near the end of the CLI session the server cuts it to what
    // is left (its answer's `durationSeconds`: `cutNotice`), or refuses under 15 minutes before STS is
    // asked (ERR_NOT_SIGNED_IN: exit 3, rambridge login); it remembers the chosen one as the user's last.
    const ask = { role: role.id, durationSeconds, justification: request.justification };
    const { credentials, serverDate } = await issueCredentials(bridgeClient(ctx, request.server), ask).catch((err: unknown) =>
      rethrowWithCliHint(err, request.server),
    );
    // One local expiry, taken as they arrived: the one cached is the one handed out now, so the
    // first answer and every cached one after it tell other programs the same expiration.
    const localExpiresAt = useCache
      ? await ctx.cache.put(key, credentials, serverDate)
      : localExpiry(credentials, serverDate, ctx.clock.now());
    return { user, role, durationSeconds, credentials, fromCache: false, localExpiresAt };
  });
}

/**
 * What a long-running command (`credential-server`) asks for after its first credentials: the role
 * as resolved then, and, for an elevated role, the same reason again, since each of its issuances
 * needs one (others come from the cache, and a reason would bypass it).
 */
export function repeatQuery(request: CredentialQuery, role: RoleInfo): CredentialQuery {
  return { ...request, role: role.id, justification: role.elevated ? request.justification : undefined };
}

/**
 * What `credential-server` serves after its `first` credentials, for each request. An elevated
 * role's latest credentials are held in this process's memory only (never on disk: they are never
 * cached) and served while they have more than the refresh margin left; only then is the server
 * asked again, with the reason. Asking at every request would cost an STS call and an audit record
 * per aliyun command, and fail for all of them once the sign-in is older than the server's
 * `elevation.mfaMaxAgeSeconds`. Other roles come from the cache as `creds` gets them.
 */
export function laterCredentials(
  ctx: ClientContext,
  request: CredentialQuery,
  first: ObtainedCredentials,
): () => Promise<ObtainedCredentials> {
  const later = repeatQuery(request, first.role);
  if (later.justification === undefined) return () => obtainCredentials(ctx, later);
  let held = first;
  let asking: Promise<ObtainedCredentials> | undefined;
  return async () => {
    if (isUsable(held, ctx.clock.now())) return { ...held, fromCache: true };
    // Requests arriving together wait for one issuance, new to the first only: what is said of new
    // credentials (the served line, the cut line) is said once.
    if (asking) return { ...(await asking), fromCache: true };
    asking = obtainCredentials(ctx, later).finally(() => (asking = undefined));
    held = await asking;
    return held;
  };
}

/**
 * `obtainCredentials`, remembering the role as recently used (for `rambridge roles`), and saying
 * on stderr when the session's end cut them short.
 */
export async function useCredentials(ctx: ClientContext, request: CredentialQuery): Promise<ObtainedCredentials> {
  const obtained = await obtainCredentials(ctx, request);
  sayIfCut(obtained, request.server);
  await ctx.roleBook.recordUse(request.server, obtained.role.id, ctx.clock.now());
  return obtained;
}

/**
 * Resolves a role name against the remembered catalogue first; when that finds nothing or is
 * ambiguous (the catalogue may be stale), against a fresh list from the server.
 */
export async function findRole(ctx: ClientContext, server: string, user: string, query: string): Promise<RoleInfo> {
  const remembered = await ctx.roleBook.catalogue(server, user);
  if (remembered) {
    try {
      return resolveRole(remembered, query);
    } catch {
      // Fall through to a fresh list: the error the user sees is about the current roles.
    }
  }
  return resolveRole(await fetchCatalogue(ctx, server, user), query);
}

/** Lists the roles from the server and remembers them for name resolution. */
export async function fetchCatalogue(ctx: ClientContext, server: string, user: string): Promise<RoleInfo[]> {
  const roles = await listRoles(bridgeClient(ctx, server));
  await ctx.roleBook.saveCatalogue(server, user, roles, ctx.clock.now());
  return roles;
}

/**
 * The server's hints speak of its web page; on the command line the answer is a flag, or a new
 * login (ERR_NOT_SIGNED_IN: the CLI session ends too soon for credentials, or a pass-through role
 * needs a fresh IdP sign-in), which a terminal is offered at once (relogin.ts).
 */
function rethrowWithCliHint(err: unknown, server: string): never {
  if (!(err instanceof CliError)) throw err;
  const hint =
    err.serverCode === 'ERR_JUSTIFICATION_REQUIRED' || err.serverCode === 'ERR_JUSTIFICATION_TOO_LONG'
      ? t('justificationHint')
      : err.serverCode === 'ERR_NOT_SIGNED_IN'
        ? t('runLogin', { server })
        : undefined;
  if (hint === undefined) throw err;
  throw new CliError(err.code, err.message, { serverCode: err.serverCode, requestId: err.requestId, hint });
}
