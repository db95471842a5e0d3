import type { Document, Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { NS, children, descendants } from './saml-xml.js';

/**
 * XML signature checks for SAML, done the way that survives the known attacks:
 *
 * - only the algorithms below, anywhere in the document. Which algorithms STS accepts is
 *   unconfirmed (docs/alibaba-cloud-reference.md §10: `rsa-sha1` appears only as a provider's `AuthnSignAlgo`), so the
 *   stricter choice refuses SHA-1 outright;
 * - exactly one enveloped signature on the element, with one Reference to that element's own,
 *   document-unique ID — which defeats signature wrapping (XSW1–8) that moves a signed copy
 *   elsewhere and lets the reader pick an unsigned one;
 * - the key comes from the provider metadata only, never from the message's KeyInfo;
 * - and the caller gets back the canonical bytes xml-crypto actually digested
 *   (`getSignedReferences`), so nothing outside the signature can reach what is read.
 */

const ALLOWED = {
  SignatureMethod: ['http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512'],
  DigestMethod: ['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512'],
  CanonicalizationMethod: ['http://www.w3.org/2001/10/xml-exc-c14n#'],
  Transform: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
} as const;

/** Throws when any signature in the document names an algorithm outside the allowlist. */
export function checkSignatureAlgorithms(doc: Document): void {
  for (const [localName, allowed] of Object.entries(ALLOWED)) {
    for (const el of descendants(doc, NS.dsig, localName)) {
      const algorithm = el.getAttribute('Algorithm') ?? '';
      if (!(allowed as readonly string[]).includes(algorithm)) throw new Error(`${localName} ${algorithm} is not allowed`);
    }
  }
}

/** Whether the element carries an enveloped XML signature of its own. */
export function isSigned(element: Element): boolean {
  return children(element, NS.dsig, 'Signature').length > 0;
}

/**
 * Verifies `element`'s enveloped signature against one of the PEM certificates and returns the
 * canonical XML that was signed. `xml` must be the exact text `doc` was parsed from.
 */
export function verifiedXmlOf(xml: string, doc: Document, element: Element, certificates: readonly string[]): string {
  const signatures = children(element, NS.dsig, 'Signature');
  if (signatures.length !== 1) throw new Error(`${element.localName} has ${signatures.length} signatures, expected 1`);
  const id = element.getAttribute('ID') ?? '';
  if (!/^[A-Za-z_][\w.-]*$/.test(id)) throw new Error(`${element.localName} has no usable ID`);
  const sameId = ['ID', 'Id', 'id'].flatMap((attr) => descendantsWithAttribute(doc, attr, id));
  if (sameId.length !== 1) throw new Error(`ID ${id} is not unique in the document`);

  for (const certificate of certificates) {
    // getCertFromKeyInfo: never trust a key the message brings along (CVE-2024-32962).
    const sig = new SignedXml({ publicCert: certificate, getCertFromKeyInfo: () => null });
    sig.loadSignature(signatures[0]!);
    const references = sig.getReferences();
    if (references.length !== 1 || references[0]!.uri !== `#${id}`) {
      throw new Error('the signature must reference its parent element, and only it');
    }
    if (references[0]!.transforms.length > 2) throw new Error('too many transforms');
    let valid: boolean;
    try {
      valid = sig.checkSignature(xml);
    } catch {
      valid = false; // xml-crypto throws for a wrong key; try the next certificate
    }
    const signed = sig.getSignedReferences();
    if (valid && signed.length === 1) return signed[0]!;
  }
  throw new Error('the signature does not verify with the provider certificate');
}

function descendantsWithAttribute(doc: Document, attr: string, value: string): Element[] {
  return Array.from(doc.getElementsByTagName('*')).filter((el) => el.getAttribute(attr) === value);
}
