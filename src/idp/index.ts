import type { BridgeConfig, Idp } from '../config/index.js';
import type { Connector, ConnectorDeps } from './connector.js';
import { OidcConnector } from './oidc/connector.js';
import { SamlConnector } from './saml/connector.js';

export type { Connector, ConnectorData, ConnectorDeps, FlowSecrets, IdpAnswer, LoginResult, LoginStart } from './connector.js';
export type { Identity } from './identity.js';
export { SamlConnector } from './saml/connector.js';

/**
 * The connector for one configured IdP, by its type. `previous`: the connector this one replaces
 * (a reload), whose loaded trust it may start from.
 */
export function createConnector(idp: Idp, deps: ConnectorDeps, previous?: Connector): Connector {
  switch (idp.type) {
    case 'oidc':
      return new OidcConnector(idp, deps);
    case 'saml':
      return new SamlConnector(idp, deps, previous instanceof SamlConnector ? previous : undefined);
  }
}

/**
 * One connector per configured IdP, by id. Roles passing the IdP's own ID token to STS make the
 * OIDC connectors keep it. `previous`: the connectors a reload replaces.
 */
export function createConnectors(
  config: BridgeConfig,
  deps: Omit<ConnectorDeps, 'keepIdToken'>,
  previous?: Map<string, Connector>,
): Map<string, Connector> {
  const keepIdToken = config.roles.some((r) => r.oidcPassThrough);
  return new Map(config.idps.map((idp) => [idp.id, createConnector(idp, { ...deps, keepIdToken }, previous?.get(idp.id))]));
}
