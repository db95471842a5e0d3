import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';

import { silentLogger, type Logger } from '../log.js';
import { findAccountIn, SCOPE_CLAIMS } from './claims.js';
import { SafeHtml } from './html.js';
import { interactionRoutes } from './interactions.js';
import { generateDevIdpKeys, type DevIdpKeys } from './keys.js';
import { DEFAULT_TTL, type DevIdpClient, type DevIdpOptions } from './options.js';
import { pageSender } from './respond.js';
import { DEMO_USERS, UserDirectory } from './users.js';
import { errorPage, logoutPage, signedOutPage } from './views.js';

export type { Provider };

export interface CreateDevIdpOptions extends Omit<DevIdpOptions, 'host' | 'port'> {
  /** The issuer identifier, e.g. `http://127.0.0.1:4000`; also the base of every endpoint URL. */
  issuer: string;
}

/**
 * A development OIDC provider that is not listening: a Koa app (oidc-provider's `Provider`) for
 * `supertest(idp.callback())` or a server of the caller's own. Generates fresh keys.
 */
export async function createDevIdp(options: CreateDevIdpOptions): Promise<Provider> {
  return buildDevIdp(options, await generateDevIdpKeys());
}

function toClientMetadata(client: DevIdpClient): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    // Every ID token says when the user signed in: elevated roles need a recent MFA sign-in, and
    // without `auth_time` the bridge must treat every sign-in as too old (the demo's prod-admin).
    require_auth_time: true,
    // oidc-provider accepts the secret by either client_secret_basic or client_secret_post for this.
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

/** Origins the browser may be sent to after submitting one of the IdP's forms (see respond.ts). */
function clientOrigins(clients: readonly DevIdpClient[]): string[] {
  const uris = clients.flatMap((c) => [...c.redirectUris, ...(c.postLogoutRedirectUris ?? [])]);
  return [...new Set(uris.map((uri) => new URL(uri).origin))];
}

function logProviderEvents(provider: Provider, logger: Logger): void {
  const clientMistake = (event: string) => (_ctx: unknown, err: { error?: string; error_description?: string }) =>
    logger.info({ event, error: err.error, description: err.error_description }, 'dev IdP refused a request');
  for (const event of ['authorization.error', 'grant.error', 'end_session.error', 'userinfo.error']) {
    provider.on(event, clientMistake(event));
  }
  provider.on('server_error', (_ctx: unknown, err: unknown) => logger.error({ err }, 'dev IdP server error'));
  // Koa's own 'error' event (errors outside oidc-provider's handlers); listening also stops Koa's console.error.
  provider.on('error', (err: unknown) => logger.error({ err }, 'dev IdP request failed'));
}

/** Assembles the provider from already generated keys, synchronously (startDevIdp relies on that). */
export function buildDevIdp(options: CreateDevIdpOptions, keys: DevIdpKeys): Provider {
  if (options.clients.length === 0) throw new TypeError('the dev IdP needs at least one client');
  const directory = new UserDirectory(options.users ?? DEMO_USERS);
  const logger = options.logger ?? silentLogger();
  const send = pageSender(clientOrigins(options.clients));

  const configuration: Partial<Configuration> = {
    clients: options.clients.map(toClientMetadata),
    // Authorization code flow only, with PKCE (oidc-provider 9 knows only S256) for every client.
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    enabledJWA: { idTokenSigningAlgValues: ['RS256'] },
    jwks: { keys: [keys.signingKey] },
    cookies: { keys: keys.cookieKeys, long: { signed: true }, short: { signed: true } },
    // offline_access lets a client ask for a refresh token; the claim scopes come from SCOPE_CLAIMS.
    scopes: ['openid', 'offline_access'],
    claims: SCOPE_CLAIMS,
    // The bridge reads identity from the ID token, not userinfo: put the scope claims into it.
    conformIdTokenClaims: false,
    findAccount: findAccountIn(directory),
    features: {
      devInteractions: { enabled: false },
      // No protected APIs here; access tokens exist only for userinfo.
      resourceIndicators: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => send(ctx, logoutPage(ctx.host, new SafeHtml(form))),
        postLogoutSuccessSource: async (ctx) => send(ctx, signedOutPage(ctx.oidc.client?.clientId)),
      },
    },
    // Relying parties are servers; no browser JavaScript calls the IdP's endpoints cross-origin.
    clientBasedCORS: () => false,
    // oidc-provider has already set the status and decided what `out` may say (err_out.js).
    renderError: async (ctx, out) => send(ctx, errorPage(out.error, out.error_description), ctx.status),
    ttl: { ...DEFAULT_TTL, ...options.ttl },
  };

  const provider = new Provider(options.issuer, configuration);
  provider.use(interactionRoutes({ provider, directory, send, logger }));
  logProviderEvents(provider, logger);
  return provider;
}
