import type { Idp } from '../config/index.js';
import type { Connector, ConnectorDeps } from './connector.js';
import { OidcConnector } from './oidc/connector.js';
import { SamlConnector } from './saml/connector.js';

export type { Connector, ConnectorData, ConnectorDeps, FlowSecrets, IdpAnswer, LoginResult, LoginStart } from './connector.js';
export type { Identity } from './identity.js';
export { SamlConnector } from './saml/connector.js';

/** One connector per configured IdP, by type, all built from the same deps. */
export function createConnector(idp: Idp, deps: ConnectorDeps): Connector {
  switch (idp.type) {
    case 'oidc':
      return new OidcConnector(idp, deps);
    case 'saml':
      return new SamlConnector(idp, deps);
  }
}
