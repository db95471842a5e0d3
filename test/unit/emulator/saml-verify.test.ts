import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { AlibabaError } from '../../../src/emulator/errors.js';
import { parseIdpMetadata, type IdpMetadata } from '../../../src/emulator/idp-metadata.js';
import { parseSamlResponse, verifySamlResponse } from '../../../src/emulator/saml-verify.js';
import { SITES } from '../../../src/emulator/site.js';
import { selfSignedCertificate } from '../../helpers/emulator-x509.js';
import { base64, createTestIdp, mintSamlResponse, sign, type TestIdp } from '../../helpers/saml-mint-for-tests.js';

/**
 * The SAML verifier against the known attacks (docs/security-reference.md §1.4): signature wrapping,
 * comment injection, DOCTYPE, KeyInfo substitution, weak algorithms. Each test mutates a freshly
 * signed Response and asserts both the documented code and why it was refused.
 */

const NOW = Date.UTC(2026, 0, 1, 12);
const PAIR = 'acs:ram::1111222233334444:role/admin,acs:ram::1111222233334444:saml-provider/test-idp';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

let idp: TestIdp;
let metadata: IdpMetadata;
beforeAll(async () => {
  idp = await createTestIdp();
  metadata = parseIdpMetadata(idp.metadataXml);
});

const mint = (options: Partial<Parameters<typeof mintSamlResponse>[1]> = {}) =>
  mintSamlResponse(idp, { now: NOW, roles: [PAIR], ...options });
const verify = (xml: string) => verifySamlResponse(parseSamlResponse(base64(xml)), metadata, SITES.intl, NOW);

function refusal(xml: string): { code: string; reason: string } {
  try {
    verify(xml);
  } catch (err) {
    if (err instanceof AlibabaError) return { code: err.code, reason: err.reason ?? '' };
    throw err;
  }
  throw new Error('expected the Response to be refused');
}

/** Parses, lets the test rearrange the DOM, serialises again. */
function mutate(xml: string, change: (doc: Document, response: Element, assertion: Element) => void): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const response = doc.documentElement!;
  change(doc, response, doc.getElementsByTagNameNS(SAML, 'Assertion')[0]!);
  return new XMLSerializer().serializeToString(doc);
}

/** An unsigned copy of the assertion naming another user. */
function evilCopy(assertion: Element, id: string): Element {
  const evil = assertion.cloneNode(true) as Element;
  evil.setAttribute('ID', id);
  const signature = evil.getElementsByTagNameNS(DSIG, 'Signature')[0];
  if (signature) evil.removeChild(signature);
  evil.getElementsByTagNameNS(SAML, 'NameID')[0]!.textContent = 'admin@corp.example';
  return evil;
}

it('accepts a well-formed Response and reads its signed values', () => {
  const facts = verify(mint());
  expect(facts).toMatchObject({
    issuer: idp.entityId,
    subject: 'alice@example.com',
    subjectType: 'persistent',
    roles: [{ roleArn: PAIR.split(',')[0], providerArn: PAIR.split(',')[1] }],
  });
});

it('reads the full signed NameID through an injected comment (CVE-2017-11427 class)', () => {
  const xml = mint({ nameId: 'admin@corp.example.evil.com' }).replace('admin@corp.example.evil.com', 'admin@corp.example<!---->.evil.com');
  expect(verify(xml).subject).toBe('admin@corp.example.evil.com');
});

describe('refuses', () => {
  it('XSW: an unsigned evil assertion before the signed one', () => {
    const xml = mutate(mint(), (_d, response, assertion) => response.insertBefore(evilCopy(assertion, '_evil'), assertion));
    expect(refusal(xml)).toMatchObject({
      code: 'AuthenticationFail.SAMLAssertion.Invalid',
      reason: expect.stringContaining('expected one Assertion'),
    });
  });

  it('XSW: an evil assertion wrapping the signed one', () => {
    const xml = mutate(mint(), (_d, response, assertion) => {
      const evil = evilCopy(assertion, '_evil');
      response.replaceChild(evil, assertion);
      evil.appendChild(assertion);
    });
    expect(refusal(xml).reason).toContain('expected one Assertion');
  });

  it('XSW: the signed original hidden inside the Signature, the evil one in its place', () => {
    const xml = mutate(mint(), (_d, response, assertion) => {
      const original = assertion.cloneNode(true) as Element;
      const evil = evilCopy(assertion, assertion.getAttribute('ID')!);
      evil.appendChild(assertion.getElementsByTagNameNS(DSIG, 'Signature')[0]!.cloneNode(true));
      evil.getElementsByTagNameNS(DSIG, 'Signature')[0]!.appendChild(original);
      response.replaceChild(evil, assertion);
    });
    expect(refusal(xml)).toMatchObject({
      code: 'AuthenticationFail.SAMLAssertion.Invalid',
      reason: expect.stringContaining('expected one Assertion'),
    });
  });

  it('a signature whose Reference points at another element', () => {
    const xml = mutate(mint({ signAssertion: false, signResponse: true }), (_doc, response, assertion) => {
      // Move the Response's signature (which references the Response) into the assertion.
      const signature = response.getElementsByTagNameNS(DSIG, 'Signature')[0]!;
      assertion.insertBefore(signature, assertion.getElementsByTagNameNS(SAML, 'Subject')[0]!);
    });
    expect(refusal(xml).reason).toContain('must reference its parent element');
  });

  it('an attacker-signed assertion carrying the attacker certificate in KeyInfo', async () => {
    const attacker = await selfSignedCertificate('attacker');
    const unsigned = mint({ signAssertion: false, nameId: 'admin@corp.example' });
    const xml = sign(unsigned, "//*[local-name()='Assertion']", attacker.privateKeyPem).replace(
      '</SignatureValue>',
      `</SignatureValue><KeyInfo><X509Data><X509Certificate>${attacker.certificateBase64}</X509Certificate></X509Data></KeyInfo>`,
    );
    expect(xml).toContain(attacker.certificateBase64);
    expect(refusal(xml).reason).toContain('does not verify with the provider certificate');
  });

  it('a NameID changed after signing', () => {
    expect(refusal(mint().replace('alice@example.com</saml:NameID>', 'admin@example.com</saml:NameID>')).reason).toContain(
      'does not verify',
    );
  });

  it('a DOCTYPE, even without entities', () => {
    const xml = mint().replace('<samlp:Response', '<!DOCTYPE samlp:Response [<!ENTITY a "a">]><samlp:Response');
    expect(refusal(xml).reason).toContain('DOCTYPE');
  });

  it('a processing instruction', () => {
    expect(refusal(`<?xml-stylesheet href="http://evil.example/x.xsl"?>${mint()}`).reason).toContain('processing instruction');
  });

  it('a second root element', () => {
    expect(refusal(`${mint()}<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`).code).toBe(
      'AuthenticationFail.SAMLAssertion.Invalid',
    );
  });

  it('SHA-1 anywhere in the signature', () => {
    expect(refusal(mint({ algorithm: 'sha1' })).reason).toContain('rsa-sha1 is not allowed');
  });

  it('an XSLT transform', () => {
    const xml = mint().replace(
      '<Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
      '<Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>',
    );
    expect(refusal(xml).reason).toContain('REC-xslt-19991116 is not allowed');
  });

  it('a Response Issuer that is missing, repeated or not the provider (RAM requires one, the entityID)', () => {
    const responseIssuer = (response: Element) => response.getElementsByTagNameNS(SAML, 'Issuer')[0]!;
    const missing = mutate(mint(), (_doc, response) => response.removeChild(responseIssuer(response)));
    const repeated = mutate(mint(), (_doc, response) =>
      response.insertBefore(responseIssuer(response).cloneNode(true), responseIssuer(response)),
    );
    const other = mutate(mint(), (_doc, response) => void (responseIssuer(response).textContent = 'https://other-idp.example'));
    for (const xml of [missing, repeated, other]) {
      expect(refusal(xml)).toMatchObject({
        code: 'AuthenticationFail.SAMLAssertion.Invalid',
        reason: 'Response Issuer missing, repeated or not the provider',
      });
    }
  });

  it('a Status other than Success', () => {
    expect(refusal(mint().replace('status:Success', 'status:Requester')).reason).toContain('Status is');
  });

  it('an assertion outside its validity window, as Expired', () => {
    const old = mintSamlResponse(idp, { now: NOW - 301_000, roles: [PAIR] });
    expect(refusal(old).code).toBe('AuthenticationFail.SAMLAssertion.Expired');
    const future = mintSamlResponse(idp, { now: NOW + 1_000, roles: [PAIR] });
    expect(refusal(future)).toMatchObject({ code: 'AuthenticationFail.SAMLAssertion.Invalid', reason: 'IssueInstant is in the future' });
  });

  it('a Role value that is not a role and provider of one account', () => {
    const xml = mint({ roles: ['acs:ram::1111222233334444:role/admin,acs:ram::5555666677778888:saml-provider/test-idp'] });
    expect(refusal(xml).reason).toContain('is not a role ARN and a saml-provider ARN of one account');
  });

  it('text that is not base64', () => {
    expect(() => parseSamlResponse('<samlp:Response/>')).toThrow(
      expect.objectContaining({ code: 'AuthenticationFail.SAMLAssertion.Invalid', reason: 'not base64' }),
    );
  });
});
