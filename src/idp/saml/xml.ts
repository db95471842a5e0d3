import { nodeSamlXml } from './library.js';

/** SAML and XML security namespaces, compared exactly: a look-alike element in another namespace is not ours. */
export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
  xenc: 'http://www.w3.org/2001/04/xmlenc#',
} as const;

interface XmlNode {
  readonly nodeType: number;
}

/**
 * The part of the DOM this module reads. The objects come from node-saml's own xmldom (0.8.x), whose
 * `getAttribute` answers "" rather than null for a missing attribute; `attr` below hides that.
 */
export interface XmlElement extends XmlNode {
  readonly localName: string | null;
  readonly namespaceURI: string | null;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<XmlNode>;
  readonly parentNode: { readonly localName?: string | null } | null;
  getAttribute(name: string): string | null;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<XmlElement>;
}

const ELEMENT_NODE = 1;

/**
 * Parses with the very parser node-saml verifies signatures with, so the document our checks read
 * is the document node-saml checks: no parser differential between the two (ruby-saml
 * CVE-2025-25291 was one). Rejects on any parser error.
 */
export async function parseXml(xml: string): Promise<XmlElement> {
  const doc = (await nodeSamlXml().parseDomFromString(xml)) as unknown as { documentElement: XmlElement | null };
  if (!doc.documentElement) throw new Error('no document element');
  return doc.documentElement;
}

/** Element children of `el` named `localName` in namespace `ns`. */
export function children(el: XmlElement, ns: string, localName: string): XmlElement[] {
  return Array.from(el.childNodes)
    .filter((n): n is XmlElement => n.nodeType === ELEMENT_NODE)
    .filter((e) => is(e, ns, localName));
}

export function child(el: XmlElement, ns: string, localName: string): XmlElement | undefined {
  return children(el, ns, localName)[0];
}

/**
 * Every descendant with this local name, whatever its namespace. For reject-only scans, where
 * looking at more elements than needed can only refuse more.
 */
export function anyDescendants(el: XmlElement, localName: string): XmlElement[] {
  return Array.from(el.getElementsByTagNameNS('*', localName));
}

export function attr(el: XmlElement, name: string): string | undefined {
  const value = el.getAttribute(name);
  return value === null || value === '' ? undefined : value;
}

export function text(el: XmlElement | undefined): string | undefined {
  const value = el?.textContent?.trim();
  return value ? value : undefined;
}

export function is(el: XmlElement, ns: string, localName: string): boolean {
  return el.localName === localName && el.namespaceURI === ns;
}
