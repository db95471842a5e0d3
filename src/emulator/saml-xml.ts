import { DOMParser, onWarningStopParsing, type Document, type Element } from '@xmldom/xmldom';

/**
 * Parsing untrusted SAML XML, and the few DOM helpers the SAML modules share.
 *
 * Real SAML messages never carry a DOCTYPE, entity declaration or processing instruction (a scan
 * of 302 real IdP messages found none), and each is the entry point of a known attack: entity
 * expansion, external entities, parser-differential signature wrapping. They are refused before
 * the parser sees the document, and the parser itself stops at the first warning.
 */

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** Why this XML text is refused before parsing, or undefined. */
function hostileXmlConstruct(xml: string): string | undefined {
  if (/<!DOCTYPE/i.test(xml)) return 'DOCTYPE';
  if (/<!ENTITY/i.test(xml)) return 'ENTITY declaration';
  // Only the XML declaration itself may use `<?`, and only at the very start.
  if (/<\?/.test(xml.replace(/^\uFEFF?\s*<\?xml\s[^?]*\?>/, ''))) return 'processing instruction';
  return undefined;
}

/** Parses XML, throwing on hostile constructs or any parser warning. */
export function parseXml(xml: string): Document {
  const hostile = hostileXmlConstruct(xml);
  if (hostile) throw new Error(`XML contains a ${hostile}`);
  const doc = new DOMParser({ onError: onWarningStopParsing }).parseFromString(xml, 'text/xml');
  if (!doc.documentElement) throw new Error('XML has no root element');
  return doc;
}

/** Element children of `parent` with this namespace and local name (no deeper descendants). */
export function children(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === n.ELEMENT_NODE) {
      const el = n as Element;
      if (el.namespaceURI === ns && el.localName === localName) out.push(el);
    }
  }
  return out;
}

/** The only such child; throws when there are none or several. */
export function onlyChild(parent: Element, ns: string, localName: string): Element {
  const found = children(parent, ns, localName);
  if (found.length !== 1) throw new Error(`expected one ${localName} in ${parent.localName}, found ${found.length}`);
  return found[0]!;
}

/** Every element with this namespace and local name anywhere in the document. */
export function descendants(doc: Document, ns: string, localName: string): Element[] {
  return Array.from(doc.getElementsByTagNameNS(ns, localName));
}

/** Trimmed text content of an element. */
export function text(el: Element): string {
  return (el.textContent ?? '').trim();
}

/** An xs:dateTime attribute as epoch milliseconds, undefined when absent; throws when malformed. */
export function timeAttribute(el: Element, name: string): number | undefined {
  if (!el.hasAttribute(name)) return undefined;
  const value = el.getAttribute(name) ?? '';
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new Error(`${el.localName}@${name} is not a UTC dateTime`);
  return ms;
}
