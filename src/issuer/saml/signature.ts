import { createHash } from 'node:crypto';
import { signAsync } from '../jws.js';
import type { SigningKey } from '../keys.js';
import { ALGORITHMS, NS } from './xml.js';

/**
 * XML-DSig enveloped signatures over XML the bridge writes itself, already in exclusive canonical
 * form (W3C exc-c14n: namespace declarations first and only where first used, attributes in
 * name order, no empty-element shorthand, canonical escaping). The canonical bytes are then the
 * bytes we wrote, so the digest is a hash of our own string: no parse, no XPath, no
 * canonicalisation pass per signature. Verifiers canonicalise the document they receive and get
 * these same bytes; the unit tests check that with xml-crypto, the emulator with its own checks.
 */

/** Text content, escaped as exc-c14n writes it (C14N 1.0 §2.3: &, <, > only). */
export function c14nText(value: string): string {
  return value.replace(/[&<>\r]/g, (ch) => TEXT_ESCAPES[ch]!);
}

/** An attribute value in double quotes, escaped as exc-c14n writes it. */
export function c14nAttribute(value: string): string {
  return value.replace(/[&<"\t\n\r]/g, (ch) => ATTRIBUTE_ESCAPES[ch]!);
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };
const ATTRIBUTE_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '"': '&quot;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;' };

/**
 * The `<ds:Signature>` for the element `canonical` (its exc-c14n form, without this signature),
 * whose ID is `id`: RSA-SHA256 over a SHA-256 digest, enveloped-signature + exc-c14n transforms,
 * and the signing certificate in KeyInfo.
 */
export async function envelopedSignature(canonical: string, id: string, key: SigningKey): Promise<string> {
  if (key.alg !== 'RS256' || !key.certificateBase64) throw new TypeError('SAML signing needs an RSA key with its certificate');
  const digest = createHash('sha256').update(canonical).digest('base64');
  const signedInfo =
    `<ds:CanonicalizationMethod Algorithm="${ALGORITHMS.excC14n}"></ds:CanonicalizationMethod>` +
    `<ds:SignatureMethod Algorithm="${ALGORITHMS.rsaSha256}"></ds:SignatureMethod>` +
    `<ds:Reference URI="#${c14nAttribute(id)}"><ds:Transforms>` +
    `<ds:Transform Algorithm="${ALGORITHMS.enveloped}"></ds:Transform>` +
    `<ds:Transform Algorithm="${ALGORITHMS.excC14n}"></ds:Transform>` +
    `</ds:Transforms><ds:DigestMethod Algorithm="${ALGORITHMS.sha256}"></ds:DigestMethod>` +
    `<ds:DigestValue>${digest}</ds:DigestValue></ds:Reference>`;
  // SignedInfo is canonicalised on its own, so it carries the ds namespace declaration itself.
  const signature = await signAsync(
    'sha256',
    Buffer.from(`<ds:SignedInfo xmlns:ds="${NS.dsig}">${signedInfo}</ds:SignedInfo>`),
    key.privateKey,
  );
  return (
    `<ds:Signature xmlns:ds="${NS.dsig}"><ds:SignedInfo>${signedInfo}</ds:SignedInfo>` +
    `<ds:SignatureValue>${signature.toString('base64')}</ds:SignatureValue>` +
    `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${key.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`
  );
}
