import type { Profile } from '@node-saml/node-saml';
import type { SamlIdp } from '../../config/index.js';
import { NAMEID_FORMATS } from '../../config/saml.js';
import { BridgeError, sentence } from '../../errors.js';
import type { Identity } from '../identity.js';
import { amrFromReferences, ENTRA_AUTHN_METHODS_ATTRIBUTE } from './amr.js';
import type { CheckedAssertion } from './assertion-checks.js';
import { samlRefusal } from './refusal.js';

/** Entra ID sends this instead of the groups when a user is in more than 150 groups (SAML). */
export const ENTRA_GROUPS_OVERAGE = 'http://schemas.microsoft.com/claims/groups.link';

const TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';

/**
 * Builds the Identity from node-saml's profile, which it reads from the signed assertion bytes
 * only (5.1.0, CVE-2025-54419): never from the posted document. The user is (IdP entityID, NameID).
 */
export function identityFromProfile(idp: SamlIdp, issuer: string, profile: Profile, assertion: CheckedAssertion): Identity {
  const nameId = typeof profile.nameID === 'string' ? profile.nameID : '';
  if (!nameId.trim() || profile.nameIDFormat === TRANSIENT) {
    // A transient NameID changes at every sign-in: it cannot key a user, their sessions or audit trail.
    throw samlRefusal(
      'ERR_SAML_NAMEID_UNSUITABLE',
      { nameIdFormat: profile.nameIDFormat, empty: !nameId.trim() },
      {
        hint: sentence('hint.nameId'),
      },
    );
  }
  const attributes = (profile.attributes ?? {}) as Record<string, unknown>;
  if (ENTRA_GROUPS_OVERAGE in attributes) throw groupsOverage();
  const value = (name: string | undefined) => (name === undefined ? undefined : values(attributes[name])[0]);
  const email = value(idp.attributes.email) ?? (profile.nameIDFormat === NAMEID_FORMATS.emailAddress ? nameId : undefined);
  if (idp.attributes.email !== undefined && email === undefined) throw attributeMissing(idp.attributes.email, attributes);
  // Unverified addresses are never used: they could match `emailDomains` grants (config: emailVerified).
  const verifiedEmail = idp.emailVerified ? email : undefined;
  const fullName = [value(idp.attributes.firstName), value(idp.attributes.lastName)].filter(Boolean).join(' ');
  return {
    idp: idp.id,
    issuer,
    subject: nameId,
    email: verifiedEmail,
    name: value(idp.attributes.name) ?? (fullName || undefined),
    groups: groupsOf(idp, attributes),
    amr: amrFromReferences([...assertion.authnContextClassRefs, ...values(attributes[ENTRA_AUTHN_METHODS_ATTRIBUTE])]),
    authTime: assertion.authnInstant === undefined ? undefined : Math.floor(assertion.authnInstant / 1000),
    ...(assertion.sessionNotOnOrAfter !== undefined ? { sessionEndsAt: assertion.sessionNotOnOrAfter } : {}),
  };
}

/**
 * Groups from every configured attribute: each value one group, as sent; a single value split on
 * the configured delimiter (IdPs that send "a, b, c"). An attribute with several values is never
 * split or trimmed: a group someone may name at the IdP ("x,cloud-admins", "cloud-admins ") must
 * not become another group. Entra object ids renamed through `groupNames` (ids without a name
 * stay, so grants may use ids too).
 */
function groupsOf(idp: SamlIdp, attributes: Record<string, unknown>): string[] {
  const groups = new Set<string>();
  for (const name of idp.attributes.groups) {
    const sent = values(attributes[name]);
    const split = idp.groupsDelimiter !== undefined && sent.length === 1;
    const parts = split ? sent[0]!.split(idp.groupsDelimiter!).map((part) => part.trim()) : sent;
    for (const part of parts) if (part !== '') groups.add(renamed(idp.groupNames, part));
  }
  return [...groups];
}

/**
 * The configured name of a group id, or the id itself. Own keys only: a group the IdP calls
 * `constructor` or `__proto__` must stay that string, not become Object's members.
 */
function renamed(groupNames: Record<string, string> | undefined, group: string): string {
  return groupNames !== undefined && Object.hasOwn(groupNames, group) ? groupNames[group]! : group;
}

/** One value arrives as a string, several as an array (node-saml); values with child elements are ignored. */
function values(value: unknown): string[] {
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string' && v.trim().length > 0);
}

function attributeMissing(attribute: string, attributes: Record<string, unknown>): BridgeError {
  return new BridgeError('ERR_SAML_ATTRIBUTE_MISSING', {
    // The attribute name comes from our config, not from the response: safe to show.
    userMessage: sentence('err.ERR_SAML_ATTRIBUTE_MISSING', { attribute }),
    hint: sentence('hint.attribute'),
    detail: { attribute, received: Object.keys(attributes).slice(0, 50) },
  });
}

function groupsOverage(): BridgeError {
  return new BridgeError('ERR_AUTH_GROUPS_OVERAGE', {
    userMessage: sentence('err.ERR_AUTH_GROUPS_OVERAGE.response'),
    hint: sentence('hint.overageSaml'),
  });
}
