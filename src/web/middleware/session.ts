import { randomBytes } from 'node:crypto';
import type Koa from 'koa';
import session from 'koa-session';
import type { Clock } from '../../clock.js';
import type { BridgeConfig } from '../../config/index.js';
import { identityName, SessionIndex } from '../../device/session-index.js';
import { sessionEnd, stillTrusted, type Identity } from '../../idp/identity.js';
import { isoSeconds } from '../../iso-time.js';
import type { Store } from '../../store/index.js';
import type { BrowserSession } from '../state.js';

/**
 * Browser sessions live in the server-side store; the cookie holds only a 256-bit random id
 * (koa-session's cookie store would put the identity in the browser, unencrypted). On https the
 * cookie is `__Host-` prefixed: Secure, Path=/, no Domain. A signed-in session is stored until its
 * idle timeout or its absolute end, whichever comes first, and each write (`seenAt` at least once a
 * minute of use) extends it: one whose cookie was thrown away leaves the store after the idle time.
 */
export function sessionMiddleware(app: Koa, config: BridgeConfig, store: Store, clock: Clock): Koa.Middleware {
  const https = config.server.publicUrl.startsWith('https:');
  return session(
    {
      key: sessionCookieName(config),
      maxAge: config.server.sessionMaxAgeSeconds * 1000,
      httpOnly: true,
      secure: https,
      sameSite: 'lax',
      signed: true,
      rolling: false,
      renew: false,
      genid: (ctx: Koa.Context) => {
        const id = randomBytes(32).toString('base64url');
        createdIn.set(ctx, id);
        return id;
      },
      store: {
        // koa-session's session is changed in place, nested objects too; the store's values are
        // frozen (Store.find), so koa-session gets a copy of its own.
        get: async (key: string) => {
          const stored = await store.find(sessionKey(key));
          return stored === undefined ? undefined : structuredClone(stored);
        },
        set: async (key: string, value: unknown, maxAge: number | 'session' | undefined, { ctx }: { ctx?: Koa.Context }) => {
          const ttl =
            signedInSeconds(config, value as BrowserSession, clock.now()) ??
            (typeof maxAge === 'number' ? Math.ceil(maxAge / 1000) : config.server.sessionMaxAgeSeconds);
          // Only a session this request created is written afresh. Any other is changed only if it
          // still exists: a request that read it before a sign-out (another tab, the picker's
          // script) and saves it after must not bring the ended session back.
          if (ctx && createdIn.get(ctx) === key) await store.upsert(sessionKey(key), value, ttl);
          else await store.update<BrowserSession>(sessionKey(key), (stored) => keepingNewerIdentity(stored, value as BrowserSession), ttl);
        },
        destroy: (key: string) => store.destroy(sessionKey(key)),
      },
    },
    app,
  );
}

/**
 * What a save writes over the stored session: all of it, except an identity that another request
 * re-read at the IdP after this one read the session (identity-refresh.ts). That re-read spent the
 * IdP refresh token this request still holds: saving it back would restore the old groups and a
 * token the IdP may have revoked. A CLI approval of this request took the token: it stays taken.
 */
function keepingNewerIdentity(stored: BrowserSession, saving: BrowserSession): BrowserSession {
  if ((stored.identityCheckedAt ?? 0) <= (saving.identityCheckedAt ?? 0)) return saving;
  const withoutToken = { ...stored.connectorData };
  delete withoutToken.refreshToken;
  return {
    ...saving,
    identity: stored.identity,
    identityCheckedAt: stored.identityCheckedAt,
    connectorData: saving.upstreamRefreshTokenTaken ? withoutToken : stored.connectorData,
  };
}

/** The session id a request created (a first visit, or the fresh id of a sign-in), if any. */
const createdIn = new WeakMap<Koa.Context, string>();

/**
 * Seconds a signed-in session stays in the store from a write at `now`: until the idle timeout
 * (`loadUser` writes `seenAt`, and with it the session, at least once a minute of use, well within
 * it), never past the absolute end (`endOf`). Undefined for a session not signed in.
 */
function signedInSeconds(config: BridgeConfig, session: BrowserSession, now: number): number | undefined {
  if (session.loginAt === undefined) return undefined;
  const left = Math.min(config.server.sessionIdleSeconds * 1000, endOf(config, session.identity, session.loginAt) - now);
  // A store refuses a lifetime of 0; a session past its end is refused by loadUser anyway.
  return Math.max(1, Math.ceil(left / 1000));
}

/**
 * The absolute end of a signed-in session (ms): `server.sessionMaxAgeSeconds` after sign-in, or
 * earlier when the IdP bounded the session it made (`identity.sessionEndsAt`, SAML
 * SessionNotOnOrAfter).
 */
function endOf(config: BridgeConfig, identity: Identity | undefined, loginAt: number): number {
  return sessionEnd(identity ?? {}, loginAt, config.server.sessionMaxAgeSeconds);
}

/** Where a browser session lives in the store (bench/store-footprint.mjs measures it there too). */
export const sessionKey = (id: string) => `session:${id}`;

/** The session cookie: `__Host-` prefixed on https (Secure, Path=/, no Domain). */
export function sessionCookieName(config: BridgeConfig): string {
  return config.server.publicUrl.startsWith('https:') ? '__Host-rambridge' : 'rambridge.sid';
}

/**
 * Paths that never use the browser session: probes, the issuer's public documents, and the CLI's
 * bearer API and OAuth endpoints (tokens, never cookies). They skip the session entirely: no
 * store read, no new session, and a cookie sent along has no effect on them.
 */
const SESSIONLESS_PATHS = new Set([
  '/healthz',
  '/readyz',
  '/metrics',
  '/jwks.json',
  '/.well-known/openid-configuration',
  '/saml/idp/metadata',
]);
const SESSIONLESS_PREFIXES = ['/api/', '/oauth/'];

export function usesBrowserSession(path: string): boolean {
  return !SESSIONLESS_PATHS.has(path) && !SESSIONLESS_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** Runs `middleware` only for requests whose path uses the browser session. */
export function forBrowserSessions(middleware: Koa.Middleware): Koa.Middleware {
  // Not async: a pass-through costs no promise of its own (it runs on every request).
  return (ctx, next) => (usesBrowserSession(ctx.path) ? (middleware(ctx, next) as Promise<unknown>) : next());
}

/**
 * Starts a signed-in session: a fresh id (session fixation, ASVS 7.2.4) and nothing else from the
 * session the browser brought. koa-session's regenerate() keeps every field, so a session planted
 * before sign-in would hand its CSRF token (known to whoever planted it) to the signed-in user.
 */
export async function startSignedInSession(
  ctx: Koa.Context,
  deps: { config: BridgeConfig; store: Store; clock: Clock },
  fields: BrowserSession & { identity: Identity; loginAt: number },
): Promise<void> {
  // The session the browser brought may have ended while the user was at the IdP (loadUser then
  // set it to null): start from an empty one (koa-session's setter makes a session of an object).
  if (!ctx.session) (ctx as { session: object | null }).session = {};
  const session = ctx.session!;
  for (const key of Object.keys(session.toJSON())) Reflect.deleteProperty(session, key);
  // koa-session 7 returns the commit's promise, which must finish before the new fields are set.
  await session.regenerate();
  const sid = createdIn.get(ctx)!;
  // Stored, not yet signed in, before it is indexed: a concurrent sign-in of the same user sees
  // it as live, and if a cap ends it meanwhile, this request's save (an update from now on, like
  // any session's) does not bring it back. If the store fails here, no signed-in session is left.
  await deps.store.upsert(sessionKey(sid), {}, deps.config.server.sessionIdleSeconds);
  createdIn.delete(ctx);
  await endOldestSessions(ctx, deps, fields, sid);
  Object.assign(session, fields);
}

/**
 * Indexes a new signed-in session under its user (IdP issuer and subject) and ends that user's
 * oldest beyond `server.maxSessionsPerUser`. Sign-ins that succeed are not limited, so without it
 * one employee looping silent sign-ins (dropping the cookie) fills the store; the user's other
 * browsers within the cap are unaffected. Ended sessions already gone from the store go unlogged.
 */
async function endOldestSessions(
  ctx: Koa.Context,
  { config, store, clock }: { config: BridgeConfig; store: Store; clock: Clock },
  { identity, loginAt }: { identity: Identity; loginAt: number },
  sid: string,
): Promise<void> {
  const { sessionMaxAgeSeconds, maxSessionsPerUser } = config.server;
  const index = new SessionIndex({ store, clock, maxAgeSeconds: sessionMaxAgeSeconds, prefix: 'browser:user:' });
  const beyond = await index.add(
    [identityName(identity)],
    { sid, expiresAt: endOf(config, identity, loginAt) },
    {
      max: maxSessionsPerUser,
      isLive: async (other) => (await store.find(sessionKey(other))) !== undefined,
    },
  );
  for (const old of beyond) {
    const ended = await store.consume<BrowserSession>(sessionKey(old));
    if (!ended) continue;
    ctx.state.log.info(
      {
        event: 'session-ended',
        by: 'session-limit',
        subject: identity.subject,
        email: identity.email,
        limit: maxSessionsPerUser,
        ...(ended.loginAt !== undefined ? { loginAt: isoSeconds(ended.loginAt) } : {}),
      },
      "the user's oldest browser session ended: a new sign-in went past the limit",
    );
  }
}

/**
 * Applies the absolute (`endOf`) and idle timeouts on the injected clock and exposes the signed-in user as
 * `ctx.state.user`. `seenAt` is written at most once a minute so reads stay reads. A session that
 * timed out, or whose cookie names nothing in the store any more (it expired there, or the store
 * was emptied), sets `ctx.state.sessionEnded`, so the way to sign-in can say why.
 */
export function loadUser(config: BridgeConfig, clock: Clock): Koa.Middleware {
  const cookie = sessionCookieName(config);
  return async (ctx, next) => {
    const s = ctx.session;
    if (s?.isNew && ctx.cookies.get(cookie, { signed: true }) !== undefined) ctx.state.sessionEnded = true;
    if (s?.identity && s.loginAt !== undefined) {
      const now = clock.now();
      // A session from an IdP no longer configured, or no longer the same issuer, ends too: removing
      // an IdP (decommissioned, or compromised) must not leave its users signed in for the rest of
      // their 12 hours.
      const endsAt = endOf(config, s.identity, s.loginAt);
      const expired =
        now >= endsAt || now - (s.seenAt ?? s.loginAt) >= config.server.sessionIdleSeconds * 1000 || !stillTrusted(config.idps, s.identity);
      if (expired) {
        ctx.state.sessionEnded = true;
        ctx.session = null;
      } else {
        ctx.state.user = s.identity;
        ctx.state.sessionEndsAt = endsAt;
        if (now - (s.seenAt ?? 0) >= 60_000) s.seenAt = now;
      }
    }
    await next();
  };
}
