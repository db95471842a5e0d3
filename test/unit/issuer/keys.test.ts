import { generateKeyPairSync } from 'node:crypto';
import { loadKeySet } from '../../../src/issuer/keys.js';

const pem = (type: 'rsa' | 'ec' | 'ed25519', options: object = {}) =>
  (generateKeyPairSync as (t: string, o: object) => { privateKey: string })(type, {
    ...options,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;

describe('issuer keys: RSA of 2048 bits or more, or EC P-256, and nothing else', () => {
  test.each([
    ['RSA-1024', pem('rsa', { modulusLength: 1024 }), 'issuer.oidcKeys[0]: RSA keys need at least 2048 bits'],
    ['EC P-384', pem('ec', { namedCurve: 'P-384' }), 'issuer.oidcKeys[0]: use an RSA (2048+ bits) or EC P-256 key'],
    ['Ed25519', pem('ed25519'), 'issuer.oidcKeys[0]: use an RSA (2048+ bits) or EC P-256 key'],
  ])('%s is refused when the configuration loads', async (_name, privateKey, message) => {
    await expect(loadKeySet([{ privateKey }], 'oidc')).rejects.toThrow(message);
  });

  test('a SAML key must be RSA: an EC key would load and then fail every assertion', async () => {
    await expect(loadKeySet([{ privateKey: pem('ec', { namedCurve: 'P-256' }) }], 'saml')).rejects.toThrow(
      'issuer.samlKeys[0]: a SAML signing key must be RSA (2048+ bits)',
    );
  });

  test.each([
    ['RSA-2048', 'RS256', pem('rsa', { modulusLength: 2048 })],
    ['EC P-256', 'ES256', pem('ec', { namedCurve: 'P-256' })],
  ])('%s signs as %s', async (_name, alg, privateKey) => {
    expect((await loadKeySet([{ privateKey }], 'oidc')).signing.alg).toBe(alg);
  });
});
