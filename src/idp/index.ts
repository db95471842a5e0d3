import type { Idp } from '../config/index.js';
import type { Connector } from './connector.js';
import { OidcConnector } from './oidc/connector.js';

export type { Connector, FlowSecrets, IdpAnswer, LoginStart } from './connector.js';
export type { Identity } from './identity.js';

/** One connector per configured IdP, by type. */
export function createConnector(idp: Idp): Connector {
  switch (idp.type) {
    case 'oidc':
      return new OidcConnector(idp);
    case 'saml':
      throw new TypeError(`SAML IdP "${idp.id}": the SAML connector is not available in this build`);
  }
}
