import { BridgeError, sentence } from '../../errors.js';
import type { OidcIdp } from '../../config/index.js';
import type { Identity } from '../identity.js';

type Claims = Record<string, unknown>;

/**
 * Normalises verified ID-token claims into an Identity. Groups come from every configured claim
 * (Entra sends `groups` and app `roles`), single strings and arrays alike.
 */
export function identityFromClaims(idp: OidcIdp, claims: Claims): Identity {
  rejectGroupsOverage(claims, idp.claims.groups);
  checkTenant(idp, claims);
  const groups = new Set<string>();
  for (const name of idp.claims.groups) {
    for (const g of stringList(claims[name])) groups.add(g);
  }
  return {
    idp: idp.id,
    issuer: String(claims.iss),
    subject: String(claims.sub),
    email: verifiedEmail(idp, claims),
    name: optionalString(claims[idp.claims.name]),
    groups: [...groups],
    amr: stringList(claims.amr),
    authTime: typeof claims.auth_time === 'number' ? claims.auth_time : undefined,
  };
}

/**
 * Entra replaces `groups` by a pointer to Graph when a user is in more than 200 groups (150 in
 * SAML); any IdP may send a configured group claim as such a pointer (a distributed or aggregated
 * claim, OIDC Core §5.6.2). Silently treating that user as group-less would hide roles they should have.
 */
function rejectGroupsOverage(claims: Claims, groupClaims: readonly string[]): void {
  const names = claims._claim_names;
  const pointed = typeof names === 'object' && names !== null && ['groups', ...groupClaims].some((name) => Object.hasOwn(names, name));
  if (claims.hasgroups === true || pointed) {
    throw new BridgeError('ERR_AUTH_GROUPS_OVERAGE', {
      userMessage: sentence('err.ERR_AUTH_GROUPS_OVERAGE.token'),
      hint: sentence('hint.overageOidc'),
    });
  }
}

function checkTenant(idp: OidcIdp, claims: Claims): void {
  if (!idp.allowedTenants) return;
  if (typeof claims.tid !== 'string' || !idp.allowedTenants.includes(claims.tid)) {
    throw new BridgeError('ERR_AUTH_TENANT_NOT_ALLOWED', {
      userMessage: sentence('err.ERR_AUTH_TENANT_NOT_ALLOWED'),
      detail: { tid: claims.tid },
    });
  }
}

/**
 * The email, only when the IdP says it verified it (OIDC Core §5.1 `email_verified`). At many IdPs
 * users or other tenants' admins can set an address they do not own (Entra's `email` claim: nOAuth),
 * and an email satisfies `emailDomains` grants and names the user toward Alibaba Cloud: an
 * unverified one is left out entirely. Some IdPs (Cognito) send the flag as a string. Entra sends
 * no `email_verified`; its optional claim `xms_edov` says the address's domain is verified by the
 * tenant that owns it, which is what an `emailDomains` grant relies on.
 */
function verifiedEmail(idp: OidcIdp, claims: Claims): string | undefined {
  const verified =
    claims.email_verified === true || claims.email_verified === 'true' || (idp.preset === 'entra' && claims.xms_edov === true);
  return verified ? optionalString(claims[idp.claims.email]) : undefined;
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.length > 0);
  return [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
