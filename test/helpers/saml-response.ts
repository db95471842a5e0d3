import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { SignedXml } from 'xml-crypto';
import xmlenc, { type EncryptionAlgorithm, type KeyEncryptionAlgorithm } from 'xml-encryption';
import type { TestKeyPair } from './saml-keys.js';

/**
 * A test IdP's SAML Responses, built from one template and signed at test time with xml-crypto
 * (docs/security-reference.md §1.4 "Generator"): the assertion first, then the Response. Options default to a
 * valid answer for `inResponseTo`; `null` leaves an attribute or element out.
 */
export interface ResponseOptions {
  idpEntityId: string;
  spEntityId: string;
  acsUrl: string;
  inResponseTo: string | null;
  /** SubjectConfirmationData/@InResponseTo; defaults to `inResponseTo`. */
  confirmationInResponseTo?: string | null;
  destination?: string | null;
  recipient?: string | null;
  audience?: string;
  responseIssuer?: string | null;
  assertionIssuer?: string;
  nameId?: string;
  nameIdFormat?: string;
  method?: string;
  /** Base instant (ms) for every timestamp below; defaults to Date.now() (node-saml reads the real clock). */
  now?: number;
  issueInstant?: number;
  /** AuthnStatement/@AuthnInstant (ms); defaults to 5 s before `now`. */
  authnInstant?: number;
  /** AuthnStatement/@SessionNotOnOrAfter (ms): the IdP's end of sessions from this sign-in; none by default. */
  sessionNotOnOrAfter?: number;
  notBefore?: number;
  notOnOrAfter?: number;
  confirmationNotOnOrAfter?: number | null;
  status?: string;
  subStatus?: string;
  statusMessage?: string;
  assertionId?: string;
  attributes?: Record<string, string[]>;
  authnContext?: string;
}

export const EMAIL_FORMAT = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

export function responseXml(o: ResponseOptions): string {
  const now = o.now ?? Date.now();
  const t = (ms: number) => new Date(ms).toISOString();
  const attr = (name: string, value: string | null | undefined) =>
    value === null || value === undefined ? '' : ` ${name}="${esc(value)}"`;
  const inResponseTo = o.inResponseTo;
  const confirmationIrt = o.confirmationInResponseTo === undefined ? inResponseTo : o.confirmationInResponseTo;
  const status = o.status ?? SUCCESS;
  const attributes = Object.entries(
    o.attributes ?? { email: ['alice@example.com'], groups: ['rambridge-dev', 'rambridge-ops'], name: ['Alice Example'] },
  )
    .map(
      ([name, values]) =>
        `<saml:Attribute Name="${esc(name)}">${values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`,
    )
    .join('');
  const assertion =
    status !== SUCCESS
      ? ''
      : `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${o.assertionId ?? id()}" Version="2.0" IssueInstant="${t(o.issueInstant ?? now)}">` +
        `<saml:Issuer>${esc(o.assertionIssuer ?? o.idpEntityId)}</saml:Issuer>` +
        `<saml:Subject><saml:NameID Format="${o.nameIdFormat ?? EMAIL_FORMAT}">${esc(o.nameId ?? 'alice@example.com')}</saml:NameID>` +
        `<saml:SubjectConfirmation Method="${o.method ?? 'urn:oasis:names:tc:SAML:2.0:cm:bearer'}">` +
        `<saml:SubjectConfirmationData${attr('NotOnOrAfter', o.confirmationNotOnOrAfter === null ? null : t(o.confirmationNotOnOrAfter ?? now + 300_000))}` +
        `${attr('Recipient', o.recipient === undefined ? o.acsUrl : o.recipient)}${attr('InResponseTo', confirmationIrt)}/>` +
        `</saml:SubjectConfirmation></saml:Subject>` +
        `<saml:Conditions NotBefore="${t(o.notBefore ?? now - 30_000)}" NotOnOrAfter="${t(o.notOnOrAfter ?? now + 300_000)}">` +
        `<saml:AudienceRestriction><saml:Audience>${esc(o.audience ?? o.spEntityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
        `<saml:AuthnStatement AuthnInstant="${t(o.authnInstant ?? now - 5_000)}" SessionIndex="${id()}"${o.sessionNotOnOrAfter === undefined ? '' : ` SessionNotOnOrAfter="${t(o.sessionNotOnOrAfter)}"`}><saml:AuthnContext>` +
        `<saml:AuthnContextClassRef>${o.authnContext ?? 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'}</saml:AuthnContextClassRef>` +
        `</saml:AuthnContext></saml:AuthnStatement>` +
        `<saml:AttributeStatement>${attributes}</saml:AttributeStatement></saml:Assertion>`;
  const statusXml =
    `<samlp:Status><samlp:StatusCode Value="${status}">${o.subStatus ? `<samlp:StatusCode Value="${o.subStatus}"/>` : ''}</samlp:StatusCode>` +
    `${o.statusMessage ? `<samlp:StatusMessage>${esc(o.statusMessage)}</samlp:StatusMessage>` : ''}</samlp:Status>`;
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${t(now)}"` +
    `${attr('Destination', o.destination === undefined ? o.acsUrl : o.destination)}${attr('InResponseTo', inResponseTo)}>` +
    `${o.responseIssuer === null ? '' : `<saml:Issuer>${esc(o.responseIssuer ?? o.idpEntityId)}</saml:Issuer>`}${statusXml}${assertion}</samlp:Response>`
  );
}

export interface SignOptions {
  signatureAlgorithm?: string;
  digestAlgorithm?: string;
  /** Put the signer's certificate in KeyInfo (what an attacker re-signing with their own key does). */
  keyInfo?: boolean;
}

const SHA256 = {
  signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
};
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

/** Signs the Assertion or the Response, enveloped, the signature right after its Issuer. */
export function sign(xml: string, key: TestKeyPair, target: 'Assertion' | 'Response', options: SignOptions = {}): string {
  const signer = new SignedXml({
    privateKey: key.privateKeyPem,
    publicCert: options.keyInfo ? key.certificatePem : undefined,
    signatureAlgorithm: options.signatureAlgorithm ?? SHA256.signatureAlgorithm,
    canonicalizationAlgorithm: EXC_C14N,
  });
  const xpath = target === 'Response' ? "/*[local-name(.)='Response']" : "/*[local-name(.)='Response']/*[local-name(.)='Assertion']";
  signer.addReference({
    xpath,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N],
    digestAlgorithm: options.digestAlgorithm ?? SHA256.digestAlgorithm,
  });
  signer.computeSignature(xml, { location: { reference: `${xpath}/*[local-name(.)='Issuer']`, action: 'after' } });
  return signer.getSignedXml();
}

/** The usual IdP output: assertion signed, then the whole response ("sign response and assertion"). */
export function signBoth(xml: string, key: TestKeyPair, options: SignOptions = {}): string {
  return sign(sign(xml, key, 'Assertion', options), key, 'Response', options);
}

export interface EncryptOptions {
  content?: string;
  keyTransport?: string;
}

/** Replaces the (signed) assertion with an EncryptedAssertion for `spCertificatePem`. Sign the response afterwards. */
export async function encryptAssertion(xml: string, spCertificatePem: string, options: EncryptOptions = {}): Promise<string> {
  const assertion = /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];
  const encrypted = await promisify(xmlenc.encrypt)(assertion, {
    rsa_pub: spCertificatePem,
    pem: spCertificatePem,
    encryptionAlgorithm: (options.content ?? 'http://www.w3.org/2009/xmlenc11#aes256-gcm') as EncryptionAlgorithm,
    keyEncryptionAlgorithm: (options.keyTransport ?? 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p') as KeyEncryptionAlgorithm,
  });
  return xml.replace(assertion, `<saml:EncryptedAssertion>${encrypted}</saml:EncryptedAssertion>`);
}

export const base64 = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');

function id(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
