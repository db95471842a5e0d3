import { X509Certificate } from 'node:crypto';
import { idpMetadataInvalid } from './errors.js';
import type { SamlProviderEntry } from './directory.js';
import type { RemoteDocuments } from './remote-documents.js';
import { NS, children, onlyChild, parseXml, text } from './saml-xml.js';

/** What RAM keeps of an uploaded IdP metadata document: the entityID and signing certificates. */
export interface IdpMetadata {
  readonly entityId: string;
  /** PEM certificates; several during a key rollover. */
  readonly signingCertificates: readonly string[];
}

/**
 * Parses IdP metadata: an EntityDescriptor with an IDPSSODescriptor whose KeyDescriptors (use
 * "signing" or unspecified) hold X.509 certificates. The metadata's own signature, if any, is not
 * checked: RAM trusts whatever the administrator uploaded.
 */
export function parseIdpMetadata(xml: string): IdpMetadata {
  const root = parseXml(xml).documentElement!;
  if (root.namespaceURI !== NS.metadata || root.localName !== 'EntityDescriptor') {
    throw new Error('root is not an EntityDescriptor');
  }
  const entityId = root.getAttribute('entityID') ?? '';
  if (!entityId) throw new Error('EntityDescriptor has no entityID');
  const idp = onlyChild(root, NS.metadata, 'IDPSSODescriptor');
  const signingCertificates = children(idp, NS.metadata, 'KeyDescriptor')
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => children(k, NS.dsig, 'KeyInfo'))
    .flatMap((k) => children(k, NS.dsig, 'X509Data'))
    .flatMap((d) => children(d, NS.dsig, 'X509Certificate'))
    .map((c) => toPem(text(c)));
  if (signingCertificates.length === 0) throw new Error('no signing certificate');
  return { entityId, signingCertificates };
}

/**
 * Metadata documents already read, by their exact text: RAM reads a provider's metadata when it is
 * uploaded, not on every sign-in, and parsing it (XML plus each certificate) was a twentieth of an
 * AssumeRoleWithSAML call here. Same text, same result; a few providers at most, so a small bound.
 */
const parsedMetadata = new Map<string, IdpMetadata>();
const PARSED_METADATA_MAX = 64;

/** The metadata of a SAML provider, inline or fetched from its URL; IDPMetadata.Invalid when unusable. */
export async function providerMetadata(provider: SamlProviderEntry, documents: RemoteDocuments): Promise<IdpMetadata> {
  try {
    const xml = provider.metadataXml ?? (await documents.text(provider.metadataUrl!));
    let metadata = parsedMetadata.get(xml);
    if (!metadata) {
      metadata = Object.freeze(parseIdpMetadata(xml)); // shared by every call that reads this text
      if (parsedMetadata.size >= PARSED_METADATA_MAX) parsedMetadata.clear();
      parsedMetadata.set(xml, metadata);
    }
    return metadata;
  } catch (err) {
    throw idpMetadataInvalid(`${provider.arn}: ${(err as Error).message}`);
  }
}

function toPem(base64: string): string {
  const body = base64.replace(/\s+/g, '');
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
  new X509Certificate(pem); // throws on anything that is not a certificate
  return pem;
}
