import { z } from 'zod';
import { DEFAULTS, DURATION_BOUNDS } from './defaults.js';
import { httpUrl, slug } from './fields.js';
import { oidcIdpSchema } from './oidc.js';
import { redisStoreSchema } from './redis.js';
import { samlIdpSchema } from './saml.js';
import { isPolicyDocument, policyText, SESSION_POLICY_MAX_BYTES } from './session-policy.js';
import { isLoopbackUrl, isStsEndpointHost, stsEndpointSetting } from './urls.js';

/**
 * The shape of one bridge configuration file. Objects are strict: an unknown key is a typo until
 * proven otherwise, and a silently ignored security setting is worse than a refusal to start.
 * Cross-references (a role naming an unknown account…) are checked in validate.ts.
 */

const ACCOUNT_ID_RULE = 'an Alibaba Cloud account id is 16 digits, quoted in YAML ("1234567890123456")';
/** Unquoted, YAML reads the id as a number (and 16 digits lose their last ones in a double). */
const accountId = z
  .string({ error: (issue) => (typeof issue.input === 'number' ? `${ACCOUNT_ID_RULE}: unquoted, it is read as a number` : undefined) })
  .regex(/^\d{16}$/, ACCOUNT_ID_RULE);

const ramName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,126}[A-Za-z0-9]$|^[A-Za-z0-9]$/, 'letters, digits, ".", "_" and "-"');

const duration = z
  .number()
  .int()
  .min(DURATION_BOUNDS.min, `at least ${DURATION_BOUNDS.min} seconds`)
  .max(DURATION_BOUNDS.max, `at most ${DURATION_BOUNDS.max} seconds`);

/** An http(s) URL secrets are sent to: https, or plain http on this machine only (the emulator). */
const secretsUrl = httpUrl.refine(
  (url) => new URL(url).protocol === 'https:' || isLoopbackUrl(url),
  'plain http sends secrets in clear: use https (plain http only for a loopback address, such as the emulator)',
);

/**
 * The URL users reach the bridge at: every other URL (redirect URIs, ACS, entity ids, the OIDC
 * issuer) is it plus a path, so a query or fragment would break them all, and a user name or
 * password would be published in the metadata, tokens and log.
 */
const publicUrl = httpUrl.superRefine((value, ctx) => {
  if (!URL.canParse(value)) return;
  const url = new URL(value);
  const part =
    url.username || url.password
      ? 'a user name or password'
      : value.includes('?')
        ? 'a query (?…)'
        : value.includes('#')
          ? 'a fragment (#…)'
          : undefined;
  if (part) ctx.addIssue({ code: 'custom', message: `${part} has no place here: scheme, host, optional port and path only` });
});

const serverSchema = z.strictObject({
  /** The URL users and IdPs reach the bridge at; redirect URIs and issuer are derived from it. */
  publicUrl,
  host: z.string().default(DEFAULTS.server.host),
  /** A number, or a string of digits (what `${PORT}` expands to). */
  port: z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
    z.number().int().min(0).max(65535).default(DEFAULTS.server.port),
  ),
  /** Cookie signing keys, newest first (older ones still verify, for rotation). */
  sessionSecrets: z.array(z.string().min(32, 'session secrets need at least 32 characters')).min(1),
  sessionMaxAgeSeconds: z.number().int().positive().default(DEFAULTS.server.sessionMaxAgeSeconds),
  sessionIdleSeconds: z.number().int().positive().default(DEFAULTS.server.sessionIdleSeconds),
  /** Browser sessions one user may hold at once; a sign-in beyond it ends their oldest. */
  maxSessionsPerUser: z.number().int().min(1).max(1000).default(DEFAULTS.server.maxSessionsPerUser),
  loginFlowTtlSeconds: z.number().int().min(60).max(3600).default(DEFAULTS.server.loginFlowTtlSeconds),
  /**
   * How many reverse proxies stand in front of the bridge (0: none). The client address is the
   * X-Forwarded-For entry that many hops from the right; X-Forwarded-Proto is trusted. `true` is
   * read as 1 and `false` as 0 (older files).
   */
  trustProxy: z.union([z.boolean().transform((on) => (on ? 1 : 0)), z.number().int().min(0).max(10)]).default(DEFAULTS.server.trustProxy),
  /** Seconds requests in flight may take to finish once a stop is asked for; then connections are cut. */
  shutdownGraceSeconds: z.number().int().min(0).max(300).default(DEFAULTS.server.shutdownGraceSeconds),
});

const idpSchema = z.discriminatedUnion('type', [oidcIdpSchema, samlIdpSchema]);

/**
 * One console page users may land on. `service` (`ecs`, `oss`…) names it for
 * `/roles/<id>/console?service=ecs` and `rambridge console ROLE --service ecs`; `region` tells two
 * pages of one service apart. Both optional: a destination with a label and a URL stays valid.
 */
const consoleDestinationSchema = z
  .strictObject({
    label: z.string().min(1),
    url: httpUrl,
    service: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'a short lower-case name such as ecs, oss or actiontrail')
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2,4}(-[a-z0-9]+)+$/, 'an Alibaba Cloud region id such as cn-hangzhou or ap-southeast-1')
      .optional(),
  })
  .refine((d) => d.region === undefined || d.service !== undefined, { path: ['region'], message: 'a region needs a service' });

/** `--service ecs [--region …]` must name one page: the same service and region twice is a typo. */
function noDuplicateServices(destinations: { service?: string; region?: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [i, d] of destinations.entries()) {
    if (d.service === undefined) continue;
    const key = `${d.service}/${d.region ?? ''}`;
    if (seen.has(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'service'],
        message: `service ${d.service}${d.region ? ` in ${d.region}` : ''} is listed twice`,
      });
    }
    seen.add(key);
  }
}

/**
 * Whether the host STS would be called at for `alibaba.stsEndpoint` (stsEndpointSetting, as the STS
 * client is built) has the form the client accepts. An empty value or a URL that does not parse is
 * said once, by the checks before this one.
 */
function hasStsEndpointHost(endpoint: string): boolean {
  if (endpoint === '' || (endpoint.includes('://') && !URL.canParse(endpoint))) return true;
  return isStsEndpointHost(stsEndpointSetting(endpoint).endpoint);
}

const alibabaSchema = z.strictObject({
  site: z.enum(['intl', 'cn']).default(DEFAULTS.alibaba.site),
  /** STS endpoint host (e.g. sts.cn-hangzhou.aliyuncs.com, sts-vpc.…) or a full URL (the emulator). */
  stsEndpoint: z
    .string()
    .min(1)
    .refine((endpoint) => !endpoint.includes('://') || secretsUrl.safeParse(endpoint).success, {
      error: 'as a URL, https (plain http only for a loopback address, such as the emulator): assertions, tokens and credentials cross it',
    })
    .refine(hasStsEndpointHost, {
      error:
        'host[:port] with no scheme, path or space, such as sts.cn-hangzhou.aliyuncs.com or sts-vpc.cn-hangzhou.aliyuncs.com (or an https URL)',
    })
    .optional(),
  /** Base URL of the sign-in service (federation, saml-role/sso): STS credentials are posted to it. */
  signinUrl: secretsUrl.optional(),
  /** Where "Open console" lands when a role has no destination of its own. */
  consoleUrl: httpUrl.optional(),
  /** Console pages a user may pick as destination (exact URLs or prefixes ending in `/`). */
  consoleDestinations: z.array(consoleDestinationSchema).superRefine(noDuplicateServices).default([]),
  /** STS client timeouts and retries. */
  stsConnectTimeoutMs: z.number().int().min(100).max(60_000).default(DEFAULTS.alibaba.stsConnectTimeoutMs),
  stsReadTimeoutMs: z.number().int().min(100).max(120_000).default(DEFAULTS.alibaba.stsReadTimeoutMs),
  stsMaxAttempts: z.number().int().min(1).max(5).default(DEFAULTS.alibaba.stsMaxAttempts),
});

const accountSchema = z.strictObject({
  alias: slug,
  id: accountId,
  displayName: z.string().min(1).optional(),
  /** Names of the bridge's providers registered in this account's RAM. */
  samlProvider: ramName.default(DEFAULTS.account.samlProvider),
  oidcProvider: ramName.default(DEFAULTS.account.oidcProvider),
});

const roleSchema = z.strictObject({
  /** Also the role's deep link, `/roles/<id>`; the action paths are reserved. */
  id: slug.refine((id) => !['console', 'credentials'].includes(id), 'reserved (used by /roles/console and /roles/credentials)'),
  account: slug,
  /** A RAM role name, or its full ARN `acs:ram::<account>:role/<name>`. */
  role: z.string().min(1),
  /**
   * How the bridge vouches for the user toward RAM: a minted SAML Response, a minted OIDC ID token,
   * or `{chainFrom: <role id>}`: assume that role first, then AssumeRole into this one.
   */
  via: z.union([z.enum(['saml', 'oidc']), z.strictObject({ chainFrom: slug })]).default(DEFAULTS.role.via),
  maxSessionDuration: duration.default(DEFAULTS.role.maxSessionDuration),
  description: z.string().optional(),
  /** A RAM policy document passed as STS `Policy` on every assumption, to narrow the session. */
  sessionPolicy: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .optional()
    .refine((policy) => policy === undefined || isPolicyDocument(policy), {
      message:
        'not a policy document: write a JSON object with its statements ({"Version": "1", "Statement": [...]}), as YAML or as ' +
        'JSON text; STS would refuse every issuance of this role',
      abort: true,
    })
    .refine(
      (policy) => policy === undefined || Buffer.byteLength(policyText(policy)) <= SESSION_POLICY_MAX_BYTES,
      `over ${SESSION_POLICY_MAX_BYTES} bytes as sent to STS (compact JSON): STS's older documents and its error text give that limit (docs/alibaba-cloud-reference.md §10)`,
    ),
  /** "Open console": `federation` (STS + sign-in token) or `saml-post` (POST to role SSO; via saml only). */
  console: z.enum(['federation', 'saml-post']).default(DEFAULTS.role.console),
  /** Where the console opens; default the site's console home. */
  consoleDestination: httpUrl.optional(),
  /** Temporary elevated access: needs a recent MFA and a written justification; duration capped. */
  elevated: z.boolean().default(DEFAULTS.role.elevated),
  /**
   * oidc roles only, off by default: hand the corporate IdP's own ID token to AssumeRoleWithOIDC
   * instead of a bridge-minted one. `provider` names the RAM OIDC provider registered for the
   * corporate IdP. The token lives as long as the IdP made it (often an hour after sign-in).
   */
  oidcPassThrough: z.strictObject({ provider: ramName }).optional(),
  /**
   * via oidc only: the `aud` of ID tokens minted for this role, instead of `issuer.oidcAudience`.
   * Give each role its own, register them all as client ids of the RAM OIDC provider and require
   * the role's own with `oidc:aud` in its trust policy: RAM then refuses a token minted for one
   * role (leaked, or replayed within its lifetime) for every other role.
   */
  oidcAudience: z.string().min(1).max(128).optional(),
});

const keyPairSchema = z.strictObject({
  /** PEM text, or a path to a PEM file. */
  privateKey: z.string().min(1),
  /** X.509 certificate (PEM text or path); required for SAML keys, which RAM trusts by certificate. */
  certificate: z.string().min(1).optional(),
});

const issuerSchema = z.strictObject({
  /** Signing keys of the bridge's SAML IdP, newest first: the first signs, all are published. */
  samlKeys: z.array(keyPairSchema).min(1),
  /** Signing keys of the bridge's OIDC issuer (and CLI access tokens), newest first. */
  oidcKeys: z.array(keyPairSchema).min(1),
  /** Our SAML IdP entityID; default `${publicUrl}/saml/idp/metadata`. */
  samlEntityId: z.string().min(1).optional(),
  /** Also sign the SAML Response element, not only the Assertion. */
  signSamlResponse: z.boolean().default(DEFAULTS.issuer.signSamlResponse),
  /** `aud` of ID tokens minted for AssumeRoleWithOIDC (the client id registered in RAM). */
  oidcAudience: z.string().min(1).default(DEFAULTS.issuer.oidcAudience),
  /** Lifetime of minted SAML assertions, seconds (at most 5 minutes). */
  tokenLifetimeSeconds: z.number().int().min(30).max(300).default(DEFAULTS.issuer.tokenLifetimeSeconds),
  /** Lifetime of minted ID tokens for AssumeRoleWithOIDC, seconds: only as long as the STS call needs. */
  oidcTokenLifetimeSeconds: z.number().int().min(10).max(300).default(DEFAULTS.issuer.oidcTokenLifetimeSeconds),
  /** Secret for the stable pseudonymous `sub` and RoleSessionName suffix; never rotate it casually. */
  subjectSecret: z.string().min(32, 'at least 32 characters'),
});

const elevationSchema = z.strictObject({
  /** Longest session an elevated role may get, seconds. */
  maxSessionDuration: duration.default(DEFAULTS.elevation.maxSessionDuration),
  /** The IdP sign-in with MFA must be at most this old, seconds. */
  mfaMaxAgeSeconds: z.number().int().positive().default(DEFAULTS.elevation.mfaMaxAgeSeconds),
  minJustificationLength: z.number().int().min(1).max(200).default(DEFAULTS.elevation.minJustificationLength),
});

/** A domain name: dot-separated labels of letters (any script, for IDN), digits and inner dashes. */
const EMAIL_DOMAIN =
  /^[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?(?:\.[\p{L}\p{M}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?)+$/u;

const grantConditionsSchema = z.strictObject({
  /**
   * The user must have signed in through one of these IdPs (their `idps[].id`). Group names are
   * each IdP's own: without this, a group of the same name at any configured IdP matches.
   */
  idps: z.array(slug).min(1).optional(),
  /**
   * The user's email must be in one of these domains: the part after its `@`, exactly (no
   * subdomains), ignoring ASCII case. An entry with `@`, a space or no dot could never match.
   */
  emailDomains: z.array(z.string().regex(EMAIL_DOMAIN, 'a domain such as example.com (no @, no spaces)')).min(1).optional(),
  /** The IdP must report a second factor in `amr` (mfa, otp, hwk, swk, fido…). */
  mfa: z.boolean().optional(),
});

const grantSchema = z.strictObject({
  id: slug.optional(),
  /** IdP group names; `*` and `?` are globs (`team-*`). */
  groups: z.array(z.string().min(1)).min(1),
  roles: z.array(slug).min(1),
  when: grantConditionsSchema.optional(),
});

const deviceSchema = z.strictObject({
  /** Lifetime of a device_code/user_code pair, seconds. */
  userCodeTtlSeconds: z.number().int().min(60).max(1800).default(DEFAULTS.device.userCodeTtlSeconds),
  /** Minimum seconds between polls, as told to the CLI; `slow_down` adds 5 for that code. */
  interval: z.number().int().min(1).max(60).default(DEFAULTS.device.interval),
  /** Lifetime of CLI access tokens, seconds. */
  accessTokenTtlSeconds: z.number().int().min(60).max(3600).default(DEFAULTS.device.accessTokenTtlSeconds),
  /** Absolute lifetime of a CLI session (refresh ends here), seconds. */
  sessionMaxAgeSeconds: z
    .number()
    .int()
    .min(300)
    .max(30 * 86400)
    .default(DEFAULTS.device.sessionMaxAgeSeconds),
  /** CLI sessions one user may hold at once; a new one beyond it ends their oldest. */
  maxSessionsPerUser: z.number().int().min(1).max(1000).default(DEFAULTS.device.maxSessionsPerUser),
  /** Approving a device needs an authentication at the IdP (its `auth_time` / `AuthnInstant`) at most this old, seconds. */
  reauthenticateAfterSeconds: z.number().int().min(60).default(DEFAULTS.device.reauthenticateAfterSeconds),
  /** Device logins one client address (IPv6: its /64) may start per 10 minutes before device_authorization answers 429. */
  maxStartsPerIpPer10Minutes: z.number().int().min(1).default(DEFAULTS.device.maxStartsPerIpPer10Minutes),
  /** Device logins all clients together may start per 10 minutes before device_authorization answers 429. */
  maxStartsPer10Minutes: z.number().int().min(1).max(10_000).default(DEFAULTS.device.maxStartsPer10Minutes),
  /** Wrong user codes per user per window before the code page answers 429. */
  maxFailedUserCodes: z.number().int().min(1).max(20).default(DEFAULTS.device.maxFailedUserCodes),
  failedUserCodesWindowSeconds: z.number().int().min(60).max(86400).default(DEFAULTS.device.failedUserCodesWindowSeconds),
  /** Wrong user codes per minute across all users before the code page answers 429. */
  globalFailedUserCodesPerMinute: z.number().int().min(1).default(DEFAULTS.device.globalFailedUserCodesPerMinute),
});

const supportSchema = z.strictObject({
  /** Who users should ask for access, as they know it ("IT service desk", "#cloud-access on Slack"). */
  contact: z.string().trim().min(1).max(200).optional(),
  /** Where to ask: a request form or a chat channel (http(s) only: it becomes a link). */
  url: httpUrl.optional(),
  /**
   * IdP groups (exact names or globs) whose members are rambridge administrators: the no-roles page
   * shows them the `rambridge explain` command for the user's groups. Nobody else sees it.
   */
  adminGroups: z.array(z.string().min(1)).default(DEFAULTS.support.adminGroups),
  /** Only members of `adminGroups` signed in through one of these IdPs (`idps[].id`); default any IdP. */
  adminIdps: z.array(slug).min(1).optional(),
});

/** One process only: state dies with it, and `rambridge sessions` cannot reach it. */
const memoryStoreSchema = z.strictObject({
  type: z.literal('memory'),
  /** Entries held at most; a write that would add one more answers 503 (fail closed, never evict). */
  maxEntries: z.number().int().min(100).max(10_000_000).default(DEFAULTS.store.memoryMaxEntries),
});

/** Redis shared by every bridge instance (and by `rambridge sessions`): see redis.ts. */
const storeSchema = z.discriminatedUnion('type', [memoryStoreSchema, redisStoreSchema]);

const logSchema = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default(DEFAULTS.log.level),
});

const metricsSchema = z.strictObject({
  /**
   * When set, GET /metrics answers only `Authorization: Bearer <token>` (Prometheus
   * `authorization: {credentials: …}`). Without it /metrics is open, like /healthz: bind the
   * bridge where only the load balancer and Prometheus reach it, or set a token.
   */
  token: z.string().min(32, 'at least 32 characters').optional(),
});

const auditSchema = z.strictObject({
  /**
   * Where the audit stream goes: `log` (the main log's stream, at level info whatever log.level
   * says), `stdout`, `stderr`, or an absolute file path (appended to).
   */
  destination: z
    .string()
    .refine((d) => ['log', 'stdout', 'stderr'].includes(d) || d.startsWith('/'), 'log, stdout, stderr or an absolute file path')
    .default(DEFAULTS.audit.destination),
});

export const configSchema = z.strictObject({
  server: serverSchema,
  idps: z.array(idpSchema).min(1, 'configure at least one identity provider'),
  alibaba: alibabaSchema.prefault({}),
  /** The bridge as SAML IdP / OIDC issuer toward RAM. Without it, roles can be picked but not used. */
  issuer: issuerSchema.optional(),
  elevation: elevationSchema.prefault({}),
  accounts: z.array(accountSchema).default([]),
  roles: z.array(roleSchema).default([]),
  grants: z.array(grantSchema).default([]),
  /** CLI sign-in through the device flow, and the sessions it starts. */
  device: deviceSchema.prefault({}),
  store: storeSchema.prefault({ type: DEFAULTS.store.type }),
  /** Who users without roles ask, and who counts as an administrator on the pages. */
  support: supportSchema.prefault({}),
  log: logSchema.prefault({}),
  metrics: metricsSchema.prefault({}),
  /** One record per issuance and per refusal (README "Audit stream"). */
  audit: auditSchema.prefault({}),
});

export type RawConfig = z.infer<typeof configSchema>;
export type AccountConfig = z.infer<typeof accountSchema>;
export type RoleConfig = z.infer<typeof roleSchema>;
export type GrantConfig = z.infer<typeof grantSchema>;
export type IssuerConfig = z.infer<typeof issuerSchema>;
export type KeyPairConfig = z.infer<typeof keyPairSchema>;
export type { OidcIdpConfig } from './oidc.js';
export type { RedisStoreConfig } from './redis.js';
