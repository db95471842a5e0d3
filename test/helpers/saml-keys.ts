import { randomBytes, webcrypto } from 'node:crypto';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export interface TestKeyPair {
  privateKeyPem: string;
  certificatePem: string;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

/** A key other than RSA-2048: `{ rsaBits: 1024 }`, or `{ ecCurve: 'P-256' }`. */
export type TestKeyKind = { rsaBits: number } | { ecCurve: string };

/** A fresh 2048-bit RSA key (or `kind`) and self-signed certificate: no key material ever lives in the repository. */
export async function testKeyPair(commonName: string, kind?: TestKeyKind): Promise<TestKeyPair> {
  const [pair] = await testKeyWithCertificates(commonName, 1, kind);
  return pair!;
}

/** One fresh key with `count` certificates of its own (a certificate renewed, the key kept). */
export async function testKeyWithCertificates(commonName: string, count: number, kind?: TestKeyKind): Promise<TestKeyPair[]> {
  const algorithm =
    kind === undefined
      ? RSA
      : 'rsaBits' in kind
        ? { ...RSA, modulusLength: kind.rsaBits }
        : { name: 'ECDSA', namedCurve: kind.ecCurve, hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const body = pkcs8.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n');
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${body}-----END PRIVATE KEY-----\n`;
  const pairs: TestKeyPair[] = [];
  for (let i = 0; i < count; i++) {
    const cert = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: `01${randomBytes(8).toString('hex')}`,
        name: `CN=${commonName}`,
        notBefore: new Date(Date.now() - 60_000),
        notAfter: new Date(Date.now() + 86_400_000),
        signingAlgorithm: algorithm,
        keys,
      },
      webcrypto,
    );
    pairs.push({ privateKeyPem, certificatePem: cert.toString('pem') });
  }
  return pairs;
}
