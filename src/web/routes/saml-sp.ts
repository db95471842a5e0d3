import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { BridgeError, sentence } from '../../errors.js';
import { answerToAnotherSignIn } from '../login-flow.js';
import type { ServiceProviderConnector } from '../../idp/connector.js';
import { MAX_SAML_RESPONSE_BYTES } from '../../idp/saml/prefilter.js';
import { rateLimitedAddress } from '../client-ip.js';
import { completeLogin } from '../complete-login.js';
import type { WebDeps } from '../deps.js';
import { safeReturnTo } from '../return-to.js';

/**
 * The bridge as SAML Service Provider, per upstream SAML IdP:
 *   GET  /saml/:idp/metadata  our SP metadata, for the IdP admin to upload
 *   POST /saml/:idp/acs       the assertion consumer service (HTTP-POST binding)
 *
 * The ACS takes a cross-site POST from the IdP, so it carries no CSRF token of ours: what binds the
 * answer to this browser is the flow cookie plus the AuthnRequest ID it holds, which the response
 * must name in InResponseTo (checked by the connector).
 */
export function samlSpRoutes(deps: WebDeps): Router {
  const router = new Router();
  const refused = deps.refusedSignIns;

  router.get('/saml/:idp/metadata', async function showSpMetadata(ctx) {
    ctx.type = 'application/samlmetadata+xml';
    ctx.body = samlConnector(deps, ctx.params.idp!).spMetadata();
  });

  router.post('/saml/:idp/acs', async function consumeAssertion(ctx) {
    const connector = samlConnector(deps, ctx.params.idp!);
    const form = (ctx.request.body ?? {}) as Record<string, unknown>;
    await refused.guard(rateLimitedAddress(ctx), () => consume(ctx, connector, form));
  });

  /** A posted answer: an IdP-initiated one restarts the sign-in, any other finishes this browser's. */
  async function consume(ctx: Context, connector: ServiceProviderConnector, form: Record<string, unknown>): Promise<void> {
    if (connector.isAllowedIdpInitiated(form)) {
      // IdP-initiated (a dashboard tile): no request of ours to bind it to, so it could be a
      // response for someone else's account forced into this browser. Start a sign-in of our own;
      // the IdP session makes it a quick round trip that ends bound to this browser.
      ctx.state.log.info({ event: 'saml-idp-initiated', idp: connector.id }, 'restarting IdP-initiated sign-in as SP-initiated');
      ctx.status = 303;
      ctx.redirect(`/login?${new URLSearchParams({ idp: connector.id, return_to: safeReturnTo(form.RelayState) })}`);
      return;
    }
    // An answer to another request than this browser's flow: usually an earlier tab's sign-in,
    // answered after a later one replaced the flow. Refused unread, so it costs nothing and is not
    // counted, and the flow stays for the answer still coming.
    const flow = deps.flows.peek(ctx, connector.id);
    if (flow && connector.answersAnotherRequest(form, flow.secrets)) {
      throw answerToAnotherSignIn('ERR_SAML_OTHER_SIGN_IN');
    }
    await completeLogin(ctx, deps, connector, { kind: 'post', form });
  }

  return router;
}

/**
 * The ACS's body parser, mounted before the app's 64 KiB one (which then skips the parsed body):
 * SAML responses with many groups or an encrypted assertion outgrow 64 KiB, so this one route
 * takes forms up to 256 KiB and refuses anything larger before reading further (413).
 */
export function samlAcsBodyParser(): Middleware {
  const parse = bodyParser({ enableTypes: ['form'], formLimit: String(MAX_SAML_RESPONSE_BYTES) });
  // Only the pass-through is synchronous (it runs on every request): no promise of its own.
  return function parseSamlAcsBody(ctx, next) {
    if (ctx.method !== 'POST' || !/^\/saml\/[^/]+\/acs$/.test(ctx.path)) return next();
    return parseAcs(ctx, next);
  };
  async function parseAcs(ctx: Parameters<Middleware>[0], next: () => Promise<unknown>): Promise<void> {
    try {
      await parse(ctx, async () => undefined);
    } catch (err) {
      if ((err as { status?: number }).status !== 413) throw err;
      throw new BridgeError('ERR_SAML_TOO_LARGE', {
        userMessage: sentence('err.ERR_SAML_TOO_LARGE'),
        detail: { limit: MAX_SAML_RESPONSE_BYTES },
      });
    }
    await next();
  }
}

function samlConnector(deps: WebDeps, id: string): ServiceProviderConnector {
  const connector = deps.connectors.get(id);
  if (connector?.type !== 'saml') throw new BridgeError('ERR_IDP_UNKNOWN', { userMessage: sentence('err.ERR_IDP_UNKNOWN') });
  return connector;
}
