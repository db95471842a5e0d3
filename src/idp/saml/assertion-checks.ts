import { checkSignatureAlgorithms } from './algorithms.js';
import { samlRefusal } from './refusal.js';
import { attr, child, children, is, NS, text, type XmlElement } from './xml.js';

export interface AssertionExpectations {
  issuer: string;
  acsUrl: string;
  requestId: string;
  /** Now on the bridge's injected clock (ms). */
  now: number;
  skewMs: number;
  maxAgeMs: number;
}

/** What the checks learnt from the signed assertion, beyond node-saml's profile. */
export interface CheckedAssertion {
  id: string;
  /** The end of the assertion's acceptance window (ms): how long to remember its ID against replay. */
  acceptableUntil: number;
  /** AuthnStatement/@AuthnInstant (ms). */
  authnInstant?: number;
  /** AuthnStatement/@SessionNotOnOrAfter (ms): when the IdP says sessions from this sign-in end. */
  sessionNotOnOrAfter?: number;
  authnContextClassRefs: string[];
}

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';
/** SAML core §1.3.3: UTC, no time-zone offset. */
const SAML_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/**
 * The checks node-saml does not make, on the signed assertion bytes only (node-saml's
 * `getAssertionXml()`, never the posted document): issuer, bearer confirmation for our ACS and
 * this browser's request, and every time bound again on the bridge's injected clock, since
 * node-saml reads the system clock.
 */
export function checkAssertion(assertion: XmlElement, expected: AssertionExpectations): CheckedAssertion {
  if (!is(assertion, NS.assertion, 'Assertion'))
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'signed content is not a saml:Assertion' });
  const id = attr(assertion, 'ID');
  if (!id) throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'assertion without ID' });
  // Again here: an encrypted assertion's own signature was out of sight when the posted document
  // was checked (response-checks.ts), and node-saml would have accepted RSA-SHA1 in it.
  checkSignatureAlgorithms(assertion);

  const issuerEl = child(assertion, NS.assertion, 'Issuer');
  const format = issuerEl && attr(issuerEl, 'Format');
  if (text(issuerEl) !== expected.issuer || (format !== undefined && format !== ENTITY_FORMAT)) {
    throw samlRefusal('ERR_SAML_ISSUER_MISMATCH', {
      where: 'Assertion',
      expected: expected.issuer,
      got: text(issuerEl)?.slice(0, 200),
      format,
    });
  }

  const bounds = new TimeWindow(expected.now, expected.skewMs);
  const issuedAt = instant(assertion, 'IssueInstant', true)!;
  bounds.check('IssueInstant', undefined, issuedAt + expected.maxAgeMs);
  bounds.check('IssueInstant', issuedAt, undefined);
  const confirmationEnd = checkBearerConfirmation(assertion, expected, bounds);
  const conditions = children(assertion, NS.assertion, 'Conditions');
  if (conditions.length !== 1)
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'assertion needs exactly one Conditions', count: conditions.length });
  const notOnOrAfter = instant(conditions[0]!, 'NotOnOrAfter');
  bounds.check('Conditions', instant(conditions[0]!, 'NotBefore'), notOnOrAfter);

  const authn = child(assertion, NS.assertion, 'AuthnStatement');
  const context = authn && child(authn, NS.assertion, 'AuthnContext');
  const authnInstant = authn && instant(authn, 'AuthnInstant');
  // A sign-in "in the future" would make every age computed from it negative (MFA recency).
  bounds.check('AuthnInstant', authnInstant, undefined);
  // The IdP's bound on sessions made from this sign-in (SAML core §2.7.2): already over, no session.
  // Without the skew: the session it bounds ends at exactly this instant (identity.ts sessionEnd), so
  // a sign-in admitted within the skew would be a session over before its first page.
  const sessionNotOnOrAfter = authn && instant(authn, 'SessionNotOnOrAfter');
  new TimeWindow(expected.now, 0).check('SessionNotOnOrAfter', undefined, sessionNotOnOrAfter);
  return {
    id,
    acceptableUntil: Math.min(issuedAt + expected.maxAgeMs, confirmationEnd, notOnOrAfter ?? Infinity) + expected.skewMs,
    authnInstant,
    sessionNotOnOrAfter,
    authnContextClassRefs: context ? children(context, NS.assertion, 'AuthnContextClassRef').flatMap((r) => text(r) ?? []) : [],
  };
}

/**
 * Exactly one SubjectConfirmation, bearer (holder-of-key was accepted by Keycloak without proof:
 * CVE-2026-92855), for our ACS and this browser's request, not expired. Returns its NotOnOrAfter.
 */
function checkBearerConfirmation(assertion: XmlElement, expected: AssertionExpectations, bounds: TimeWindow): number {
  const subject = child(assertion, NS.assertion, 'Subject');
  const confirmations = subject ? children(subject, NS.assertion, 'SubjectConfirmation') : [];
  if (confirmations.length !== 1) {
    throw samlRefusal('ERR_SAML_SUBJECT_CONFIRMATION', { reason: 'need exactly one SubjectConfirmation', count: confirmations.length });
  }
  const confirmation = confirmations[0]!;
  const method = attr(confirmation, 'Method');
  if (method !== BEARER) throw samlRefusal('ERR_SAML_SUBJECT_CONFIRMATION', { reason: 'method is not bearer', method });
  const data = child(confirmation, NS.assertion, 'SubjectConfirmationData');
  const recipient = data && attr(data, 'Recipient');
  if (recipient !== expected.acsUrl) throw samlRefusal('ERR_SAML_RECIPIENT_MISMATCH', { expected: expected.acsUrl, got: recipient });
  const inResponseTo = attr(data!, 'InResponseTo');
  if (inResponseTo !== expected.requestId) {
    throw samlRefusal('ERR_SAML_IN_RESPONSE_TO', {
      reason: "SubjectConfirmationData InResponseTo is not this browser's request",
      got: inResponseTo?.slice(0, 100),
    });
  }
  // The bearer profile (SAML profiles §4.1.4.2) requires NotOnOrAfter: an assertion without one
  // would be usable forever by whoever holds it.
  const notOnOrAfter = instant(data!, 'NotOnOrAfter');
  if (notOnOrAfter === undefined)
    throw samlRefusal('ERR_SAML_SUBJECT_CONFIRMATION', { reason: 'bearer confirmation without NotOnOrAfter' });
  bounds.check('SubjectConfirmationData', instant(data!, 'NotBefore'), notOnOrAfter);
  return notOnOrAfter;
}

/** Time bounds with the configured skew, on the injected clock. Equal to NotOnOrAfter is expired. */
class TimeWindow {
  constructor(
    private readonly now: number,
    private readonly skewMs: number,
  ) {}

  check(where: string, notBefore: number | undefined, notOnOrAfter: number | undefined): void {
    if (notBefore !== undefined && this.now + this.skewMs < notBefore) {
      throw samlRefusal('ERR_SAML_EXPIRED', {
        reason: 'not yet valid',
        where,
        notBefore: new Date(notBefore).toISOString(),
        now: new Date(this.now).toISOString(),
      });
    }
    if (notOnOrAfter !== undefined && this.now - this.skewMs >= notOnOrAfter) {
      throw samlRefusal('ERR_SAML_EXPIRED', {
        reason: 'expired',
        where,
        notOnOrAfter: new Date(notOnOrAfter).toISOString(),
        now: new Date(this.now).toISOString(),
      });
    }
  }
}

function instant(el: XmlElement, name: string, required = false): number | undefined {
  const value = attr(el, name);
  if (value === undefined && !required) return undefined;
  // The pattern admits impossible dates (month 13, 25:00): Date.parse makes them NaN, which no
  // comparison refuses, so an expiry or an authentication time would never be too old.
  const ms = value === undefined || !SAML_INSTANT.test(value) ? NaN : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: `${el.localName}/@${name} is not a UTC xs:dateTime`, value: value?.slice(0, 40) });
  }
  return ms;
}
