import type { Grant, Role } from '../config/index.js';
import { perFrozen } from '../frozen.js';
import { hasMfa, type Identity } from '../idp/identity.js';
import { compileGlob, isGlob } from './glob.js';

/** Why a role was granted: which grant, and which of the user's groups matched which pattern. */
export interface GrantReason {
  grant: string;
  group: string;
  pattern: string;
}

export interface RoleChoice {
  role: Role;
  reasons: GrantReason[];
}

/** Why a grant naming a role did not apply to this user. */
export interface DeniedGrant {
  grant: string;
  why: 'no-matching-group' | 'idp' | 'email-domain' | 'mfa-required';
  /** The patterns, IdP ids, domains or methods that were needed. */
  needed: string[];
}

export type Explanation = { granted: true; choice: RoleChoice } | { granted: false; role: Role | undefined; denials: DeniedGrant[] };

interface CompiledGrant {
  grant: Grant;
  /** Exact group names are looked up in a Set; only glob patterns are tried against each group. */
  exact: string[];
  globs: Array<{ pattern: string; matches: (group: string) => boolean }>;
}

/**
 * Pure group → role mapping. Built once from the validated config; `rolesFor` is deterministic
 * and explains itself, so `rambridge explain` and the picker say the same thing.
 */
export class RoleMapper {
  private readonly grants: CompiledGrant[];
  private readonly roles: Role[];

  constructor(roles: Role[], grants: Grant[]) {
    this.roles = roles;
    this.grants = grants.map((grant) => ({
      grant,
      exact: grant.groups.filter((p) => !isGlob(p)),
      globs: grant.groups.filter(isGlob).map((pattern) => ({ pattern, matches: compileGlob(pattern) })),
    }));
  }

  /**
   * The roles of a frozen identity are kept with it: one read from the memory store (Store.find) is
   * the same frozen object on every request of its session, and cannot change, so neither can its
   * roles. Gone with the identity (a new sign-in or refresh writes a new one).
   */
  private readonly keptRolesFor = perFrozen((identity: Identity) => frozenChoices(this.mapRoles(identity)));

  /** The roles this identity may use, in config order, each with every reason that grants it. */
  rolesFor(identity: Identity): readonly RoleChoice[] {
    // An identity that can change (a browser session's copy) gets choices that are not frozen either,
    // so nothing downstream keeps what it works out from them (src/frozen.ts).
    return Object.isFrozen(identity) ? this.keptRolesFor(identity) : this.mapRoles(identity);
  }

  private mapRoles(identity: Identity): RoleChoice[] {
    const reasons = new Map<string, GrantReason[]>();
    const groups = new Set(identity.groups);
    for (const compiled of this.grants) {
      const match = this.firstMatch(compiled, identity, groups);
      if (!match || this.denial(compiled.grant, identity)) continue;
      for (const roleId of compiled.grant.roles) {
        const list = reasons.get(roleId) ?? [];
        list.push({ grant: compiled.grant.id, ...match });
        reasons.set(roleId, list);
      }
    }
    return this.roles.filter((r) => reasons.has(r.id)).map((role) => ({ role, reasons: reasons.get(role.id)! }));
  }

  /** Whether the identity holds `roleId`, and if not, what each grant naming it was missing. */
  explain(identity: Identity, roleId: string): Explanation {
    const choice = this.rolesFor(identity).find((c) => c.role.id === roleId);
    if (choice) return { granted: true, choice };
    const denials = this.grants
      .filter((g) => g.grant.roles.includes(roleId))
      .map((compiled): DeniedGrant => {
        if (!this.firstMatch(compiled, identity, new Set(identity.groups))) {
          return { grant: compiled.grant.id, why: 'no-matching-group', needed: compiled.grant.groups };
        }
        return this.denial(compiled.grant, identity)!;
      });
    return { granted: false, role: this.roles.find((r) => r.id === roleId), denials };
  }

  /** The first of the grant's patterns (in config order: exact names, then globs) a group matches. */
  private firstMatch(compiled: CompiledGrant, identity: Identity, groups: Set<string>): { group: string; pattern: string } | undefined {
    const exact = compiled.exact.find((name) => groups.has(name));
    if (exact !== undefined) return { group: exact, pattern: exact };
    for (const { pattern, matches } of compiled.globs) {
      // A group that is not a string (a session stored by an older version, say) matches nothing.
      const group = identity.groups.find((g) => typeof g === 'string' && matches(g));
      if (group !== undefined) return { group, pattern };
    }
    return undefined;
  }

  /** The condition of `grant` this identity fails, if any. */
  private denial(grant: Grant, identity: Identity): DeniedGrant | undefined {
    // Group names are each IdP's own: the same name at another IdP (a partner's, a test one) is
    // not the group the grant was written for.
    const idps = grant.when?.idps;
    if (idps && !idps.includes(identity.idp)) {
      return { grant: grant.id, why: 'idp', needed: idps };
    }
    const domains = grant.when?.emailDomains;
    if (domains && !domains.some((d) => emailDomain(identity.email) === asciiLowerCase(d))) {
      return { grant: grant.id, why: 'email-domain', needed: domains };
    }
    if (grant.when?.mfa && !hasMfa(identity)) {
      return { grant: grant.id, why: 'mfa-required', needed: ['mfa'] };
    }
    return undefined;
  }
}

function emailDomain(email: string | undefined): string | undefined {
  const at = email?.lastIndexOf('@') ?? -1;
  return at > 0 ? asciiLowerCase(email!.slice(at + 1)) : undefined;
}

/**
 * Domain names compare case-insensitively in ASCII only (RFC 4343). `toLowerCase` would also fold
 * Unicode: the Kelvin sign `K` (U+212A) becomes `k`, so `x@Kcorp.com` would pass for `kcorp.com`.
 */
function asciiLowerCase(domain: string): string {
  return domain.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** Shared between requests, so nothing of it can be changed (the roles are the configuration's own). */
function frozenChoices(choices: RoleChoice[]): readonly RoleChoice[] {
  for (const choice of choices) {
    for (const reason of choice.reasons) Object.freeze(reason);
    Object.freeze(choice.reasons);
    Object.freeze(choice);
  }
  return Object.freeze(choices);
}
