import { createHmac } from 'node:crypto';
import type { Identity } from '../idp/identity.js';

/** The STS APIs a RoleSessionName goes to; each has its own character rule. */
export type SessionNameApi = 'AssumeRoleWithSAML' | 'AssumeRoleWithOIDC' | 'AssumeRole';

/**
 * Characters each API refuses in a RoleSessionName, and the length every site accepts. The SAML
 * attribute allows `=,+` (2–32 on the China site, the strictest documented); the AssumeRole and
 * AssumeRoleWithOIDC parameters allow only `A-Za-z0-9.@_-` (2–64, older docs 2–32), so a
 * plus-addressed user's name must lose its `+` there or STS refuses the call.
 */
const SESSION_NAME_RULES: Record<SessionNameApi, { refused: RegExp; maxLength: number }> = {
  AssumeRoleWithSAML: { refused: /[^A-Za-z0-9\-_.@=,+]/g, maxLength: 32 },
  AssumeRoleWithOIDC: { refused: /[^A-Za-z0-9.@_-]/g, maxLength: 32 },
  AssumeRole: { refused: /[^A-Za-z0-9.@_-]/g, maxLength: 32 },
};

/**
 * Names the bridge gives a user toward Alibaba Cloud. Both derive from (issuer, subject) through a
 * keyed hash, so they are stable for a person, distinct for two people who ever shared an email
 * address (a reassigned mailbox), and reveal nothing without the secret.
 */
export class SubjectNames {
  constructor(private readonly secret: string) {}

  /** A stable pseudonymous id: the `sub` of minted ID tokens and the SAML NameID (128 bits, hex). */
  pseudonym(identity: Pick<Identity, 'issuer' | 'subject'>): string {
    return `rb-${this.digest(identity).subarray(0, 16).toString('hex')}`;
  }

  /**
   * RoleSessionName for `api`: readable (from the email or name) and distinct per person (a 64-bit
   * hash suffix: many users share a readable part, such as `user`, and 32 bits collide among tens
   * of thousands of them), in that API's characters and within the length both sites accept.
   */
  roleSessionName(identity: Pick<Identity, 'issuer' | 'subject' | 'email' | 'name'>, api: SessionNameApi): string {
    const rule = SESSION_NAME_RULES[api];
    // base64url (`A-Za-z0-9-_`) is inside every API's characters, and 64 bits take 11 of the 32.
    const suffix = this.digest(identity).subarray(0, 8).toString('base64url');
    // Only a verified email may read as an address in ActionTrail: a display name, which users can
    // often edit themselves, loses its `@` (so "ceo@corp.com" as a name cannot pose as that user).
    const readable = (identity.email ?? identity.name?.replaceAll('@', '_') ?? 'user')
      .replace(rule.refused, '_')
      .slice(0, rule.maxLength - 1 - suffix.length);
    return `${readable}-${suffix}`;
  }

  private digest(identity: Pick<Identity, 'issuer' | 'subject'>): Buffer {
    return createHmac('sha256', this.secret).update(`${identity.issuer}\u0000${identity.subject}`).digest();
  }
}
