import Router from '@koa/router';
import type { Context } from 'koa';
import { BridgeError, sentence } from '../../errors.js';
import { answerToAnotherSignIn } from '../login-flow.js';
import type { Connector } from '../../idp/connector.js';
import { safeReturnTo } from '../return-to.js';
import { rateLimitedAddress } from '../client-ip.js';
import { completeLogin } from '../complete-login.js';
import { translator } from '../i18n/index.js';
import { pageLocale } from '../middleware/language.js';
import type { WebDeps } from '../deps.js';

/** Sign-in: `/login` and the OIDC callback (sign-out is in sign-out.ts). */
export function authRoutes(deps: WebDeps): Router {
  const router = new Router();
  const { config, connectors, flows, clock, views } = deps;
  const refused = deps.refusedSignIns;

  router.get('/login', async function startLogin(ctx) {
    const returnTo = safeReturnTo(ctx.query.return_to);
    const requested = typeof ctx.query.idp === 'string' ? ctx.query.idp : undefined;
    if (requested === undefined && connectors.size > 1) {
      ctx.type = 'html';
      ctx.body = views.render(
        'chooser',
        {
          title: translator(ctx.state.lang)('chooser.title'),
          idps: [...connectors.values()].map((c) => ({
            id: c.id,
            displayName: c.displayName,
            href: `/login?${new URLSearchParams({ idp: c.id, return_to: returnTo, ...(ctx.query.reauth === '1' ? { reauth: '1' } : {}) })}`,
          })),
          // A flag only: the page says the session ended, and nothing about whose it was.
          sessionEnded: ctx.query.expired === '1',
        },
        pageLocale(ctx),
      );
      return;
    }
    const connector = requested === undefined ? [...connectors.values()][0]! : findConnector(connectors, requested);
    // `reauth=1`: the IdP must ask again (approving a CLI login after a long-lived browser session).
    const start = await connector.startLogin({ reauthenticate: ctx.query.reauth === '1' });
    await flows.begin(ctx, { idp: connector.id, returnTo, secrets: start.secrets, startedAt: clock.now() });
    ctx.redirect(start.redirectTo);
  });

  router.get('/oidc/:idp/callback', async function finishOidcLogin(ctx) {
    const connector = findConnector(connectors, ctx.params.idp!);
    const url = new URL(ctx.originalUrl, config.server.publicUrl);
    // An answer to another request than this browser's flow (its `state`): usually an earlier
    // tab's sign-in, answered after a later one replaced the flow, or an answer made up elsewhere.
    // Refused before the IdP is asked, so it costs nothing and is not counted, and the flow stays
    // for the answer still coming (as the SAML ACS does).
    const flow = flows.peek(ctx, connector.id);
    if (flow && connector.type === 'oidc' && connector.answersAnotherRequest(url, flow.secrets)) {
      throw answerToAnotherSignIn('ERR_AUTH_OTHER_SIGN_IN');
    }
    await refused.guard(rateLimitedAddress(ctx), () => completeLogin(ctx, deps, connector, { kind: 'redirect', url }));
  });

  return router;
}

export function findConnector(connectors: Map<string, Connector>, id: string): Connector {
  const connector = connectors.get(id);
  if (!connector) throw new BridgeError('ERR_IDP_UNKNOWN', { userMessage: sentence('err.ERR_IDP_UNKNOWN') });
  return connector;
}

/**
 * Sends a browser that is not signed in to `/login`, remembering where it wanted to go, and
 * whether it is there because its session ended (loadUser sets `sessionEnded`).
 */
export function redirectToLogin(ctx: Context): void {
  ctx.redirect(loginPath(safeReturnTo(ctx.originalUrl), ctx.state.sessionEnded === true));
}

/** `/login?return_to=…[&expired=1]`; `returnTo` must have passed `safeReturnTo`. */
export function loginPath(returnTo: string, sessionEnded: boolean): string {
  return `/login?${new URLSearchParams({ return_to: returnTo, ...(sessionEnded ? { expired: '1' } : {}) }).toString()}`;
}
