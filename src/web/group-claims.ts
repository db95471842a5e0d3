import type { BridgeConfig } from '../config/index.js';

/**
 * The claims (OIDC) or attributes (SAML) an IdP's groups are read from, by IdP id: what to tell an
 * admin when a user arrives without groups. Names only, from the config: never a value.
 */
export function groupClaimNames(config: BridgeConfig, idpId: string): string[] {
  const idp = config.idps.find((i) => i.id === idpId);
  if (!idp) return [];
  return idp.type === 'oidc' ? idp.claims.groups : idp.attributes.groups;
}
