import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';

/** How the issuer signs with a key: RSA keys RS256, P-256 keys ES256. */
export type SigningAlgorithm = 'RS256' | 'ES256';

/**
 * The issuer's rules for one of its signing keys, in one place for `check-config` and for `serve`:
 * RSA of 2048 bits or more with public exponent 65537, or EC P-256 for OIDC (the assertions are
 * signed rsa-sha256, so an EC key would load and then fail every SAML issuance); a SAML key with the
 * certificate of that key.
 * Returns the algorithm, or why the key cannot sign.
 */
export function signingKeyRule(
  privateKey: KeyObject,
  purpose: 'saml' | 'oidc',
  certificate: X509Certificate | undefined,
): { algorithm: SigningAlgorithm } | { problem: string } {
  const algorithm = algorithmOf(privateKey, purpose);
  if (typeof algorithm !== 'string') return algorithm;
  // A small exponent (3) lets a verifier with lax PKCS#1 v1.5 parsing accept forged signatures
  // (Bleichenbacher 2006), and how RAM and STS verify is not ours to check: our own keys use 65537,
  // as every generator does. (An IdP's keys are verified here, strictly: samlIdpKeyProblem.)
  if (algorithm === 'RS256' && privateKey.asymmetricKeyDetails?.publicExponent !== 65537n) {
    return { problem: 'RSA keys need public exponent 65537' };
  }
  if (certificate && !certificate.publicKey.equals(createPublicKey(privateKey))) {
    return { problem: 'the certificate does not belong to the private key' };
  }
  if (!certificate && purpose === 'saml') {
    return { problem: 'a SAML signing key needs its certificate (RAM trusts the certificate in the metadata)' };
  }
  return { algorithm };
}

/**
 * The same rule for the key of an IdP's SAML signing certificate (`idps.<id>.certificates`, or one
 * from its metadata): RSA of 2048 bits or more. No EC key: the signature algorithms accepted from an
 * IdP are rsa-sha256 and rsa-sha512 (src/idp/saml/algorithms.ts), so it could verify nothing. Returns
 * why the key is refused, naming its type and size, or undefined.
 */
export function samlIdpKeyProblem(publicKey: KeyObject): string | undefined {
  const algorithm = algorithmOf(publicKey, 'saml');
  return typeof algorithm === 'string' ? undefined : `${algorithm.problem}; this certificate's key is ${keyDescription(publicKey)}`;
}

function algorithmOf(key: KeyObject, purpose: 'saml' | 'oidc'): SigningAlgorithm | { problem: string } {
  if (key.asymmetricKeyType === 'rsa') {
    return (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048 ? 'RS256' : { problem: 'RSA keys need at least 2048 bits' };
  }
  if (purpose === 'saml') return { problem: 'a SAML signing key must be RSA (2048+ bits)' };
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  return { problem: 'use an RSA (2048+ bits) or EC P-256 key' };
}

/** A key's type and size for a message: `RSA-1024`, `EC prime256v1`, `ed25519`. */
function keyDescription(key: KeyObject): string {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') return `RSA-${details?.modulusLength ?? '?'}`;
  if (key.asymmetricKeyType === 'ec') return `EC ${details?.namedCurve ?? '?'}`;
  return key.asymmetricKeyType ?? 'a key of unknown type';
}

/**
 * The issuer's rule for a list of signing keys (`issuer.samlKeys` or `issuer.oidcKeys`), in one
 * place for `check-config` and for `serve`: each key once. A key's JWKS `kid` is its RFC 7638
 * thumbprint, so one OIDC key listed twice (copied first in a rotation and left second, or given
 * under two paths or in two PEM encodings) is published twice under one `kid`, and a verifier that
 * finds two matching keys refuses every token: the CLI's API and every `via: oidc` role would fail.
 * A SAML key is published by its certificate, so one key may be listed with two certificates (a
 * renewed certificate rolled out as a new key would be: second, then first); the same certificate
 * twice is the repeat. `keys[i]` is undefined for a key that does not read or breaks
 * signingKeyRule (reported on its own). Returns each repeat's index and the index of its first listing.
 */
export function repeatedSigningKeys(
  keys: ReadonlyArray<{ privateKey: KeyObject; certificate?: X509Certificate } | undefined>,
  purpose: 'saml' | 'oidc',
): Array<{ index: number; sameAs: number }> {
  const firstListed = new Map<string, number>();
  const repeats: Array<{ index: number; sameAs: number }> = [];
  keys.forEach((key, index) => {
    if (!key) return;
    const identity = publicKeyIdentity(key.privateKey) + (purpose === 'saml' ? ` ${key.certificate?.fingerprint256 ?? ''}` : '');
    const sameAs = firstListed.get(identity);
    if (sameAs === undefined) firstListed.set(identity, index);
    else repeats.push({ index, sameAs });
  });
  return repeats;
}

/** The problem `repeatedSigningKeys` reports, naming the entry it repeats. */
export function sameKeyProblem(listPath: string, sameAs: number): string {
  return `the same key as ${listPath}[${sameAs}]`;
}

/** The public key in one encoding (SPKI DER), whatever PEM form the private key came in. */
function publicKeyIdentity(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
}
