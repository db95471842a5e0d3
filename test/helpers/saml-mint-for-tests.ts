import { randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { selfSignedCertificate, type TestCertificate } from './emulator-x509.js';

/**
 * TEST-ONLY SAML minting: an IdP with a fresh key, and signed SAML Responses for role-based SSO
 * shaped the way Alibaba Cloud requires (docs/alibaba-cloud-reference.md §4). RSA-SHA256 / SHA-256 / exclusive c14n
 * unless a test asks for a weaker algorithm on purpose. The bridge's real minting is not this.
 */

export const SITE_INTL = {
  audience: 'urn:alibaba:cloudcomputing:international',
  recipient: 'https://signin.alibabacloud.com/saml-role/sso',
};

export const ROLE_ATTRIBUTE = 'https://www.aliyun.com/SAML-Role/Attributes/Role';

export interface TestIdp extends TestCertificate {
  entityId: string;
  metadataXml: string;
}

export async function createTestIdp(entityId = 'http://127.0.0.1/test-idp'): Promise<TestIdp> {
  const cert = await selfSignedCertificate('rambridge test IdP');
  const metadataXml = `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>
      <ds:X509Certificate>${cert.certificateBase64}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="http://127.0.0.1/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
  return { ...cert, entityId, metadataXml };
}

export interface MintOptions {
  /** Epoch ms the assertion is issued at (the emulator's clock). */
  now: number;
  /** Values of the Role attribute: `roleArn,providerArn`. */
  roles: string[];
  roleSessionName?: string;
  sessionDuration?: string;
  issuer?: string;
  audience?: string;
  recipient?: string;
  /** Response@Destination; omitted when null. */
  destination?: string | null;
  nameId?: string;
  /** Conditions and SubjectConfirmationData NotOnOrAfter, seconds after `now` (default 300). */
  validForSeconds?: number;
  /** AuthnStatement@SessionNotOnOrAfter, seconds after `now`; omitted when null. */
  sessionValidForSeconds?: number | null;
  confirmationMethod?: string;
  algorithm?: 'sha256' | 'sha1';
  signAssertion?: boolean;
  signResponse?: boolean;
  /** Sign with this key instead of the IdP's (an attacker's). */
  signingKeyPem?: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const newId = () => `_${randomBytes(20).toString('hex')}`;

/** A signed SAML Response (XML text). Base64 it for SAMLAssertion / SAMLResponse. */
export function mintSamlResponse(idp: TestIdp, o: MintOptions): string {
  const issuer = escapeXml(o.issuer ?? idp.entityId);
  const notOnOrAfter = iso(o.now + (o.validForSeconds ?? 300) * 1000);
  const sessionEnd =
    o.sessionValidForSeconds === null ? '' : ` SessionNotOnOrAfter="${iso(o.now + (o.sessionValidForSeconds ?? 3600) * 1000)}"`;
  const destination = o.destination === null ? '' : ` Destination="${escapeXml(o.destination ?? SITE_INTL.recipient)}"`;
  const attribute = (name: string, values: string[]) =>
    `<saml:Attribute Name="${name}">${values.map((v) => `<saml:AttributeValue>${escapeXml(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
  const attributes = [
    attribute(ROLE_ATTRIBUTE, o.roles),
    attribute('https://www.aliyun.com/SAML-Role/Attributes/RoleSessionName', [o.roleSessionName ?? 'alice@example.com']),
    ...(o.sessionDuration ? [attribute('https://www.aliyun.com/SAML-Role/Attributes/SessionDuration', [o.sessionDuration])] : []),
  ].join('');
  const xml = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${newId()}" Version="2.0" IssueInstant="${iso(o.now)}"${destination}>
<saml:Issuer>${issuer}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
<saml:Assertion ID="${newId()}" Version="2.0" IssueInstant="${iso(o.now)}">
<saml:Issuer>${issuer}</saml:Issuer>
<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent">${escapeXml(o.nameId ?? 'alice@example.com')}</saml:NameID>
<saml:SubjectConfirmation Method="${o.confirmationMethod ?? 'urn:oasis:names:tc:SAML:2.0:cm:bearer'}"><saml:SubjectConfirmationData NotOnOrAfter="${notOnOrAfter}" Recipient="${escapeXml(o.recipient ?? SITE_INTL.recipient)}"/></saml:SubjectConfirmation>
</saml:Subject>
<saml:Conditions NotBefore="${iso(o.now)}" NotOnOrAfter="${notOnOrAfter}"><saml:AudienceRestriction><saml:Audience>${escapeXml(o.audience ?? SITE_INTL.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>
<saml:AuthnStatement AuthnInstant="${iso(o.now)}"${sessionEnd}><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>
<saml:AttributeStatement>${attributes}</saml:AttributeStatement>
</saml:Assertion>
</samlp:Response>`;
  const key = o.signingKeyPem ?? idp.privateKeyPem;
  const algorithm = o.algorithm ?? 'sha256';
  let signed = o.signAssertion === false ? xml : sign(xml, "//*[local-name()='Assertion']", key, algorithm);
  if (o.signResponse) signed = sign(signed, "/*[local-name()='Response']", key, algorithm);
  return signed;
}

/** Signs the element at `xpath` with an enveloped signature placed after its Issuer. */
export function sign(xml: string, xpath: string, privateKeyPem: string, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  const sig = new SignedXml({
    privateKey: privateKeyPem,
    signatureAlgorithm:
      algorithm === 'sha1' ? 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
    digestAlgorithm: algorithm === 'sha1' ? 'http://www.w3.org/2000/09/xmldsig#sha1' : 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  sig.computeSignature(xml, { location: { reference: `${xpath}/*[local-name()='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

export const base64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
