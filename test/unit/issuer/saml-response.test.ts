import { DOMParser, type Document } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { BridgeIssuer } from '../../../src/issuer/index.js';
import { SubjectNames } from '../../../src/issuer/subject.js';
import type { Identity } from '../../../src/idp/identity.js';
import { freshIssuerKeys } from '../../helpers/issuer-keys.js';
import { demoConfig } from '../../helpers/config.js';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const alice: Identity = {
  idp: 'demo',
  issuer: 'https://idp.example.com',
  subject: 'alice-1',
  email: 'alice@example.com',
  name: 'Alice',
  groups: [],
  amr: ['pwd'],
};

async function setup(signSamlResponse = true, samlEntityId = 'http://127.0.0.1:8080/saml/idp/metadata') {
  const config = await demoConfig();
  const keys = await freshIssuerKeys();
  const issuer = await BridgeIssuer.create(
    {
      ...keys,
      samlEntityId,
      oidcIssuer: 'http://127.0.0.1:8080',
      signSamlResponse,
      oidcAudience: 'sts.aliyuncs.com',
      tokenLifetimeSeconds: 300,
      oidcTokenLifetimeSeconds: 60,
      subjectSecret: 's'.repeat(40),
    },
    config.alibaba,
    'http://127.0.0.1:8080',
  );
  const role = config.roles.find((r) => r.id === 'dev-admin')!;
  return { issuer, role, config };
}

const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const all = (doc: Document, name: string) => Array.from(doc.getElementsByTagNameNS(SAML, name));
const one = (doc: Document, name: string) => {
  const found = all(doc, name);
  expect(found).toHaveLength(1);
  return found[0]!;
};

describe('minted SAML Response', () => {
  test('has every element RAM checks, for exactly the chosen role', async () => {
    const { issuer, role } = await setup();
    const doc = parse(await issuer.samlResponse(alice, role, 3600, NOW));
    const response = doc.documentElement!;
    expect(response.getAttribute('Destination')).toBe('https://signin.alibabacloud.com/saml-role/sso');
    expect(response.getAttribute('ID')).toMatch(/^_[0-9a-f]{40}$/);
    expect(one(doc, 'Assertion').getAttribute('ID')).toMatch(/^_[0-9a-f]{40}$/);
    expect(all(doc, 'Issuer').map((e) => e.textContent)).toEqual([
      'http://127.0.0.1:8080/saml/idp/metadata',
      'http://127.0.0.1:8080/saml/idp/metadata',
    ]);
    expect(one(doc, 'SubjectConfirmation').getAttribute('Method')).toBe('urn:oasis:names:tc:SAML:2.0:cm:bearer');
    const data = one(doc, 'SubjectConfirmationData');
    expect(data.getAttribute('Recipient')).toBe('https://signin.alibabacloud.com/saml-role/sso');
    expect(data.getAttribute('NotOnOrAfter')).toBe('2026-06-01T12:05:00Z');
    expect(one(doc, 'Audience').textContent).toBe('urn:alibaba:cloudcomputing:international');
    expect(one(doc, 'AuthnStatement').getAttribute('SessionNotOnOrAfter')).toBe('2026-06-01T13:00:00Z');
    const attributes = Object.fromEntries(
      all(doc, 'Attribute').map((a) => [
        a.getAttribute('Name'),
        Array.from(a.getElementsByTagNameNS(SAML, 'AttributeValue')).map((v) => v.textContent),
      ]),
    );
    expect(attributes).toEqual({
      'https://www.aliyun.com/SAML-Role/Attributes/Role': [`${role.arn},${role.providerArn}`],
      'https://www.aliyun.com/SAML-Role/Attributes/RoleSessionName': [issuer.names.roleSessionName(alice, 'AssumeRoleWithSAML')],
      'https://www.aliyun.com/SAML-Role/Attributes/SessionDuration': ['3600'],
    });
    expect(one(doc, 'NameID').textContent).toBe(issuer.names.pseudonym(alice));
  });

  test('both signatures verify with RSA-SHA256 / SHA-256 / exclusive c14n against the published metadata certificate', async () => {
    const { issuer, role } = await setup();
    const xml = await issuer.samlResponse(alice, role, 3600, NOW);
    const cert = /<ds:X509Certificate>([^<]+)</.exec(issuer.samlMetadata())![1]!;
    const pem = `-----BEGIN CERTIFICATE-----\n${cert.replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
    const doc = parse(xml);
    const signatures = Array.from(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature'));
    expect(signatures).toHaveLength(2);
    const signedIds: string[] = [];
    for (const signature of signatures) {
      const verifier = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => null });
      verifier.loadSignature(signature);
      expect(verifier.checkSignature(xml)).toBe(true);
      expect(signature.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'SignatureMethod')[0]!.getAttribute('Algorithm')).toBe(
        'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      );
      expect(signature.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'DigestMethod')[0]!.getAttribute('Algorithm')).toBe(
        'http://www.w3.org/2001/04/xmlenc#sha256',
      );
      expect(
        signature.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'CanonicalizationMethod')[0]!.getAttribute('Algorithm'),
      ).toBe('http://www.w3.org/2001/10/xml-exc-c14n#');
      signedIds.push(signature.parentNode!.nodeName);
    }
    expect(signedIds.sort()).toEqual(['saml:Assertion', 'samlp:Response']);
  });

  test('values with XML special characters are escaped so that both signatures still verify (the XML is written in canonical form)', async () => {
    const entityId = `https://idp.example.com/saml?a=1&b="2"<'3'>\tend`;
    const { issuer, role } = await setup(true, entityId);
    const xml = await issuer.samlResponse({ ...alice, email: `o'neil&co@example.com` }, role, 3600, NOW);
    const doc = parse(xml);
    expect(all(doc, 'Issuer').map((e) => e.textContent)).toEqual([entityId, entityId]);
    const signatures = Array.from(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature'));
    expect(signatures).toHaveLength(2);
    for (const signature of signatures) {
      const verifier = new SignedXml({ publicCert: issuer.samlKeys.signing.certificatePem!, getCertFromKeyInfo: () => null });
      verifier.loadSignature(signature);
      expect(verifier.checkSignature(xml)).toBe(true);
    }
  });

  test('a tampered assertion no longer verifies', async () => {
    const { issuer, role } = await setup(false);
    const xml = (await issuer.samlResponse(alice, role, 3600, NOW)).replace('rambridge-dev-admin', 'rambridge-dev-adminx');
    const cert = issuer.samlKeys.signing.certificatePem!;
    const doc = parse(xml);
    const [signature] = Array.from(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature'));
    const verifier = new SignedXml({ publicCert: cert, getCertFromKeyInfo: () => null });
    verifier.loadSignature(signature!);
    let verified: boolean;
    try {
      verified = verifier.checkSignature(xml);
    } catch {
      verified = false;
    }
    expect(verified).toBe(false);
  });

  test('the Response signature is optional; the Assertion is always signed', async () => {
    const { issuer, role } = await setup(false);
    const doc = parse(await issuer.samlResponse(alice, role, 3600, NOW));
    const signatures = Array.from(doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature'));
    expect(signatures.map((s) => s.parentNode!.nodeName)).toEqual(['saml:Assertion']);
  });

  test('SessionDuration stays within its documented 900–3600 s; longer sessions ride on SessionNotOnOrAfter', async () => {
    const { issuer, role } = await setup();
    const doc = parse(await issuer.samlResponse(alice, role, 7200, NOW));
    const duration = all(doc, 'Attribute').find((a) => a.getAttribute('Name')!.endsWith('/SessionDuration'))!;
    expect(duration.textContent).toBe('3600');
    expect(one(doc, 'AuthnStatement').getAttribute('SessionNotOnOrAfter')).toBe('2026-06-01T14:00:00Z');
  });

  test('IDs are unique per mint', async () => {
    const { issuer, role } = await setup();
    const minted = await Promise.all(Array.from({ length: 20 }, () => issuer.samlResponse(alice, role, 900, NOW)));
    const ids = new Set(minted.map((xml) => parse(xml).documentElement!.getAttribute('ID')));
    expect(ids.size).toBe(20);
  });

  test('metadata lists every published certificate and our entityID', async () => {
    const { issuer } = await setup();
    const doc = parse(issuer.samlMetadata());
    expect(doc.documentElement!.getAttribute('entityID')).toBe('http://127.0.0.1:8080/saml/idp/metadata');
    expect(doc.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:metadata', 'KeyDescriptor')).toHaveLength(1);
    expect(issuer.samlMetadata()).not.toContain('PRIVATE');
  });
});

describe('RoleSessionName and pseudonym', () => {
  test('readable, within 2–32 allowed characters, stable, and different for two people sharing an email', async () => {
    const { issuer } = await setup();
    const name = issuer.names.roleSessionName(alice, 'AssumeRoleWithSAML');
    expect(name).toMatch(/^alice@example\.com-[\w-]{11}$/);
    expect(issuer.names.roleSessionName({ ...alice }, 'AssumeRoleWithSAML')).toBe(name);
    expect(issuer.names.roleSessionName({ ...alice, subject: 'alice-2' }, 'AssumeRoleWithSAML')).not.toBe(name);
    const long = issuer.names.roleSessionName(
      { ...alice, email: 'very.long.name+tag/with spaces@subdomain.example.com' },
      'AssumeRoleWithSAML',
    );
    expect(long).toMatch(/^[A-Za-z0-9\-_.@=,+]{2,32}$/);
    expect(issuer.names.pseudonym(alice)).toMatch(/^rb-[0-9a-f]{32}$/);
    expect(issuer.names.pseudonym(alice)).not.toContain('alice');
  });

  test('two people with the same readable part keep apart by 64 bits, not 32 (two users found to share a 32-bit suffix get two names)', () => {
    const names = new SubjectNames('s'.repeat(40));
    // Neither has a verified email or a name, so both read as `user`; the first 32 bits of their
    // keyed hashes under this secret are equal (found by a search of about 94,000 subjects).
    const who = (subject: string) => ({ issuer: 'https://login.microsoftonline.com/tenant/v2.0', subject });
    const [a, b] = [
      names.roleSessionName(who('user-53792'), 'AssumeRoleWithOIDC'),
      names.roleSessionName(who('user-94262'), 'AssumeRoleWithOIDC'),
    ];
    expect(names.pseudonym(who('user-53792')).slice(0, 11)).toBe(names.pseudonym(who('user-94262')).slice(0, 11));
    expect(a).toMatch(/^user-[\w-]{11}$/);
    expect(a).not.toBe(b);
  });

  test('a 20-character email stays whole beside the suffix, within 32 characters', async () => {
    const { issuer } = await setup();
    const name = issuer.names.roleSessionName({ ...alice, email: 'alice.liu@corp.co.jp' }, 'AssumeRole');
    expect(name).toMatch(/^alice\.liu@corp\.co\.jp-[\w-]{11}$/);
    expect(name).toHaveLength(32);
  });

  test('without a verified email, a display name never reads as an address', async () => {
    const { issuer } = await setup();
    const name = issuer.names.roleSessionName({ ...alice, email: undefined, name: 'ceo@example.com' }, 'AssumeRoleWithSAML');
    expect(name).toMatch(/^ceo_example\.com-[\w-]{11}$/);
  });

  test.each([
    ['AssumeRoleWithSAML', /^a\+b=c,d@example\.com-[\w-]{11}$/],
    ['AssumeRoleWithOIDC', /^a_b_c_d@example\.com-[\w-]{11}$/],
    ['AssumeRole', /^a_b_c_d@example\.com-[\w-]{11}$/],
  ] as const)('%s: only the characters that API accepts (a+b=c,d@…)', async (api, expected) => {
    const { issuer } = await setup();
    expect(issuer.names.roleSessionName({ ...alice, email: 'a+b=c,d@example.com' }, api)).toMatch(expected);
  });
});
