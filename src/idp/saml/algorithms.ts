import { samlRefusal } from './refusal.js';
import { anyDescendants, attr, children, NS, type XmlElement } from './xml.js';

/**
 * Algorithm allowlists, checked on the raw document before node-saml runs (reject-only). xml-crypto
 * verifies RSA-SHA1 and SHA-1 digests and node-saml accepts them (docs/security-reference.md §1.3 #60);
 * xml-encryption decrypts AES-CBC and 3DES, open to padding oracles when anything is unsigned (#76, #77).
 */
export const SIGNATURE_ALGORITHMS: ReadonlySet<string> = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);

export const DIGEST_ALGORITHMS: ReadonlySet<string> = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

export const CONTENT_ENCRYPTION_ALGORITHMS: ReadonlySet<string> = new Set([
  'http://www.w3.org/2009/xmlenc11#aes128-gcm',
  'http://www.w3.org/2009/xmlenc11#aes256-gcm',
]);

/**
 * RSA-OAEP key transport, as `rsa-oaep-mgf1p` (what IdPs send): xml-encryption 3.x cannot decrypt
 * the `xmlenc11#rsa-oaep` form, and RSA 1.5 is a Bleichenbacher oracle (Node ≥ 20 refuses it anyway).
 */
export const KEY_TRANSPORT_ALGORITHMS: ReadonlySet<string> = new Set(['http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p']);

/** Refuses any signature or digest method outside SHA-256/512 anywhere in the document. */
export function checkSignatureAlgorithms(root: XmlElement): void {
  for (const method of anyDescendants(root, 'SignatureMethod')) {
    const algorithm = attr(method, 'Algorithm');
    if (!algorithm || !SIGNATURE_ALGORITHMS.has(algorithm)) {
      throw samlRefusal('ERR_SAML_ALGORITHM_REFUSED', { reason: 'signature algorithm not allowed', algorithm });
    }
  }
  // A DigestMethod also sits inside an RSA-OAEP EncryptionMethod (the OAEP hash, not a signature
  // digest); only those of a signature Reference are signature digests.
  for (const method of anyDescendants(root, 'DigestMethod')) {
    if (method.parentNode?.localName !== 'Reference') continue;
    const algorithm = attr(method, 'Algorithm');
    if (!algorithm || !DIGEST_ALGORITHMS.has(algorithm)) {
      throw samlRefusal('ERR_SAML_ALGORITHM_REFUSED', { reason: 'digest algorithm not allowed', algorithm });
    }
  }
}

/** Refuses encrypted content we cannot or will not decrypt, before node-saml tries. */
export function checkEncryption(root: XmlElement, canDecrypt: boolean): void {
  if (children(root, NS.assertion, 'EncryptedAssertion').length > 0 && !canDecrypt) {
    throw samlRefusal('ERR_SAML_ENCRYPTION_REFUSED', { reason: 'encrypted assertion, but no spPrivateKey is configured to decrypt it' });
  }
  for (const data of [...anyDescendants(root, 'EncryptedData'), ...anyDescendants(root, 'EncryptedKey')]) {
    const methods = children(data, NS.xenc, 'EncryptionMethod');
    const allowed = data.localName === 'EncryptedData' ? CONTENT_ENCRYPTION_ALGORITHMS : KEY_TRANSPORT_ALGORITHMS;
    const algorithm = methods.length === 1 ? attr(methods[0]!, 'Algorithm') : undefined;
    if (!algorithm || !allowed.has(algorithm)) {
      throw samlRefusal('ERR_SAML_ENCRYPTION_REFUSED', {
        reason: `${data.localName} algorithm not allowed`,
        algorithm,
        methods: methods.length,
      });
    }
  }
}
