import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import { refreshesGroups } from '../device/upstream-refresh.js';
import { toBridgeError } from '../errors.js';
import type { Connector, IdpAnswer } from '../idp/index.js';
import type { Identity } from '../idp/identity.js';
import type { WebDeps } from './deps.js';
import { groupClaimNames } from './group-claims.js';
import { cookieLanguage, setLanguageCookie } from './middleware/language.js';
import { startSignedInSession } from './middleware/session.js';
import { rememberedLanguageOf } from './role-preferences.js';
import { auditEvent } from './security-events.js';

/**
 * The end of every sign-in, whatever the protocol: take this browser's flow (once), let the
 * connector verify the IdP's answer, start a fresh session and go where the user was headed.
 */
export async function completeLogin(ctx: Context, deps: WebDeps, connector: Connector, answer: IdpAnswer): Promise<void> {
  try {
    const flow = await deps.flows.take(ctx, connector.id);
    const { identity, connectorData } = await connector.finishLogin(answer, flow.secrets);
    await deps.flows.spend(flow);
    const now = deps.clock.now();
    const signInId = randomBytes(12).toString('base64url');
    await startSignedInSession(ctx, deps, { identity, connectorData, loginAt: now, seenAt: now, signInId });
    deps.metrics.observeLogin(connector.id, 'ok');
    auditEvent(ctx, deps.audit, { event: 'login', user: identity, groups: identity.groups, amr: identity.amr });
    // The usual cause of "no roles": the IdP app does not send the claim the config names.
    if (identity.groups.length === 0) {
      ctx.state.log.warn(
        { event: 'groups-missing', idp: connector.id, expectedClaims: groupClaimNames(deps.config, connector.id) },
        'the IdP sent no groups in the configured claim(s)',
      );
    }
    // refreshGroups without a refresh token: the session is sent through the IdP again every interval.
    if (!connectorData?.refreshToken && refreshesGroups(deps.config.idps, connector.id)) {
      ctx.state.log.warn(
        { event: 'upstream-refresh-unavailable', idp: connector.id, subject: identity.subject },
        'refreshGroups is set, but the IdP gave no refresh token (offline_access not granted): the user is sent through the IdP again at every interval',
      );
    }
    await restoreLanguage(ctx, deps, identity);
    ctx.redirect(flow.returnTo);
  } catch (err) {
    deps.metrics.observeLogin(connector.id, toBridgeError(err).code);
    throw err;
  }
}

/**
 * The language the user chose before, on any browser, becomes this browser's when it has none of
 * its own yet; a browser that already chose keeps its choice. Never fails a sign-in.
 */
async function restoreLanguage(ctx: Context, deps: WebDeps, identity: Identity): Promise<void> {
  if (cookieLanguage(ctx)) return;
  try {
    const language = await rememberedLanguageOf(deps, identity);
    if (language) setLanguageCookie(ctx, language, deps.config.server.publicUrl.startsWith('https:'));
  } catch (err) {
    ctx.state.log.warn({ event: 'language-not-restored', code: toBridgeError(err).code }, "could not read the user's language");
  }
}
