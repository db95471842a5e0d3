import { createRequire } from 'node:module';

/**
 * node-saml and the XML stack under it (xml-crypto, xml-encryption, xmldom, xml2js, xpath: about
 * 6 MB resident) are loaded by the first SAML sign-in or metadata read, not at start: a bridge
 * whose users sign in with OIDC never holds them. All are CommonJS, so a synchronous require
 * finds them (once; later calls are a cache hit).
 */
const require = createRequire(import.meta.url);

export type NodeSaml = typeof import('@node-saml/node-saml');
export type NodeSamlXml = typeof import('@node-saml/node-saml/lib/xml.js');
export type XmlDom = typeof import('@xmldom/xmldom');

export const nodeSaml = (): NodeSaml => require('@node-saml/node-saml') as NodeSaml;
/** node-saml's own parser module: the one it verifies signatures with (see xml.ts). */
export const nodeSamlXml = (): NodeSamlXml => require('@node-saml/node-saml/lib/xml.js') as NodeSamlXml;
/** The top-level xmldom, which writes our SP metadata. */
export const xmlDom = (): XmlDom => require('@xmldom/xmldom') as XmlDom;
