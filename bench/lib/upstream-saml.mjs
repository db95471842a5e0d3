// The upstream SAML IdP of the ACS benchmark: signed Responses (Assertion and Response, RSA-SHA256,
import { Buffer } from 'node:buffer';
// exclusive c14n) answering the bridge's AuthnRequest, as a corporate IdP sends them.
import { randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { SignedXml } from 'xml-crypto';
import { CORP_ENTITY_ID } from './fixture.mjs';

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const id = () => `_${randomBytes(20).toString('hex')}`;
const iso = (ms) => new Date(ms).toISOString();

/** The AuthnRequest ID inside a Redirect-binding URL. */
export function requestIdOf(location) {
  const xml = inflateRawSync(Buffer.from(new URL(location).searchParams.get('SAMLRequest'), 'base64')).toString('utf8');
  return /\sID="([^"]+)"/.exec(xml)[1];
}

export function signedResponse({ keyPem, spEntityId, acsUrl, inResponseTo, user }) {
  const now = Date.now();
  const attribute = (name, values) =>
    `<saml:Attribute Name="${name}">${values.map((v) => `<saml:AttributeValue>${v}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
  const assertion =
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${iso(now)}">` +
    `<saml:Issuer>${CORP_ENTITY_ID}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${user.email}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${iso(now + 300_000)}" Recipient="${acsUrl}" InResponseTo="${inResponseTo}"/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(now - 30_000)}" NotOnOrAfter="${iso(now + 300_000)}">` +
    `<saml:AudienceRestriction><saml:Audience>${spEntityId}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now - 5_000)}" SessionIndex="${id()}"><saml:AuthnContext>` +
    `<saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>` +
    `</saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attribute('email', [user.email])}${attribute('groups', user.groups)}${attribute('name', [user.name])}</saml:AttributeStatement>` +
    `</saml:Assertion>`;
  const response =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id()}" Version="2.0" IssueInstant="${iso(now)}" Destination="${acsUrl}" InResponseTo="${inResponseTo}">` +
    `<saml:Issuer>${CORP_ENTITY_ID}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>${assertion}</samlp:Response>`;
  const response_ = "/*[local-name(.)='Response']";
  const assertion_ = `${response_}/*[local-name(.)='Assertion']`;
  return sign(sign(response, assertion_, keyPem), response_, keyPem);
}

function sign(xml, xpath, keyPem) {
  const signer = new SignedXml({
    privateKey: keyPem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: EXC_C14N,
  });
  signer.addReference({
    xpath,
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N],
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  });
  signer.computeSignature(xml, { location: { reference: `${xpath}/*[local-name(.)='Issuer']`, action: 'after' } });
  return signer.getSignedXml();
}
