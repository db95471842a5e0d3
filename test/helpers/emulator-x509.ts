import { webcrypto } from 'node:crypto';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';

/**
 * Self-signed certificates made at test time with @peculiar/x509 (for SAML signing keys and a
 * TLS server). Fresh keys on every run: no fixture key ever lives in the repository.
 */
export interface TestCertificate {
  certificatePem: string;
  /** The DER certificate in base64 without PEM armour, as SAML metadata carries it. */
  certificateBase64: string;
  privateKeyPem: string;
}

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

/** A 2048-bit RSA key and a self-signed certificate, valid for a day. */
export async function selfSignedCertificate(commonName: string, options: { ipAddress?: string } = {}): Promise<TestCertificate> {
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const extensions: InstanceType<typeof x509.Extension>[] = [new x509.BasicConstraintsExtension(true, undefined, true)];
  if (options.ipAddress) extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: options.ipAddress }]));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Date.now().toString(16),
    name: `CN=${commonName}`,
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 86_400_000),
    signingAlgorithm: RSA,
    keys,
    extensions,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  return {
    certificatePem: cert.toString('pem'),
    certificateBase64: cert.toString('base64'),
    privateKeyPem: `-----BEGIN PRIVATE KEY-----\n${pkcs8.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`,
  };
}
