import { z } from 'zod';
import { SITES } from './defaults.js';
import type { AlibabaSettings, BridgeConfig, Grant, Idp, OidcIdp, Role, SamlIdp } from './model.js';
import { OIDC_PRESETS } from './presets.js';
import { problemsFromZod, type ConfigProblem } from './problems.js';
import { checkReferences, parseRoleArn } from './references.js';
import { SAML_PRESETS, type SamlIdpConfig } from './saml.js';
import { configSchema, type OidcIdpConfig, type RawConfig, type RedisStoreConfig } from './schema.js';
import { isLoopbackUrl } from './urls.js';

export type ValidationResult = { ok: true; config: BridgeConfig } | { ok: false; problems: ConfigProblem[] };

/** Validates parsed (and env-expanded) YAML: schema and cross-references, all problems at once. */
export function validateConfig(input: unknown): ValidationResult {
  const parsed = configSchema.safeParse(input);
  const problems = [...(parsed.success ? [] : problemsFromZod(parsed.error.issues)), ...checkReferences(input)];
  if (!parsed.success || problems.length > 0) return { ok: false, problems: dedupe(problems) };
  return { ok: true, config: resolve(parsed.data) };
}

/** The part of the configuration that decides who gets which role: all `explain` needs. */
export type MappingConfig = Pick<BridgeConfig, 'accounts' | 'roles' | 'grants'>;

/** The top-level keys of the mapping; their values are checked as in the full configuration. */
export const MAPPING_KEYS = ['accounts', 'roles', 'grants'] as const;

const mappingSchema = z.object({
  accounts: configSchema.shape.accounts,
  roles: configSchema.shape.roles,
  grants: configSchema.shape.grants,
});

/**
 * Validates only accounts, roles and grants (schema and cross-references between them), ignoring
 * the rest: the server, IdPs and keys name secrets an administrator explaining a mapping — or a
 * reviewer of a pull request — does not have, and have no say in who gets which role.
 */
export function validateMapping(input: unknown): { ok: true; config: MappingConfig } | { ok: false; problems: ConfigProblem[] } {
  const parsed = mappingSchema.safeParse(input);
  const references = checkReferences(input).filter((p) => isMappingPath(p.path));
  const problems = [...(parsed.success ? [] : problemsFromZod(parsed.error.issues)), ...references];
  if (!parsed.success || problems.length > 0) return { ok: false, problems: dedupe(problems) };
  const raw = parsed.data;
  return {
    ok: true,
    config: {
      accounts: raw.accounts,
      roles: raw.roles.map((r) => resolveRole(r, raw)),
      grants: raw.grants.map((g, i): Grant => ({ ...g, id: g.id ?? `grants[${i}]` })),
    },
  };
}

/** Whether a problem's path (`roles[2].account`) lies inside the mapping. */
export function isMappingPath(path: string): boolean {
  return MAPPING_KEYS.some((key) => path === key || path.startsWith(`${key}[`) || path.startsWith(`${key}.`));
}

function resolve(raw: RawConfig): BridgeConfig {
  // The scheme in lower case (`HTTPS://` → `https://`): every check of `https:` on it, for cookies,
  // HSTS and warnings, compares it as written here. Nothing else is touched: the host, port and path
  // are in identifiers operators registered at their IdPs and in RAM (ACS URL, entity ids, issuer).
  const publicUrl = raw.server.publicUrl.replace(/^[A-Za-z][A-Za-z0-9+.-]*:/, (scheme) => scheme.toLowerCase()).replace(/\/+$/, '');
  const warnings: string[] = [];
  const idps = raw.idps.map((idp) => resolveIdp(idp, publicUrl, warnings));
  if (publicUrl.startsWith('http:') && !isLoopbackUrl(publicUrl)) {
    warnings.push(`server.publicUrl is plain http on a non-loopback host: session cookies travel unencrypted`);
    if (raw.idps.some((idp) => idp.type === 'saml')) {
      // SameSite=None needs Secure, which browsers keep on plain http only for loopback.
      warnings.push(
        'server.publicUrl is plain http on a non-loopback host: the sign-in cookie cannot be SameSite=None, so a SAML IdP on ' +
          'another site posts its answer without it and every SAML sign-in ends in ERR_AUTH_FLOW_MISSING; use https',
      );
    }
  }
  if (publicUrl.startsWith('https:') && raw.server.trustProxy === 0) {
    warnings.push(
      'server.publicUrl is https but server.trustProxy is 0: the bridge itself serves plain http, so behind a TLS-terminating proxy ' +
        'every sign-in fails (ERR_TRANSPORT_INSECURE); set trustProxy to the number of proxies in front of it',
    );
  }
  warnings.push(...idpScopeWarnings(raw));
  if (raw.store.type === 'redis') warnings.push(...redisWarnings(raw.store));
  return {
    server: { ...raw.server, publicUrl },
    idps,
    alibaba: resolveAlibaba(raw.alibaba),
    accounts: raw.accounts,
    roles: raw.roles.map((r) => resolveRole(r, raw)),
    issuer: raw.issuer && {
      ...raw.issuer,
      samlEntityId: raw.issuer.samlEntityId ?? `${publicUrl}/saml/idp/metadata`,
      oidcIssuer: publicUrl,
    },
    elevation: raw.elevation,
    device: raw.device,
    support: raw.support,
    grants: raw.grants.map((g, i): Grant => ({ ...g, id: g.id ?? `grants[${i}]` })),
    store: raw.store,
    log: raw.log,
    audit: raw.audit,
    metrics: raw.metrics,
    warnings,
  };
}

function redisWarnings(store: RedisStoreConfig): string[] {
  const warnings: string[] = [];
  if (store.url?.startsWith('redis:') && !isLoopbackUrl(store.url)) {
    warnings.push(`store.url is plain redis:// to a non-loopback host: sessions and its password travel unencrypted (use rediss://)`);
  }
  const nodes = store.sentinel?.sentinels ?? store.cluster?.nodes ?? [];
  if (!store.tls && nodes.some((n) => !isLoopbackUrl(`redis://${n}`))) {
    warnings.push(`store: Redis nodes on other hosts without tls: sessions and the password travel unencrypted (add store.tls)`);
  }
  if (!store.encryptionKeys) {
    warnings.push(`store.encryptionKeys is not set: identities, sessions and IdP refresh tokens are stored in Redis in plain text`);
  }
  return warnings;
}

/**
 * With several IdPs, a group name means nothing on its own: whoever names groups at any of them (a
 * partner's administrator, a user who may create groups) gets what a grant gives that name.
 * Allowed, as one IdP's groups may be meant for all, but said at start for each unlimited grant.
 */
function idpScopeWarnings(raw: RawConfig): string[] {
  if (raw.idps.length < 2) return [];
  const ids = raw.idps.map((idp) => idp.id).join(', ');
  const warnings = raw.grants.flatMap((grant, i) =>
    grant.when?.idps
      ? []
      : [
          `grants[${i}]${grant.id ? ` (${grant.id})` : ''} has no when.idps: its groups are matched at every IdP (${ids}), ` +
            'so a group of that name at any of them gives its roles; limit it with when.idps',
        ],
  );
  if (raw.support.adminGroups.length > 0 && !raw.support.adminIdps) {
    warnings.push(
      `support.adminGroups are matched at every IdP (${ids}), so a group of that name at any of them shows the explain ` +
        'command; limit them with support.adminIdps',
    );
  }
  return warnings;
}

function resolveIdp(idp: RawConfig['idps'][number], publicUrl: string, warnings: string[]): Idp {
  if (idp.type === 'oidc') return resolveOidcIdp(idp, publicUrl, warnings);
  warnings.push(...samlWeakenings(idp));
  return resolveSamlIdp(idp, publicUrl);
}

/** Settings of a SAML IdP that trust it further than its preset does: allowed, but said at start. */
function samlWeakenings(idp: SamlIdpConfig): string[] {
  const preset = SAML_PRESETS[idp.preset];
  const found: string[] = [];
  if (idp.requireSigned !== undefined && idp.requireSigned !== preset.requireSigned && preset.requireSigned === 'both') {
    found.push(
      `idps.${idp.id}.requireSigned is ${idp.requireSigned}, weaker than the ${idp.preset} preset's "both": ` +
        'an answer with one signature is accepted',
    );
  }
  if (idp.emailVerified === true && !preset.emailVerified) {
    found.push(
      `idps.${idp.id}.emailVerified is on: its email attribute names the user toward Alibaba Cloud and satisfies ` +
        'emailDomains grants; make sure users cannot choose their own address at this IdP',
    );
  }
  return found;
}

/** A SAML IdP with its preset applied and our endpoints derived (also used by the demo's SimpleSAMLphp). */
export function resolveSamlIdp(idp: SamlIdpConfig, publicUrl: string): SamlIdp {
  const preset = SAML_PRESETS[idp.preset];
  const a = idp.attributes ?? {};
  return {
    ...idp,
    displayName: idp.displayName ?? idp.id,
    attributes: {
      email: a.email ?? preset.email,
      groups: a.groups ?? [...preset.groups],
      name: a.name ?? preset.name,
      firstName: a.firstName ?? preset.firstName,
      lastName: a.lastName ?? preset.lastName,
    },
    nameIdFormat: idp.nameIdFormat ?? preset.nameIdFormat,
    emailVerified: idp.emailVerified ?? preset.emailVerified,
    requireSigned: idp.requireSigned ?? preset.requireSigned,
    spEntityId: idp.spEntityId ?? samlSpEndpoints(publicUrl, idp.id).entityId,
    acsUrl: samlSpEndpoints(publicUrl, idp.id).acsUrl,
  };
}

/** Our SP endpoints for SAML IdP `id`: the default entityID (where our metadata is) and the ACS. */
export function samlSpEndpoints(publicUrl: string, id: string): { entityId: string; acsUrl: string } {
  return { entityId: `${publicUrl}/saml/${id}/metadata`, acsUrl: `${publicUrl}/saml/${id}/acs` };
}

function resolveOidcIdp(idp: OidcIdpConfig, publicUrl: string, warnings: string[]): OidcIdp {
  const preset = OIDC_PRESETS[idp.preset];
  if (idp.insecureAllowHttp) {
    warnings.push(`idps.${idp.id}.insecureAllowHttp is on: ID tokens may be fetched over plain http`);
  }
  return {
    ...idp,
    displayName: idp.displayName ?? idp.id,
    scopes: idp.scopes ?? [...preset.scopes],
    claims: {
      groups: idp.claims?.groups ?? [...preset.claims.groups],
      email: idp.claims?.email ?? preset.claims.email,
      name: idp.claims?.name ?? preset.claims.name,
    },
    redirectUri: `${publicUrl}/oidc/${idp.id}/callback`,
  };
}

function resolveAlibaba(a: RawConfig['alibaba']): AlibabaSettings {
  const site = SITES[a.site];
  const signinUrl = (a.signinUrl ?? site.signinUrl).replace(/\/+$/, '');
  return {
    site: a.site,
    stsEndpoint: a.stsEndpoint ?? site.stsEndpoint,
    signinUrl,
    consoleUrl: a.consoleUrl ?? site.consoleUrl,
    samlAudience: site.samlAudience,
    samlRecipient: `${site.signinUrl}/saml-role/sso`,
    roleSsoUrl: `${signinUrl}/saml-role/sso`,
    consoleDestinations: a.consoleDestinations,
    stsConnectTimeoutMs: a.stsConnectTimeoutMs,
    stsReadTimeoutMs: a.stsReadTimeoutMs,
    stsMaxAttempts: a.stsMaxAttempts,
  };
}

function resolveRole(role: RawConfig['roles'][number], raw: Pick<RawConfig, 'accounts'>): Role {
  // checkReferences has proven the account exists and the ARN (if any) is well-formed.
  const account = raw.accounts.find((a) => a.alias === role.account)!;
  const roleName = role.role.startsWith('acs:') ? parseRoleArn(role.role)!.roleName : role.role;
  const base = { ...role, roleName };
  const resolved =
    typeof role.via === 'object' ? { ...base, via: 'chain' as const, chainFrom: role.via.chainFrom } : { ...base, via: role.via };
  const providerArn =
    resolved.via === 'saml'
      ? `acs:ram::${account.id}:saml-provider/${account.samlProvider}`
      : resolved.via === 'oidc'
        ? `acs:ram::${account.id}:oidc-provider/${role.oidcPassThrough?.provider ?? account.oidcProvider}`
        : undefined;
  return {
    ...resolved,
    accountId: account.id,
    accountAlias: account.alias,
    accountName: account.displayName ?? account.alias,
    arn: `acs:ram::${account.id}:role/${roleName}`,
    providerArn,
  };
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
