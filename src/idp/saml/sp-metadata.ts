import type { Document, Element } from '@xmldom/xmldom';
import type { SamlIdp } from '../../config/index.js';
import { NAMEID_FORMATS } from '../../config/saml.js';
import { CONTENT_ENCRYPTION_ALGORITHMS, KEY_TRANSPORT_ALGORITHMS } from './algorithms.js';
import { xmlDom } from './library.js';
import { pemBody, type SpKeys } from './pem.js';
import { NS } from './xml.js';

const POST_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/**
 * Our SP metadata for one upstream IdP, for admins to upload: entityID, the ACS, the NameID
 * formats we accept (the configured one first; never transient) and, with an SP key, the
 * certificate for signed AuthnRequests and for encryption with the only algorithms we decrypt.
 * Built as a DOM so every value is escaped by the serializer.
 */
export function spMetadataXml(idp: SamlIdp, sp: SpKeys | undefined): string {
  const { DOMImplementation, XMLSerializer } = xmlDom();
  const doc = new DOMImplementation().createDocument(NS.metadata, 'md:EntityDescriptor', null);
  const root = doc.documentElement!;
  root.setAttribute('entityID', idp.spEntityId);
  const descriptor = add(doc, root, 'SPSSODescriptor', {
    protocolSupportEnumeration: 'urn:oasis:names:tc:SAML:2.0:protocol',
    AuthnRequestsSigned: String(sp !== undefined),
    WantAssertionsSigned: 'true',
  });
  if (sp) {
    addKeyDescriptor(doc, descriptor, 'signing', sp.certificate, []);
    addKeyDescriptor(doc, descriptor, 'encryption', sp.certificate, [...CONTENT_ENCRYPTION_ALGORITHMS, ...KEY_TRANSPORT_ALGORITHMS]);
  }
  const formats = [NAMEID_FORMATS[idp.nameIdFormat], ...Object.values(NAMEID_FORMATS)];
  for (const format of new Set(formats)) add(doc, descriptor, 'NameIDFormat', {}).textContent = format;
  add(doc, descriptor, 'AssertionConsumerService', { Binding: POST_BINDING, Location: idp.acsUrl, index: '0', isDefault: 'true' });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}\n`;
}

function addKeyDescriptor(doc: Document, parent: Element, use: 'signing' | 'encryption', certificate: string, algorithms: string[]): void {
  const descriptor = add(doc, parent, 'KeyDescriptor', { use });
  const keyInfo = append(descriptor, doc.createElementNS(NS.dsig, 'ds:KeyInfo'));
  const data = append(keyInfo, doc.createElementNS(NS.dsig, 'ds:X509Data'));
  append(data, doc.createElementNS(NS.dsig, 'ds:X509Certificate')).textContent = pemBody(certificate);
  for (const algorithm of algorithms) add(doc, descriptor, 'EncryptionMethod', { Algorithm: algorithm });
}

function add(doc: Document, parent: Element, name: string, attributes: Record<string, string>): Element {
  const el = append(parent, doc.createElementNS(NS.metadata, `md:${name}`));
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  return el;
}

function append(parent: Element, el: Element): Element {
  parent.appendChild(el);
  return el;
}
