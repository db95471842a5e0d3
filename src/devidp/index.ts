/**
 * The development OpenID Connect provider: the "corporate IdP" of `npm start` and the end-to-end
 * tests, built on oidc-provider with real login pages and demo users. Not for production.
 *
 * Routes (issuer-relative): /.well-known/openid-configuration, /auth, /token, /me, /jwks,
 * /session/end, and the sign-in pages under /interaction/:uid (interactions.ts).
 */
export { startDevIdp, type RunningDevIdp } from './server.js';
export { createDevIdp, type CreateDevIdpOptions, type Provider } from './provider.js';
export { DEFAULT_TTL, type DevIdpClient, type DevIdpOptions, type DevIdpTtl } from './options.js';
export { DEMO_USERS, type DevUser } from './users.js';
