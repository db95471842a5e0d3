/**
 * Claim names used by well-known IdPs, so a config only names the preset. Explicit `claims` in the
 * config override single entries.
 */
export interface ClaimNames {
  /** Claims holding group names or ids; values from all of them are merged. */
  groups: string[];
  email: string;
  name: string;
}

export const OIDC_PRESETS = {
  /** Okta: a `groups` claim configured on the authorization server (groups scope). */
  okta: {
    claims: { groups: ['groups'], email: 'email', name: 'name' },
    scopes: ['openid', 'email', 'profile', 'groups'],
  },
  /**
   * Entra ID: `groups` (object ids, or names when "cloud-only group display names" is chosen) and
   * app `roles`. More than 200 groups triggers the overage claim instead (handled in claims.ts).
   */
  entra: {
    claims: { groups: ['groups', 'roles'], email: 'email', name: 'name' },
    scopes: ['openid', 'email', 'profile'],
  },
  generic: {
    claims: { groups: ['groups'], email: 'email', name: 'name' },
    scopes: ['openid', 'email', 'profile', 'groups'],
  },
} as const satisfies Record<string, { claims: ClaimNames; scopes: readonly string[] }>;
