import { SignedXml } from 'xml-crypto';
import type { SigningKey } from '../keys.js';
import { isoSeconds } from '../../iso-time.js';
import { ALGORITHMS, NS, samlId, xmlEscape } from './xml.js';

const ROLE_ATTRIBUTE = 'https://www.aliyun.com/SAML-Role/Attributes/Role';
const SESSION_NAME_ATTRIBUTE = 'https://www.aliyun.com/SAML-Role/Attributes/RoleSessionName';
const SESSION_DURATION_ATTRIBUTE = 'https://www.aliyun.com/SAML-Role/Attributes/SessionDuration';

export interface SamlResponseInput {
  issuer: string;
  /** The site's role-SSO URL: Destination and Recipient. */
  recipient: string;
  /** The site's audience URN. */
  audience: string;
  nameId: string;
  roleArn: string;
  providerArn: string;
  roleSessionName: string;
  sessionDurationSeconds: number;
  /** How long the assertion may be presented, seconds (≤ 300). */
  lifetimeSeconds: number;
  now: number;
  key: SigningKey;
  signResponse: boolean;
}

/**
 * Mints the SAML Response RAM accepts for role-based SSO (docs/alibaba-cloud-reference.md §4): one signed
 * assertion for exactly one (role, provider) pair, a bearer confirmation for the site's role-SSO
 * URL, RSA-SHA256 over SHA-256 digests with exclusive canonicalisation.
 */
export function mintSamlResponse(input: SamlResponseInput): string {
  const responseId = samlId();
  const assertionId = samlId();
  const issueInstant = isoSeconds(input.now);
  const notOnOrAfter = isoSeconds(input.now + input.lifetimeSeconds * 1000);
  const sessionNotOnOrAfter = isoSeconds(input.now + input.sessionDurationSeconds * 1000);
  const attr = (name: string, value: string) =>
    `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue>${xmlEscape(value)}</saml:AttributeValue></saml:Attribute>`;

  const assertion =
    `<saml:Assertion xmlns:saml="${NS.assertion}" ID="${assertionId}" Version="2.0" IssueInstant="${issueInstant}">` +
    `<saml:Issuer>${xmlEscape(input.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${xmlEscape(input.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${xmlEscape(input.recipient)}"/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${issueInstant}" NotOnOrAfter="${notOnOrAfter}">` +
    `<saml:AudienceRestriction><saml:Audience>${xmlEscape(input.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${issueInstant}" SessionNotOnOrAfter="${sessionNotOnOrAfter}" SessionIndex="${assertionId}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>` +
    attr(ROLE_ATTRIBUTE, `${input.roleArn},${input.providerArn}`) +
    attr(SESSION_NAME_ATTRIBUTE, input.roleSessionName) +
    attr(SESSION_DURATION_ATTRIBUTE, String(consoleSessionSeconds(input.sessionDurationSeconds))) +
    `</saml:AttributeStatement></saml:Assertion>`;

  const response =
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${responseId}" Version="2.0" ` +
    `IssueInstant="${issueInstant}" Destination="${xmlEscape(input.recipient)}">` +
    `<saml:Issuer>${xmlEscape(input.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    signElement(assertion, assertionId, 'Assertion', input.key) +
    `</samlp:Response>`;
  return input.signResponse ? signElement(response, responseId, 'Response', input.key) : response;
}

/**
 * The SessionDuration attribute is documented for 900–3,600 s and governs console sessions only;
 * longer STS sessions come from DurationSeconds, bounded by SessionNotOnOrAfter (docs/alibaba-cloud-reference.md §4).
 */
function consoleSessionSeconds(seconds: number): number {
  return Math.min(3600, Math.max(900, seconds));
}

/** Signs the root element `id`, placing the signature right after its Issuer (schema order). */
function signElement(xml: string, id: string, localName: string, key: SigningKey): string {
  const sig = new SignedXml({
    privateKey: key.privateKey.export({ format: 'pem', type: 'pkcs8' }),
    publicCert: key.certificatePem,
    signatureAlgorithm: ALGORITHMS.rsaSha256,
    canonicalizationAlgorithm: ALGORITHMS.excC14n,
  });
  sig.addReference({
    xpath: `/*[local-name(.)='${localName}' and @ID='${id}']`,
    digestAlgorithm: ALGORITHMS.sha256,
    transforms: [ALGORITHMS.enveloped, ALGORITHMS.excC14n],
  });
  sig.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `/*[local-name(.)='${localName}']/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return sig.getSignedXml();
}
