import Router from '@koa/router';
import type { WebDeps } from '../deps.js';

/**
 * What RAM (and any verifier) reads from the bridge as an issuer: the SAML IdP metadata to upload,
 * the OIDC discovery document and the JWKS. Public, cacheable for a few minutes (key rotation).
 */
export function issuerRoutes(deps: WebDeps): Router {
  const router = new Router();
  const { issuer } = deps;
  if (!issuer) return router;

  router.get('/saml/idp/metadata', async function samlMetadata(ctx) {
    ctx.type = 'application/samlmetadata+xml';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = issuer.samlMetadata();
  });

  router.get('/.well-known/openid-configuration', async function discovery(ctx) {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = issuer.discovery(deps.discoveryExtras);
  });

  router.get('/jwks.json', async function keys(ctx) {
    ctx.type = 'application/jwk-set+json';
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = issuer.jwks();
  });

  return router;
}
