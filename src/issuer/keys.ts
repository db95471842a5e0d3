import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import { ConfigInvalid, readPemOrFile, repeatedSigningKeys, sameKeyProblem, signingKeyRule } from '../config/index.js';
import type { KeyPairConfig } from '../config/schema.js';

/** One signing key of the bridge, ready to sign and to publish. */
export interface SigningKey {
  /** RFC 7638 thumbprint: stable, so a JWKS `kid` never changes for the same key. */
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicJwk: JWK;
  /** The certificate (SAML keys), also as PEM. */
  certificate?: X509Certificate;
  certificatePem?: string;
  /** The certificate body in base64, as it appears in metadata `<ds:X509Certificate>`. */
  certificateBase64?: string;
}

/**
 * The first key signs, every one is published, so a rotation is "add the new key second, move it
 * first once RAM and every verifier know it, drop the old one once what it signed has expired"
 * (docs/operations.md, "Key rotation without downtime").
 */
export interface KeySet {
  signing: SigningKey;
  published: SigningKey[];
}

/**
 * Loads keys from PEM text or files. A SAML key without a matching certificate is refused, and so
 * is a key listed twice (repeatedSigningKeys: its `kid` would be published twice).
 */
export async function loadKeySet(pairs: KeyPairConfig[], purpose: 'saml' | 'oidc'): Promise<KeySet> {
  const listPath = `issuer.${purpose}Keys`;
  const keys = await Promise.all(pairs.map((pair, i) => loadKey(pair, `${listPath}[${i}]`, purpose)));
  const [repeat] = repeatedSigningKeys(keys, purpose);
  if (repeat) throw invalid(`${listPath}[${repeat.index}]`, sameKeyProblem(listPath, repeat.sameAs));
  return { signing: keys[0]!, published: keys };
}

async function loadKey(pair: KeyPairConfig, where: string, purpose: 'saml' | 'oidc'): Promise<SigningKey> {
  const privateKey = createPrivateKey(await readPemOrFile(pair.privateKey, `${where}.privateKey`));
  const cert = pair.certificate ? new X509Certificate(await readPemOrFile(pair.certificate, `${where}.certificate`)) : undefined;
  const rule = signingKeyRule(privateKey, purpose, cert);
  if ('problem' in rule) throw invalid(where, rule.problem);
  const publicJwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(publicJwk);
  const alg = rule.algorithm;
  const key: SigningKey = { kid, alg, privateKey, publicJwk: { ...publicJwk, kid, alg, use: 'sig' } };
  if (cert) {
    key.certificate = cert;
    key.certificatePem = cert.toString();
    key.certificateBase64 = cert.raw.toString('base64');
  }
  return key;
}

/** As check-config reports the same problem: `serve` and a reload print it the same way. */
function invalid(path: string, message: string): ConfigInvalid {
  return new ConfigInvalid('config', [{ path, message }]);
}
