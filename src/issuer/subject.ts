import { createHmac } from 'node:crypto';
import type { Identity } from '../idp/identity.js';

/**
 * Names the bridge gives a user toward Alibaba Cloud. Both derive from (issuer, subject) through a
 * keyed hash, so they are stable for a person, distinct for two people who ever shared an email
 * address (a reassigned mailbox), and reveal nothing without the secret.
 */
export class SubjectNames {
  constructor(private readonly secret: string) {}

  /** A stable pseudonymous id: the `sub` of minted ID tokens and the SAML NameID. */
  pseudonym(identity: Pick<Identity, 'issuer' | 'subject'>): string {
    return `rb-${this.digest(identity).slice(0, 32)}`;
  }

  /**
   * RoleSessionName: readable (from the email or name) and collision-free (a hash suffix). Uses the
   * strictest documented rule — 2–32 characters of `A-Za-z0-9-_.@=,+` (China site) — so it is valid
   * on both sites.
   */
  roleSessionName(identity: Pick<Identity, 'issuer' | 'subject' | 'email' | 'name'>): string {
    const suffix = this.digest(identity).slice(0, 8);
    const readable = (identity.email ?? identity.name ?? 'user').replace(/[^A-Za-z0-9\-_.@=,+]/g, '_').slice(0, 32 - 1 - suffix.length);
    return `${readable}-${suffix}`;
  }

  private digest(identity: Pick<Identity, 'issuer' | 'subject'>): string {
    // Hex keeps the result inside every RAM character rule.
    return createHmac('sha256', this.secret).update(`${identity.issuer}\u0000${identity.subject}`).digest('hex');
  }
}
