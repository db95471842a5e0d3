import type { Document, Element } from '@xmldom/xmldom';
import { AlibabaError, invalidRoleSessionName, samlExpired, samlInvalid } from './errors.js';
import type { IdpMetadata } from './idp-metadata.js';
import { ATTRIBUTE, parseRolePair, readAssertion, type AssertionFacts } from './saml-assertion.js';
import { checkSignatureAlgorithms, isSigned, verifiedXmlOf } from './saml-signature.js';
import { NS, children, descendants, onlyChild, parseXml, text, timeAttribute } from './saml-xml.js';
import type { Site } from './site.js';

/**
 * Validating a SAML Response the way RAM does for AssumeRoleWithSAML and role-based SSO
 * (docs/alibaba-cloud-reference.md §1 and §4): signature by the provider's metadata certificate, Issuer = its entityID,
 * exactly one assertion, bearer confirmation for the site's role-SSO URL, the site's audience,
 * time bounds, and the RoleSessionName / SessionDuration attribute rules.
 *
 * Everything the caller acts on comes from the signed assertion bytes. The unsigned Response
 * around it is read only to refuse (bad Status, Version, ID, IssueInstant, Destination or Issuer),
 * never to accept.
 */

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/**
 * The RoleSessionName attribute: 2–32 characters of letters, digits and `. @ _ = , + -`. The
 * intl docs allow up to 64, the China docs 32 (docs/alibaba-cloud-reference.md §10); the stricter 32 applies.
 */
const SAML_ROLE_SESSION_NAME = /^[A-Za-z0-9.@_=,+-]{2,32}$/;

/** SessionDuration: 900–3,600 s in the docs that define it; newer limits are unconfirmed (§10). */
const SESSION_DURATION = { min: 900, max: 3600 };

export interface ParsedSamlResponse {
  xml: string;
  doc: Document;
  response: Element;
  assertion: Element;
}

/** Decodes the base64 Response and checks its shape; nothing in it is trusted yet. */
export function parseSamlResponse(base64: string): ParsedSamlResponse {
  try {
    const compact = base64.replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Error('not base64');
    const xml = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64'));
    const doc = parseXml(xml);
    const response = doc.documentElement!;
    if (response.namespaceURI !== NS.protocol || response.localName !== 'Response') {
      throw new Error('root is not a samlp:Response');
    }
    checkSignatureAlgorithms(doc);
    if (descendants(doc, NS.assertion, 'EncryptedAssertion').length > 0) {
      throw new Error('encrypted assertions are not supported');
    }
    const assertions = descendants(doc, NS.assertion, 'Assertion');
    if (assertions.length !== 1 || assertions[0]!.parentNode !== response) {
      throw new Error(`expected one Assertion directly in the Response, found ${assertions.length}`);
    }
    const status = onlyChild(onlyChild(response, NS.protocol, 'Status'), NS.protocol, 'StatusCode');
    if (status.getAttribute('Value') !== SUCCESS) throw new Error(`Status is ${status.getAttribute('Value')}`);
    return { xml, doc, response, assertion: assertions[0]! };
  } catch (err) {
    throw samlInvalid((err as Error).message);
  }
}

/**
 * Provider ARNs named by the Role attribute, read WITHOUT verification. Role SSO has no
 * SAMLProviderArn parameter, so this only decides which providers' certificates to try; the
 * roles finally offered come from the verified assertion.
 */
export function unverifiedProviderArns(parsed: ParsedSamlResponse): string[] {
  const arns = new Set<string>();
  for (const attribute of descendants(parsed.doc, NS.assertion, 'Attribute')) {
    if (attribute.getAttribute('Name') !== ATTRIBUTE.role) continue;
    for (const value of children(attribute, NS.assertion, 'AttributeValue')) {
      try {
        arns.add(parseRolePair(text(value)).providerArn);
      } catch {
        // A malformed pair fails verification later, with the signed bytes.
      }
    }
  }
  return [...arns];
}

/** Verifies the Response against one provider's metadata; throws the documented SAML errors. */
export function verifySamlResponse(parsed: ParsedSamlResponse, metadata: IdpMetadata, site: Site, now: number): AssertionFacts {
  let facts: AssertionFacts;
  try {
    const { xml, doc, response, assertion } = parsed;
    checkResponseEnvelope(response, site);
    // Required by docs/alibaba-cloud-reference.md §4 ("Response with Issuer and Status"): exactly one, the entityID.
    const responseIssuers = children(response, NS.assertion, 'Issuer');
    if (responseIssuers.length !== 1 || text(responseIssuers[0]!) !== metadata.entityId) {
      throw new Error('Response Issuer missing, repeated or not the provider');
    }
    // The assertion must be signed itself (docs/alibaba-cloud-reference.md §4); a signed Response around it must verify too.
    if (isSigned(response)) verifiedXmlOf(xml, doc, response, metadata.signingCertificates);
    const id = assertion.getAttribute('ID') ?? '';
    facts = readAssertion(verifiedXmlOf(xml, doc, assertion, metadata.signingCertificates), id);
  } catch (err) {
    throw err instanceof AlibabaError ? err : samlInvalid((err as Error).message);
  }
  checkFacts(facts, metadata, site, now);
  return facts;
}

/**
 * The Response's own attributes (SAML core §3.2.2): Version 2.0, an ID and an IssueInstant, and a
 * Destination that is the site's role-SSO URL. docs/alibaba-cloud-reference.md §4 requires the
 * Destination and SAML bindings §3.5.5.2 requires it on a signed message; the stricter reading
 * applies, so a Response without one is refused whether or not it is signed.
 */
function checkResponseEnvelope(response: Element, site: Site): void {
  const version = response.getAttribute('Version');
  if (version !== '2.0') throw new Error(version ? `Response Version is ${version}, not 2.0` : 'Response has no Version');
  if (!response.getAttribute('ID')) throw new Error('Response has no ID');
  if (timeAttribute(response, 'IssueInstant') === undefined) throw new Error('Response has no IssueInstant');
  const destination = response.getAttribute('Destination');
  if (!destination) throw new Error('Response has no Destination');
  if (destination !== site.samlRecipient) throw new Error(`Response Destination is ${destination}`);
}

function checkFacts(f: AssertionFacts, metadata: IdpMetadata, site: Site, now: number): void {
  if (f.issuer !== metadata.entityId) throw samlInvalid(`Issuer ${f.issuer} is not the provider's entityID ${metadata.entityId}`);
  if (f.audienceRestrictions.length === 0 || !f.audienceRestrictions.every((r) => r.includes(site.samlAudience))) {
    throw samlInvalid(`Audience is not ${site.samlAudience}`);
  }
  if (f.recipient !== site.samlRecipient) throw samlInvalid(`Recipient ${f.recipient} is not ${site.samlRecipient}`);
  // No clock skew is granted: the emulator and the bridge share a clock in every setup it serves.
  if (f.issueInstant > now) throw samlInvalid('IssueInstant is in the future');
  if (f.notBefore !== undefined && f.notBefore > now) throw samlInvalid('the assertion is not valid yet');
  if (f.notOnOrAfter <= now) throw samlExpired('NotOnOrAfter has passed');
  if (f.sessionNotOnOrAfter !== undefined && f.sessionNotOnOrAfter <= now) throw samlExpired('SessionNotOnOrAfter has passed');
  if (!SAML_ROLE_SESSION_NAME.test(f.roleSessionName)) throw invalidRoleSessionName(`RoleSessionName "${f.roleSessionName}"`);
  if (f.sessionDuration !== undefined) {
    const seconds = /^\d+$/.test(f.sessionDuration) ? Number(f.sessionDuration) : NaN;
    if (!(seconds >= SESSION_DURATION.min && seconds <= SESSION_DURATION.max)) {
      throw samlInvalid(`SessionDuration ${f.sessionDuration} is outside ${SESSION_DURATION.min}–${SESSION_DURATION.max}`);
    }
  }
}
