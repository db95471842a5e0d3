import { API_AUDIENCE } from '../wire/oauth.js';
import { CHAIN_MAX_SECONDS, DEFAULTS } from './defaults.js';
import type { ConfigProblem } from './problems.js';

/**
 * Cross-reference checks: duplicate ids, roles naming unknown accounts, grants naming unknown
 * roles, ARNs that contradict their account. They read the raw parsed YAML defensively so they run
 * even when the schema check failed elsewhere, and every problem is reported in one go.
 */
export function checkReferences(raw: unknown): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const idps = entries(raw, 'idps');
  const accounts = entries(raw, 'accounts');
  const roles = entries(raw, 'roles');
  const grants = entries(raw, 'grants');

  problems.push(...duplicates('idps', idps, 'id'));
  problems.push(...duplicates('accounts', accounts, 'alias'));
  problems.push(...duplicates('accounts', accounts, 'id'));
  problems.push(...duplicates('roles', roles, 'id'));
  problems.push(...duplicates('grants', grants, 'id'));

  // An account whose id is wrong is still known by its alias: its own problem is reported at its id,
  // not again at every role that names it.
  const aliases = new Set(accounts.map((a) => str(a.value.alias)).filter((alias) => alias !== undefined));
  const accountIds = new Map<string, string>();
  for (const a of accounts) {
    const alias = str(a.value.alias);
    const id = str(a.value.id);
    if (alias && id) accountIds.set(alias, id);
  }
  for (const r of roles) {
    const account = str(r.value.account);
    if (account === undefined) continue;
    if (!aliases.has(account)) {
      problems.push({ path: `roles[${r.index}].account`, message: `unknown account "${account}"` });
      continue;
    }
    const role = str(r.value.role);
    if (role?.startsWith('acs:')) {
      const parsed = parseRoleArn(role);
      const id = accountIds.get(account);
      if (!parsed) {
        problems.push({ path: `roles[${r.index}].role`, message: 'malformed role ARN (acs:ram::<16-digit account>:role/<name>)' });
      } else if (id !== undefined && parsed.accountId !== id) {
        problems.push({
          path: `roles[${r.index}].role`,
          message: `ARN is in account ${parsed.accountId}, but account "${account}" is ${id}`,
        });
      }
    } else if (role !== undefined && !ROLE_NAME.test(role)) {
      problems.push({ path: `roles[${r.index}].role`, message: 'a RAM role name is 1–64 letters, digits, "." and "-"' });
    }
  }

  const roleIds = new Set(roles.map((r) => str(r.value.id)).filter((id): id is string => id !== undefined));
  problems.push(...checkRoleModes(roles));
  problems.push(...checkAudiences(raw, roles));
  for (const g of grants) {
    const list = Array.isArray(g.value.roles) ? g.value.roles : [];
    list.forEach((roleId, j) => {
      if (typeof roleId === 'string' && !roleIds.has(roleId)) {
        problems.push({ path: `grants[${g.index}].roles[${j}]`, message: `unknown role "${roleId}"` });
      }
    });
  }
  problems.push(...checkIdpReferences(raw, idps, grants));
  return problems;
}

/**
 * `grants[].when.idps` and `support.adminIdps` name configured IdPs: a misspelt id would limit a
 * grant to an IdP nobody signs in through. A file without an `idps` section (a mapping on its own,
 * for `rambridge explain`) has nothing to check them against.
 */
function checkIdpReferences(raw: unknown, idps: Entry[], grants: Entry[]): ConfigProblem[] {
  if (!isRecord(raw) || !Array.isArray(raw.idps)) return [];
  const known = new Set(idps.map((i) => str(i.value.id)).filter((id): id is string => id !== undefined));
  const unknown = (list: unknown, path: string): ConfigProblem[] =>
    (Array.isArray(list) ? list : []).flatMap((id, j) =>
      typeof id === 'string' && !known.has(id)
        ? [{ path: `${path}[${j}]`, message: `unknown IdP "${id}" (known: ${[...known].join(', ') || 'none'})` }]
        : [],
    );
  const problems = grants.flatMap((g) => (isRecord(g.value.when) ? unknown(g.value.when.idps, `grants[${g.index}].when.idps`) : []));
  if (isRecord(raw.support)) problems.push(...unknown(raw.support.adminIdps, 'support.adminIdps'));
  return problems;
}

/** Chains name an existing, directly federated role; console and pass-through modes fit `via`. */
function checkRoleModes(roles: Entry[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const byId = new Map(roles.map((r) => [str(r.value.id), r.value]));
  for (const { index, value } of roles) {
    const via = value.via ?? 'saml';
    const chainFrom = isRecord(via) ? str(via.chainFrom) : undefined;
    if (chainFrom !== undefined) {
      const source = byId.get(chainFrom);
      if (!source) problems.push({ path: `roles[${index}].via.chainFrom`, message: `unknown role "${chainFrom}"` });
      else if (isRecord(source.via)) {
        problems.push({
          path: `roles[${index}].via.chainFrom`,
          message: `role "${chainFrom}" is itself chained; chain from a directly federated role`,
        });
      }
      // Refused rather than quietly shortened: users would be offered a session STS never grants.
      if (typeof value.maxSessionDuration === 'number' && value.maxSessionDuration > CHAIN_MAX_SECONDS) {
        problems.push({
          path: `roles[${index}].maxSessionDuration`,
          message: `a chained role's session is at most ${CHAIN_MAX_SECONDS} seconds (an STS limit of role chaining)`,
        });
      }
    }
    if (value.console === 'saml-post' && via !== 'saml') {
      problems.push({ path: `roles[${index}].console`, message: 'saml-post needs via: saml' });
    }
    // The role SSO post has no Policy: the console session, and the Response the browser carries
    // to it, would hold the whole role. Refused rather than quietly dropped.
    if (value.console === 'saml-post' && value.sessionPolicy !== undefined) {
      problems.push({
        path: `roles[${index}].sessionPolicy`,
        message: 'a saml-post console session cannot be narrowed (the role SSO post takes no Policy); use console: federation',
      });
    }
    if (value.oidcAudience !== undefined && (via !== 'oidc' || value.oidcPassThrough !== undefined)) {
      problems.push({ path: `roles[${index}].oidcAudience`, message: 'only for via: oidc roles with bridge-minted tokens' });
    }
    if (value.oidcPassThrough !== undefined && via !== 'oidc') {
      problems.push({ path: `roles[${index}].oidcPassThrough`, message: 'pass-through needs via: oidc' });
    }
  }
  return problems;
}

/**
 * An ID token's `aud` is what binds it to roles at RAM (`oidc:aud` in trust policies): a role's own
 * audience must be its own, and no audience for STS may be the one of the CLI's access tokens, which
 * the same key signs and users hold (a RAM client id of that name would make them ID tokens).
 */
function checkAudiences(raw: unknown, roles: Entry[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const issuer = isRecord(raw) && isRecord(raw.issuer) ? raw.issuer : {};
  const shared = str(issuer.oidcAudience) ?? DEFAULTS.issuer.oidcAudience;
  if (shared === API_AUDIENCE) {
    problems.push({ path: 'issuer.oidcAudience', message: `"${API_AUDIENCE}" is the audience of the bridge's CLI access tokens` });
  }
  const owner = new Map<string, string>();
  for (const { index, value } of roles) {
    const audience = str(value.oidcAudience);
    if (audience === undefined) continue;
    const path = `roles[${index}].oidcAudience`;
    const previous = owner.get(audience);
    if (audience === API_AUDIENCE) problems.push({ path, message: `"${API_AUDIENCE}" is the audience of the bridge's CLI access tokens` });
    else if (audience === shared) {
      problems.push({ path, message: 'is issuer.oidcAudience, which every role without its own shares: give this role one of its own' });
    } else if (previous !== undefined) {
      problems.push({ path, message: `is also role "${previous}"'s: a token minted for either would be accepted for both` });
    } else owner.set(audience, str(value.id) ?? `roles[${index}]`);
  }
  return problems;
}

const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;
const ROLE_ARN = /^acs:ram::(\d{16}):role\/([A-Za-z0-9.-]{1,64})$/;

export function parseRoleArn(arn: string): { accountId: string; roleName: string } | undefined {
  const m = ROLE_ARN.exec(arn);
  return m ? { accountId: m[1]!, roleName: m[2]! } : undefined;
}

interface Entry {
  index: number;
  value: Record<string, unknown>;
}

function entries(raw: unknown, key: string): Entry[] {
  if (!isRecord(raw) || !Array.isArray(raw[key])) return [];
  return (raw[key] as unknown[]).flatMap((value, index) => (isRecord(value) ? [{ index, value }] : []));
}

function duplicates(section: string, list: Entry[], field: string): ConfigProblem[] {
  const seen = new Map<string, number>();
  const problems: ConfigProblem[] = [];
  for (const { index, value } of list) {
    const v = str(value[field]);
    if (v === undefined) continue;
    const first = seen.get(v);
    if (first === undefined) seen.set(v, index);
    else problems.push({ path: `${section}[${index}].${field}`, message: `duplicate ${field} "${v}" (also ${section}[${first}])` });
  }
  return problems;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
