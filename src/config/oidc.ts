import { z } from 'zod';
import { DEFAULTS } from './defaults.js';
import { httpUrl, slug } from './fields.js';
import { OIDC_PRESETS } from './presets.js';
import { isLoopbackUrl } from './urls.js';

/**
 * Configuration of an upstream OpenID Connect IdP (the bridge as Relying Party), including the
 * refusal of Entra ID's multi-tenant issuers. Kept apart from the SAML schema (saml.ts).
 */

export const oidcIdpSchema = z
  .strictObject({
    id: slug,
    type: z.literal('oidc'),
    displayName: z.string().min(1).optional(),
    preset: z.enum(Object.keys(OIDC_PRESETS) as [keyof typeof OIDC_PRESETS]).default(DEFAULTS.idp.preset),
    /** Exact issuer; for Entra use the tenant-specific v2.0 issuer, never /common. */
    issuer: httpUrl,
    clientId: z.string().min(1),
    /** Omit for a public client (PKCE still protects the code). */
    clientSecret: z.string().min(1).optional(),
    scopes: z.array(z.string().min(1)).optional(),
    claims: z
      .strictObject({
        groups: z.array(z.string().min(1)).min(1).optional(),
        email: z.string().min(1).optional(),
        name: z.string().min(1).optional(),
      })
      .optional(),
    /** Entra: only ID tokens whose `tid` is listed are accepted. */
    allowedTenants: z.array(z.string().min(1)).optional(),
    idTokenSigningAlg: z.enum(['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA']).default(DEFAULTS.idp.idTokenSigningAlg),
    clockToleranceSeconds: z.number().int().min(0).max(300).default(DEFAULTS.idp.clockToleranceSeconds),
    /** Allow a plain-http issuer. Loopback development IdPs only; warns at start-up. */
    insecureAllowHttp: z.boolean().default(DEFAULTS.idp.insecureAllowHttp),
    /**
     * Re-read the user's groups (and email, name, amr) at the IdP on every CLI refresh, and in a
     * browser session once its identity is one access-token lifetime old, so a user
     * removed from a group or disabled at the IdP loses the roles, or the CLI session, within one
     * access-token lifetime instead of at the end of the session. The bridge then asks for
     * `offline_access` on top of `scopes` and keeps the IdP's refresh token: a long-lived
     * credential, kept only server-side (in the store, with the session; never in a cookie, a
     * token or a log line). The IdP's app registration must allow the refresh_token grant.
     */
    refreshGroups: z.boolean().default(DEFAULTS.idp.refreshGroups),
    /** Seconds after which discovery is fetched again (next sign-in or /readyz). */
    discoveryRefreshSeconds: z.number().int().min(10).max(86400).default(DEFAULTS.idp.discoveryRefreshSeconds),
  })
  .superRefine((idp, ctx) => {
    if (isEntraMultiTenantIssuer(idp.issuer)) {
      ctx.addIssue({
        code: 'custom',
        path: ['issuer'],
        message:
          'a multi-tenant Entra ID issuer accepts users of every tenant, and the tenant that signs a user in is not this issuer: ' +
          `use ${new URL(idp.issuer).origin}/<tenant id>/v2.0`,
      });
    }
    if (!idp.issuer.startsWith('http:')) return;
    if (!idp.insecureAllowHttp) {
      ctx.addIssue({
        code: 'custom',
        path: ['issuer'],
        message: 'plain-http issuer; use https (or insecureAllowHttp: true for a loopback development IdP)',
      });
    } else if (!isLoopbackUrl(idp.issuer)) {
      ctx.addIssue({
        code: 'custom',
        path: ['insecureAllowHttp'],
        message: 'plain http is only allowed for loopback issuers (127.0.0.1, localhost)',
      });
    }
  });

/**
 * Entra ID's `/common`, `/organizations` and `/consumers` issuers (in every Microsoft cloud): the
 * ID tokens they hand out name the user's own tenant as `iss`, so a session started through one
 * would fail its next check against the configured issuer, and any tenant's users could sign in.
 */
function isEntraMultiTenantIssuer(issuer: string): boolean {
  if (!URL.canParse(issuer)) return false;
  const { hostname, pathname } = new URL(issuer);
  const entraHost = /^login\.(microsoftonline\.(com|us)|partner\.microsoftonline\.cn|chinacloudapi\.cn)$/i.test(hostname);
  // Entra reads the tenant from the path as decoded: `%63ommon` is `common` there.
  const tenant = safelyDecoded(pathname.split('/')[1] ?? '');
  return entraHost && /^(common|organizations|consumers)$/i.test(tenant);
}

function safelyDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export type OidcIdpConfig = z.infer<typeof oidcIdpSchema>;
