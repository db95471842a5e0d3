import type { BridgeConfig, Idp } from '../config/index.js';
import type { Connector } from './connector.js';
import { OidcConnector } from './oidc/connector.js';
import { SamlConnector, type SamlConnectorDeps } from './saml/connector.js';

export type { Connector, FlowSecrets, IdpAnswer, LoginStart } from './connector.js';
export type { Identity } from './identity.js';
export { SamlConnector } from './saml/connector.js';

/** What connectors may keep state in and read the time from: SAML remembers request and assertion IDs. */
export type ConnectorDeps = SamlConnectorDeps & {
  /** Keep the IdP's raw ID token on the Identity (a role uses `oidcPassThrough`). */
  keepIdToken?: boolean;
};

/** One connector per configured IdP, by type. */
export function createConnector(idp: Idp, deps: ConnectorDeps): Connector {
  switch (idp.type) {
    case 'oidc':
      return new OidcConnector(idp, { clock: deps.clock, keepIdToken: deps.keepIdToken });
    case 'saml':
      return new SamlConnector(idp, deps);
  }
}

/** One connector per configured IdP, by id. Roles passing the IdP's own ID token to STS make the OIDC connectors keep it. */
export function createConnectors(config: BridgeConfig, deps: SamlConnectorDeps): Map<string, Connector> {
  const keepIdToken = config.roles.some((r) => r.oidcPassThrough);
  return new Map(config.idps.map((idp) => [idp.id, createConnector(idp, { ...deps, keepIdToken })]));
}
