import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { SamlIdp } from '../../config/index.js';
import { ConfigInvalid, readPemOrFileSync, samlIdpKeyProblem } from '../../config/index.js';

/** Our SP key pair: signs AuthnRequests and decrypts assertions. */
export interface SpKeys {
  privateKey: string;
  certificate: string;
}

/**
 * Certificates and keys in the config are PEM text or the path of a file holding it. They are read
 * when the connector is built, so a wrong path or a key that does not fit its certificate stops the
 * bridge at start-up instead of failing the first sign-in.
 */
export function readCertificate(value: string, path: string): string {
  const pem = readPemOrFileSync(value, path);
  try {
    return new X509Certificate(pem).toString();
  } catch (err) {
    throw problem(path, err);
  }
}

/**
 * An IdP signing certificate pinned in the config, read as `readCertificate` reads it; one whose key
 * is too weak to trust for that IdP's assertions (samlIdpKeyProblem: RSA under 2048 bits, or not
 * RSA) is a configuration error, as `check-config` reports it too.
 */
export function readIdpCertificate(value: string, path: string): string {
  const pem = readCertificate(value, path);
  const problem = samlIdpKeyProblem(new X509Certificate(pem).publicKey);
  if (problem) throw new ConfigInvalid('config', [{ path, message: problem }]);
  return pem;
}

/** A certificate as IdP metadata carries it: base64 DER without PEM armour. */
export function certificateFromBase64(der: string): string {
  return new X509Certificate(Buffer.from(der.replace(/\s+/g, ''), 'base64')).toString();
}

export function loadSpKeys(idp: SamlIdp): SpKeys | undefined {
  if (!idp.spPrivateKey || !idp.spCertificate) return undefined;
  const base = `idps.${idp.id}`;
  const certificate = readCertificate(idp.spCertificate, `${base}.spCertificate`);
  const privateKey = readPemOrFileSync(idp.spPrivateKey, `${base}.spPrivateKey`);
  try {
    if (!new X509Certificate(certificate).checkPrivateKey(createPrivateKey(privateKey))) {
      throw new Error('the key does not belong to spCertificate');
    }
  } catch (err) {
    throw problem(`${base}.spPrivateKey`, err);
  }
  return { privateKey, certificate };
}

/** The base64 DER inside a PEM certificate (what metadata's X509Certificate holds). */
export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

function problem(path: string, err: unknown): ConfigInvalid {
  return new ConfigInvalid('config', [
    { path, message: `not a usable PEM value or file: ${err instanceof Error ? err.message : String(err)}` },
  ]);
}
