import { X509Certificate } from 'node:crypto';
import { parseIdpMetadata } from '../../../src/idp/saml/idp-metadata.js';
import { IDP_ENTITY_ID, idpMetadataXml } from '../../helpers/saml-bridge.js';
import { testKeyPair, type TestKeyPair } from '../../helpers/saml-keys.js';

/** Reading an IdP's metadata: entityID, Redirect SSO, every signing certificate; nothing risky. */
let current: TestKeyPair;
let next: TestKeyPair;
beforeAll(async () => {
  [current, next] = await Promise.all([testKeyPair('current'), testKeyPair('next')]);
});

const der = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

describe('parseIdpMetadata', () => {
  test('takes the Redirect-binding SSO and the signing certificate', async () => {
    const metadata = await parseIdpMetadata(idpMetadataXml(current.certificatePem));
    expect(metadata.entityId).toBe(IDP_ENTITY_ID);
    expect(metadata.entryPoint).toBe('https://idp.example.com/sso');
    expect(metadata.certificates.map(fingerprint)).toEqual([fingerprint(current.certificatePem)]);
  });

  test('every signing key during a rollover, keys without `use` too, never encryption-only keys', async () => {
    const key = (use: string | null, pem: string) =>
      `<md:KeyDescriptor${use ? ` use="${use}"` : ''}><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`;
    const xml = idpMetadataXml(current.certificatePem).replace(
      '<md:SingleSignOnService',
      `${key(null, next.certificatePem)}${key('encryption', (await testKeyPair('enc')).certificatePem)}<md:SingleSignOnService`,
    );
    const metadata = await parseIdpMetadata(xml);
    expect(metadata.certificates.map(fingerprint)).toEqual([fingerprint(current.certificatePem), fingerprint(next.certificatePem)]);
  });

  test('an aggregate picks the configured entity', async () => {
    const one = idpMetadataXml(current.certificatePem)
      .replace(/^<\?xml[^>]*>/, '')
      .replace(' xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"', '');
    const other = one.replace(IDP_ENTITY_ID, 'https://other.example.com');
    const aggregate = `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${other}${one}</md:EntitiesDescriptor>`;
    expect((await parseIdpMetadata(aggregate, IDP_ENTITY_ID)).entityId).toBe(IDP_ENTITY_ID);
    await expect(parseIdpMetadata(aggregate)).rejects.toThrow('set issuer to choose');
  });

  test('a DTD, a missing signing key or a missing IDPSSODescriptor is refused', async () => {
    await expect(parseIdpMetadata(`<!DOCTYPE x [<!ENTITY a "b">]>${idpMetadataXml(current.certificatePem)}`)).rejects.toThrow('DTD');
    await expect(parseIdpMetadata(idpMetadataXml(current.certificatePem).replace('use="signing"', 'use="encryption"'))).rejects.toThrow(
      'no signing certificate',
    );
    await expect(parseIdpMetadata(idpMetadataXml(current.certificatePem).replace(/IDPSSODescriptor/g, 'SPSSODescriptor'))).rejects.toThrow(
      'IDPSSODescriptor',
    );
  });
});
