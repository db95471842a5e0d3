import { randomBytes, webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/** RSA sizes the generator offers; `defaultRsaBits` unless asked. */
export const RSA_KEY_BITS = [2048, 3072, 4096] as const;
export type RsaKeyBits = (typeof RSA_KEY_BITS)[number];

/** How long the generated SAML certificate is valid, and so how long the key is meant to sign. */
const KEY_LIFETIME_MS = 3 * 365 * 24 * 3600 * 1000;
/**
 * NIST SP 800-57 Part 1 accepts 112-bit security (RSA-2048) for new signatures until the end of
 * 2030: a key made by the end of this year has its three years (and its certificate) end before 2031.
 */
const LAST_YEAR_FOR_RSA_2048 = 2027;

/**
 * The smallest RSA size NIST SP 800-57 accepts for the key's whole life: 2048 bits (112-bit
 * security, what Okta, Entra ID, Google and AWS sign SAML and ID tokens with) for a key made by
 * the end of 2027, whose certificate ends before 2031; 3072 bits (128-bit) for one made later.
 * The size is the issuer's throughput: with Node's OpenSSL 3.0 a 2048-bit signature is 3 to 6
 * times cheaper than a 3072-bit one, and every CLI credential and console sign-in costs one or
 * two (docs/operations.md, "Capacity").
 */
export function defaultRsaBits(now: Date): RsaKeyBits {
  return now.getUTCFullYear() <= LAST_YEAR_FOR_RSA_2048 ? 2048 : 3072;
}

export interface GeneratedKeyFiles {
  privateKey: string;
  certificate?: string;
}

/**
 * Writes a new signing key (mode 0600) and, for SAML, a self-signed certificate to upload in the
 * RAM SAML provider's metadata. File names carry the date so several can sit side by side during a
 * rotation. RSA keys are `defaultRsaBits(now)` unless `bits` says otherwise.
 */
export async function generateKeyFiles(options: {
  dir: string;
  purpose: 'saml' | 'oidc';
  alg?: 'RS256' | 'ES256';
  bits?: RsaKeyBits;
  commonName?: string;
  now?: Date;
}): Promise<GeneratedKeyFiles> {
  const now = options.now ?? new Date();
  const alg = options.purpose === 'saml' ? 'RS256' : (options.alg ?? 'RS256');
  if (alg === 'ES256' && options.bits !== undefined) throw new Error('bits apply to RSA keys only; an ES256 key is P-256');
  const bits = options.bits ?? defaultRsaBits(now);
  if (!RSA_KEY_BITS.includes(bits)) throw new Error(`RSA keys are ${RSA_KEY_BITS.join(', ')} bits`);
  const algorithm =
    alg === 'ES256'
      ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const stamp = now.toISOString().slice(0, 10).replace(/-/g, '');
  const base = join(options.dir, `${options.purpose}-${stamp}-${randomBytes(3).toString('hex')}`);
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const files: GeneratedKeyFiles = { privateKey: `${base}.key` };
  await writeFile(files.privateKey, toPem('PRIVATE KEY', pkcs8), { mode: 0o600, flag: 'wx' });
  if (options.purpose === 'saml') {
    const cert = await x509.X509CertificateGenerator.createSelfSigned(
      {
        serialNumber: randomBytes(16)
          .toString('hex')
          .replace(/^[89a-f]/, '1'),
        name: `CN=${options.commonName ?? 'rambridge SAML signing'}`,
        notBefore: new Date(now.getTime() - 60_000),
        notAfter: new Date(now.getTime() + KEY_LIFETIME_MS),
        signingAlgorithm: algorithm,
        keys,
        extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
      },
      webcrypto,
    );
    files.certificate = `${base}.crt`;
    await writeFile(files.certificate, cert.toString('pem') + '\n', { flag: 'wx' });
  }
  return files;
}

function toPem(label: string, der: Buffer): string {
  const body = der.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n');
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}
