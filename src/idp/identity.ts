import { sameIssuer, type Idp } from '../config/index.js';

/**
 * The one shape every upstream IdP is normalised to (dex's connector.Identity). Users are keyed on
 * (issuer, subject) — never on email, which IdPs let users or admins change.
 */
export interface Identity {
  /** Config id of the IdP that authenticated the user. */
  idp: string;
  /** The IdP's issuer (OIDC `iss`, SAML entityID). */
  issuer: string;
  /** The IdP's stable user id (OIDC `sub`, SAML NameID). */
  subject: string;
  email?: string;
  name?: string;
  groups: string[];
  /** Authentication methods (RFC 8176), e.g. `pwd`, `mfa`, `otp`. */
  amr: string[];
  /** When the user authenticated at the IdP (epoch seconds). */
  authTime?: number;
  /**
   * When the IdP says sessions from this sign-in end (epoch ms; SAML AuthnStatement
   * `SessionNotOnOrAfter`): the browser session, and any CLI session approved from it, end then
   * at the latest.
   */
  sessionEndsAt?: number;
}

/** The end of a session that started at `startedAt` and may last `maxAgeSeconds`, never past the IdP's (`sessionEndsAt`). */
export function sessionEnd(identity: Pick<Identity, 'sessionEndsAt'>, startedAt: number, maxAgeSeconds: number): number {
  return Math.min(startedAt + maxAgeSeconds * 1000, identity.sessionEndsAt ?? Infinity);
}

/**
 * Whether the configuration still trusts the IdP that signed this user in: an IdP of that id, and,
 * where the configuration names its issuer (OIDC always, SAML when `issuer` is set), the same one.
 * An IdP removed, or an id pointed at another tenant, ends the sessions it started.
 */
export function stillTrusted(idps: readonly Idp[], identity: Pick<Identity, 'idp' | 'issuer'>): boolean {
  const idp = idps.find((candidate) => candidate.id === identity.idp);
  if (idp?.issuer === undefined) return idp !== undefined;
  // An OIDC issuer is compared as sign-in compared it: as a URL.
  return idp.type === 'oidc' ? sameIssuer(idp.issuer, identity.issuer) : idp.issuer === identity.issuer;
}

/** A stable key for per-user state. */
export function identityKey(identity: Pick<Identity, 'issuer' | 'subject'>): string {
  return `${identity.issuer}\u0000${identity.subject}`;
}

/**
 * Seconds since the user authenticated at the IdP, as the IdP asserts it; Infinity when it did not
 * say (or said something that is not a time). Never negative: a time slightly ahead (within the clock tolerance) is "just now", not a
 * credit of extra recency.
 */
export function authAgeSeconds(identity: Pick<Identity, 'authTime'>, now: number): number {
  // Not a number (a session stored before times were checked, say) is as good as unsaid.
  return identity.authTime === undefined || !Number.isFinite(identity.authTime) ? Infinity : Math.max(0, now / 1000 - identity.authTime);
}

/** RFC 8176 methods that count as a factor beyond a password. */
const SECOND_FACTORS = new Set(['mfa', 'otp', 'hwk', 'swk', 'sms', 'tel', 'fpt', 'face', 'iris', 'retina', 'vbm', 'sc']);

export function hasMfa(identity: Pick<Identity, 'amr'>): boolean {
  return identity.amr.some((m) => SECOND_FACTORS.has(m));
}
