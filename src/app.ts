import Koa from 'koa';
import type { Clock } from './clock.js';
import type { BridgeConfig } from './config/index.js';
import type { Connector } from './idp/connector.js';
import { createConnectors } from './idp/index.js';
import { createDeviceFlow, deviceDiscovery } from './device/index.js';
import { createRoleActions } from './web/console-actions.js';
import { ShownCredentialsStore } from './web/shown-credentials.js';
import { AuditLog, CredentialIssuer } from './issuance/index.js';
import type { BridgeIssuer } from './issuer/index.js';
import type { StsClient } from './sts/index.js';
import { createAuditLogger, type Logger } from './log.js';
import { RoleMapper } from './mapping/index.js';
import { RolePreferences } from './preferences/index.js';
import type { Store } from './store/index.js';
import { serveAssets } from './web/assets.js';
import type { WebDeps } from './web/deps.js';
import { LoginFlows } from './web/login-flow.js';
import { RefusedSignIns } from './web/refused-sign-ins.js';
import { Refusals } from './web/refusals.js';
import { meteredDeviceFlow, meteredStore, meteredSts } from './web/metered.js';
import { Metrics } from './web/metrics.js';
import { refuseEncodedBodies } from './web/middleware/body-encoding.js';
import { parseBodies } from './web/middleware/body-parser.js';
import { handleErrors } from './web/middleware/errors.js';
import { chooseLanguage } from './web/middleware/language.js';
import { requestContext } from './web/middleware/request-context.js';
import { explainInsecureTransport } from './web/middleware/secure-transport.js';
import { securityHeaders } from './web/middleware/security-headers.js';
import { forBrowserSessions, loadUser, sessionMiddleware } from './web/middleware/session.js';
import { rereadIdentity } from './web/middleware/identity-refresh.js';
import type { RoleActions } from './web/role-actions.js';
import { routeByFirstSegment } from './web/route-groups.js';
import { apiRoutes } from './web/routes/api.js';
import { credentialsRoutes } from './web/routes/credentials.js';
import { authRoutes } from './web/routes/auth.js';
import { cliSessionRoutes } from './web/routes/cli-sessions.js';
import { deviceRoutes } from './web/routes/device.js';
import { deviceUnconfiguredRoutes } from './web/routes/device-unconfigured.js';
import { issuerRoutes } from './web/routes/issuer.js';
import { launchRoutes } from './web/routes/launch.js';
import { languageRoutes } from './web/routes/language.js';
import { oauthRoutes } from './web/routes/oauth.js';
import { favouriteRoutes } from './web/routes/favourites.js';
import { liveness, opsRoutes } from './web/routes/ops.js';
import { roleRoutes } from './web/routes/roles.js';
import { samlAcsBodyParser, samlSpRoutes } from './web/routes/saml-sp.js';
import { signOutRoutes } from './web/routes/sign-out.js';
import { createViews, type Views } from './web/views.js';

export interface AppDeps {
  config: BridgeConfig;
  store: Store;
  logger: Logger;
  clock: Clock;
  /**
   * Defaults to one connector per configured IdP. `serve` passes its own (built on a store metered
   * like this app's), so a reload can start them from the ones they replace; tests may too.
   */
  connectors?: Map<string, Connector>;
  metrics?: Metrics;
  views?: Views;
  /** Replaces the console/credentials actions built from `issuer` + `sts` (tests of the web layer). */
  actions?: RoleActions;
  issuer?: BridgeIssuer;
  /** STS client; with `issuer`, enables "Open console" and "Get CLI credentials". */
  sts?: StsClient;
  fetch?: typeof fetch;
  /** The audit stream's logger; default built from config.audit (see createAuditLogger). */
  auditLogger?: Logger;
}

/** Builds the bridge's Koa app without listening (tests drive it through `app.callback()`). */
export function createApp(deps: AppDeps): Koa {
  const { config } = deps;
  const views = deps.views ?? createViews();
  const metrics = deps.metrics ?? new Metrics();
  const audit = new AuditLog(deps.auditLogger ?? createAuditLogger(deps.logger, config.audit.destination), {
    onIssuance: (r) => metrics.observeIssuance(r.roleId, r.channel, r.outcome),
    onWriteFailure: (dropped) => metrics.observeAuditWriteFailure(dropped),
    mainLog: deps.logger,
  });
  // Everything below reaches the store and STS through these, so their latency and errors are measured.
  const store = meteredStore(deps.store, metrics);
  const sts = deps.sts && meteredSts(deps.sts, metrics);
  const credentials =
    deps.issuer && sts
      ? new CredentialIssuer({
          issuer: deps.issuer,
          sts,
          roles: config.roles,
          clock: deps.clock,
          audit,
          preferences: new RolePreferences({ store, clock: deps.clock }),
          logger: deps.logger,
        })
      : undefined;
  // Credentials minted in the browser wait here for their GET page (POST-redirect-GET).
  const shown = new ShownCredentialsStore({ store, clock: deps.clock, markerSeconds: config.server.sessionMaxAgeSeconds });
  const web: WebDeps = {
    config,
    store,
    logger: deps.logger,
    clock: deps.clock,
    connectors: deps.connectors ?? createConnectors(config, { store, clock: deps.clock, logger: deps.logger }),
    mapper: new RoleMapper(config.roles, config.grants),
    metrics,
    views,
    flows: new LoginFlows(config, store, deps.clock),
    refusedSignIns: new RefusedSignIns({ store, clock: deps.clock }),
    audit,
    refusals: new Refusals({ audit, metrics }),
    actions: deps.actions ?? (credentials ? createRoleActions({ config, credentials, views, shown, fetch: deps.fetch }) : {}),
    credentials,
    issuer: deps.issuer,
    discoveryExtras: deps.issuer && deviceDiscovery(config.server.publicUrl),
  };
  // CLI sign-in signs its access tokens with the issuer's OIDC key, so it exists only with an issuer.
  const device = deps.issuer && meteredDeviceFlow(createDeviceFlow({ config, store, clock: deps.clock, issuer: deps.issuer }), metrics);
  const cliRoutes = device
    ? [oauthRoutes(web, device), deviceRoutes(web, device), apiRoutes(web, device), cliSessionRoutes(web, device.sessions)]
    : [deviceUnconfiguredRoutes()];

  // Koa's `ips` keeps the last `maxIpsCount` X-Forwarded-For entries and `ip` is the first of them:
  // the address the outermost trusted proxy saw. Entries left of it are the client's own words.
  const app = new Koa({ proxy: config.server.trustProxy > 0, maxIpsCount: config.server.trustProxy });
  app.keys = config.server.sessionSecrets;
  app.silent = true; // errors are logged once, by handleErrors, with redaction

  const signOut = signOutRoutes(web, device?.sessions);
  const routes = routeByFirstSegment([
    opsRoutes(web),
    issuerRoutes(web),
    authRoutes(web),
    languageRoutes(web),
    signOut,
    samlSpRoutes(web),
    roleRoutes(web),
    credentialsRoutes(web, shown),
    launchRoutes(web),
    favouriteRoutes(web), // the picker's star (src/preferences/)
    ...cliRoutes,
  ]);
  app.use(requestContext(web.logger, web.metrics));
  app.use(securityHeaders({ https: config.server.publicUrl.startsWith('https:') }));
  app.use(liveness());
  app.use(chooseLanguage()); // before handleErrors: error pages and bodies speak the request's language
  app.use(handleErrors(web.views, web.refusals));
  app.use(serveAssets());
  app.use(explainInsecureTransport(config.server.publicUrl.startsWith('https:')));
  app.use(forBrowserSessions(sessionMiddleware(app, config, store, deps.clock)));
  app.use(forBrowserSessions(loadUser(config, deps.clock)));
  app.use(forBrowserSessions(rereadIdentity(web)));
  app.use(refuseEncodedBodies());
  app.use(samlAcsBodyParser()); // the SAML ACS alone takes forms up to 256 KiB: see saml-sp.ts
  app.use(parseBodies());
  app.use(routes); // 405 and 501 with `Allow` too; handleErrors writes the body
  return app;
}
