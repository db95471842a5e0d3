import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultRsaBits, generateKeyFiles, type RsaKeyBits } from '../../../src/issuer/generate-keys.js';
import { loadKeySet } from '../../../src/issuer/keys.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rambridge-generate-keys-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const details = (path: string) => createPrivateKey(readFileSync(path)).asymmetricKeyDetails;

test('RSA keys are 2048 bits while their certificate ends before 2031, written 0600, and the certificate carries the same key', async () => {
  const now = new Date('2026-12-04T00:00:00Z');
  const files = await generateKeyFiles({ dir, purpose: 'saml', now });
  expect(details(files.privateKey)?.modulusLength).toBe(2048);
  expect(new Date(new X509Certificate(readFileSync(files.certificate!)).validTo).getTime()).toBeLessThan(Date.UTC(2031, 0, 1));
  expect(statSync(files.privateKey).mode & 0o777).toBe(0o600);
  const cert = new X509Certificate(readFileSync(files.certificate!));
  const fromKey = createPublicKey(createPrivateKey(readFileSync(files.privateKey)));
  expect(cert.publicKey.equals(fromKey)).toBe(true);
});

test.each([
  ['2026-12-04T00:00:00Z', 2048],
  ['2027-12-31T23:59:59Z', 2048], // certificate to 2030-12-30
  ['2028-01-01T00:00:00Z', 3072], // 2028 is a leap year: three years of 365 days end on 2031-01-01
  ['2028-01-10T00:00:00Z', 3072], // it would sign in 2031, when NIST SP 800-57 asks for 128-bit security
  ['2035-06-01T00:00:00Z', 3072],
])('the default size for a key made on %s is %i bits', (made, bits) => {
  expect(defaultRsaBits(new Date(made))).toBe(bits);
});

test('an OIDC key made from 2028 on is 3072 bits unless asked', async () => {
  const files = await generateKeyFiles({ dir, purpose: 'oidc', now: new Date('2028-06-01T00:00:00Z') });
  expect(details(files.privateKey)?.modulusLength).toBe(3072);
});

test.each<[string, 'saml' | 'oidc', RsaKeyBits]>([
  ['a SAML key of 3072 bits', 'saml', 3072],
  ['an OIDC key of 3072 bits', 'oidc', 3072],
])('%s when asked, which the issuer loads as RS256', async (_name, purpose, bits) => {
  const files = await generateKeyFiles({ dir, purpose, bits });
  expect(details(files.privateKey)?.modulusLength).toBe(bits);
  if (files.certificate)
    expect(new X509Certificate(readFileSync(files.certificate)).publicKey.asymmetricKeyDetails?.modulusLength).toBe(bits);
  const keySet = await loadKeySet([{ privateKey: files.privateKey, certificate: files.certificate }], purpose);
  expect(keySet.signing.alg).toBe('RS256');
});

test('an ES256 key is P-256, and a size asked for it is refused rather than ignored', async () => {
  const files = await generateKeyFiles({ dir, purpose: 'oidc', alg: 'ES256' });
  expect(details(files.privateKey)?.namedCurve).toBe('prime256v1');
  await expect(generateKeyFiles({ dir, purpose: 'oidc', alg: 'ES256', bits: 2048 })).rejects.toThrow(/RSA keys only/);
});

test('a size outside 2048, 3072 and 4096 is refused, and nothing is written', async () => {
  const before = readdirSync(dir).length;
  await expect(generateKeyFiles({ dir, purpose: 'saml', bits: 1024 as RsaKeyBits })).rejects.toThrow('RSA keys are 2048, 3072, 4096 bits');
  expect(readdirSync(dir)).toHaveLength(before);
});
