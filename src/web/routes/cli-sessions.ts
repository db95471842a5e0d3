import Router from '@koa/router';
import { shownClient, type CliSession, type CliSessions } from '../../device/index.js';
import { BridgeError, sentence } from '../../errors.js';
import { identityKey } from '../../idp/identity.js';
import { isoSeconds } from '../../iso-time.js';
import type { WebDeps } from '../deps.js';
import { auditEvent } from '../security-events.js';
import { formatDateTime } from '../i18n/format.js';
import { translator, type Language } from '../i18n/index.js';
import { checkCsrf, csrfToken } from '../middleware/csrf.js';
import { pageLocale } from '../middleware/language.js';
import type { CliSessionRow } from '../pages.js';
import { requirePostUser, requireUser, signedInUser } from '../require-user.js';

/**
 * "My CLI sessions": the signed-in user's own CLI sessions (`GET /sessions`), each revocable
 * (`POST /sessions/revoke` with `sid`, or `all=1`). Sessions are the user's by exactly their IdP
 * issuer and subject, as at sign-out (routes/sign-out.ts): never by email, which another IdP's user
 * may share. A session id that is not the user's answers 404 whether it exists or not, so the
 * form cannot be used to learn about anyone else's, and is logged (and audited as a refusal).
 * Nothing on the page is a token: a session id only names a session, it grants nothing.
 */
export function cliSessionRoutes(deps: WebDeps, cliSessions: CliSessions): Router {
  const router = new Router();
  const { config, views } = deps;
  const publicOrigin = new URL(config.server.publicUrl).origin;
  const csrf = checkCsrf(publicOrigin);
  // A revoke whose browser session has ended goes to sign in and back to the list (nothing is
  // revoked on the way: the user presses the button again).
  const requireSignedIn = requirePostUser({ publicOrigin, backTo: () => '/sessions' });

  router.get('/sessions', requireUser, async function showCliSessions(ctx) {
    const user = signedInUser(ctx);
    const lang = ctx.state.lang;
    const sessions = await cliSessions.listForIdentity(user);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'html';
    ctx.body = views.render(
      'cli-sessions',
      {
        title: translator(lang)('cliSessions.title'),
        user,
        csrf: csrfToken(ctx),
        sessions: sessions.map((s) => row(s, lang)),
        ...revokedCount(ctx.query.revoked),
        scripts: ['/assets/page.js'], // times in the browser's own zone too
      },
      pageLocale(ctx),
    );
  });

  router.post('/sessions/revoke', requireSignedIn, csrf, async function revokeCliSessions(ctx) {
    const user = signedInUser(ctx);
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    let ended: CliSession[];
    if (body.all === '1') {
      ended = await cliSessions.revokeForIdentity(user);
    } else {
      const sid = typeof body.sid === 'string' && body.sid.length <= 64 ? body.sid : '';
      const session = sid === '' ? undefined : await cliSessions.find(sid);
      if (!session || identityKey(session.identity) !== identityKey(user)) {
        ctx.state.log.warn(
          { event: 'cli-session-revoke-refused', sid: sid.slice(0, 64), exists: session !== undefined, subject: user.subject },
          'CLI session revoke refused: not this user’s',
        );
        throw new BridgeError('ERR_CLI_SESSION_NOT_FOUND', {
          userMessage: sentence('err.ERR_CLI_SESSION_NOT_FOUND'),
          hint: sentence('hint.reload'),
        });
      }
      // Ended meanwhile by someone else (its own logout): not this press's revocation.
      ended = (await cliSessions.revoke(session.sid)) ? [session] : [];
    }
    for (const s of ended) {
      auditEvent(ctx, deps.audit, { event: 'cli-session-revoked', by: 'user', sid: s.sid, user: s.identity });
    }
    // POST-redirect-GET: reloading the page that follows never posts again.
    ctx.redirect(`/sessions?${new URLSearchParams({ revoked: String(ended.length) }).toString()}`);
    ctx.status = 303;
  });

  return router;
}

function row(s: CliSession, lang: Language): CliSessionRow {
  const at = (ms: number) => ({ iso: isoSeconds(ms), text: formatDateTime(lang, ms) });
  // What the device reported about itself, shown as the approval page shows it: it could say anything.
  const client = shownClient(s.client);
  return {
    sid: s.sid,
    host: client.host ?? translator(lang)('deviceConfirm.notReported'),
    client: [client.clientId, client.version].filter(Boolean).join(' '),
    ip: s.client.ip,
    created: at(s.createdAt),
    ...(s.refreshedAt !== undefined ? { refreshed: at(s.refreshedAt) } : {}),
    expires: at(s.expiresAt),
  };
}

/** `?revoked=N` after a revoke: a small count, or nothing. */
function revokedCount(value: unknown): { revoked?: number } {
  return typeof value === 'string' && /^\d{1,3}$/.test(value) ? { revoked: Number(value) } : {};
}
