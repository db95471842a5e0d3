import type { SigningKey } from '../keys.js';
import { isoSeconds } from '../../iso-time.js';
import { c14nAttribute, c14nText, envelopedSignature } from './signature.js';
import { NS, samlId } from './xml.js';

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
export async function mintSamlResponse(input: SamlResponseInput): Promise<string> {
  const responseId = samlId();
  const assertionId = samlId();
  const issueInstant = isoSeconds(input.now);
  const notOnOrAfter = isoSeconds(input.now + input.lifetimeSeconds * 1000);
  const sessionNotOnOrAfter = isoSeconds(input.now + input.sessionDurationSeconds * 1000);
  const attr = (name: string, value: string) =>
    `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri"><saml:AttributeValue>${c14nText(value)}</saml:AttributeValue></saml:Attribute>`;
  // Written in exclusive canonical form (see signature.ts): attributes in name order, namespaces
  // declared where first used, no empty-element shorthand. Signatures go right after the Issuer.
  const issuer = (ns: string) => `<saml:Issuer${ns}>${c14nText(input.issuer)}</saml:Issuer>`;
  const assertionBody =
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${c14nText(input.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${c14nAttribute(input.recipient)}"></saml:SubjectConfirmationData>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${issueInstant}" NotOnOrAfter="${notOnOrAfter}">` +
    `<saml:AudienceRestriction><saml:Audience>${c14nText(input.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${issueInstant}" SessionIndex="${assertionId}" SessionNotOnOrAfter="${sessionNotOnOrAfter}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>` +
    attr(ROLE_ATTRIBUTE, `${input.roleArn},${input.providerArn}`) +
    attr(SESSION_NAME_ATTRIBUTE, input.roleSessionName) +
    attr(SESSION_DURATION_ATTRIBUTE, String(consoleSessionSeconds(input.sessionDurationSeconds))) +
    `</saml:AttributeStatement></saml:Assertion>`;
  const assertionOpen = `<saml:Assertion xmlns:saml="${NS.assertion}" ID="${assertionId}" IssueInstant="${issueInstant}" Version="2.0">`;
  const assertionIssuer = issuer('');
  const assertion =
    assertionOpen +
    assertionIssuer +
    (await envelopedSignature(assertionOpen + assertionIssuer + assertionBody, assertionId, input.key)) +
    assertionBody;

  // The Response element uses only the samlp prefix; saml is declared by the elements that use it.
  const responseOpen =
    `<samlp:Response xmlns:samlp="${NS.protocol}" Destination="${c14nAttribute(input.recipient)}" ID="${responseId}" ` +
    `IssueInstant="${issueInstant}" Version="2.0">`;
  const responseIssuer = issuer(` xmlns:saml="${NS.assertion}"`);
  const responseBody =
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"></samlp:StatusCode></samlp:Status>` +
    assertion +
    `</samlp:Response>`;
  const signature = input.signResponse ? await envelopedSignature(responseOpen + responseIssuer + responseBody, responseId, input.key) : '';
  return responseOpen + responseIssuer + signature + responseBody;
}

/**
 * The SessionDuration attribute is documented for 900–3,600 s and governs console sessions only;
 * longer STS sessions come from DurationSeconds, bounded by SessionNotOnOrAfter (docs/alibaba-cloud-reference.md §4).
 */
function consoleSessionSeconds(seconds: number): number {
  return Math.min(3600, Math.max(900, seconds));
}
