import { X509Certificate } from 'node:crypto';
import { samlIdpKeyProblem } from '../../config/index.js';
import { certificateFromBase64 } from './pem.js';
import { attr, child, children, is, NS, parseXml, text, type XmlElement } from './xml.js';

/** What an IdP's SAML metadata tells us. */
export interface IdpMetadata {
  entityId: string;
  /** SingleSignOnService for the HTTP-Redirect binding, the one we send AuthnRequests with. */
  entryPoint?: string;
  /** Signing certificates (PEM), every one listed: IdPs publish the next one before a rollover. */
  certificates: string[];
}

/** A signing certificate of the metadata that is not used: its key is too weak to trust (samlIdpKeyProblem). */
export interface RefusedCertificate {
  /** SHA-256 fingerprint, as `openssl x509 -fingerprint -sha256` shows it. */
  fingerprint: string;
  problem: string;
}

const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/**
 * Reads an EntityDescriptor, or the one for `entityId` in an EntitiesDescriptor aggregate. The
 * metadata is trusted as a whole (it comes from a file the admin placed, or over https), so its
 * signature, if any, is not checked. A DTD is refused: metadata needs none and it is where entity
 * expansion attacks live. A signing certificate whose key is too weak is left out and reported to
 * `onRefused`; metadata left without one has no signing certificate.
 */
export async function parseIdpMetadata(
  xml: string,
  entityId?: string,
  onRefused?: (refused: RefusedCertificate) => void,
): Promise<IdpMetadata> {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Error('IdP metadata with a DTD is refused');
  const root = await parseXml(xml);
  const candidates = is(root, NS.metadata, 'EntitiesDescriptor') ? children(root, NS.metadata, 'EntityDescriptor') : [root];
  const entities = candidates.filter((e) => {
    const id = attr(e, 'entityID');
    return is(e, NS.metadata, 'EntityDescriptor') && id !== undefined && (entityId === undefined || id === entityId);
  });
  if (entities.length !== 1) {
    throw new Error(
      entityId ? `no EntityDescriptor for ${entityId}` : `expected one EntityDescriptor, found ${entities.length} (set issuer to choose)`,
    );
  }
  const entity = entities[0]!;
  const idp = children(entity, NS.metadata, 'IDPSSODescriptor').find((d) =>
    (attr(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(PROTOCOL),
  );
  if (!idp) throw new Error('no SAML 2.0 IDPSSODescriptor');
  const refused: RefusedCertificate[] = [];
  const certificates = signingCertificates(idp).filter((pem) => {
    const certificate = new X509Certificate(pem);
    const problem = samlIdpKeyProblem(certificate.publicKey);
    if (problem) refused.push({ fingerprint: certificate.fingerprint256, problem });
    return problem === undefined;
  });
  refused.forEach((r) => onRefused?.(r));
  if (certificates.length === 0) {
    const why = refused.length > 0 ? ` (${refused.length} refused: ${[...new Set(refused.map((r) => r.problem))].join('; ')})` : '';
    throw new Error(`no signing certificate in IDPSSODescriptor${why}`);
  }
  const sso = children(idp, NS.metadata, 'SingleSignOnService').find((s) => attr(s, 'Binding') === REDIRECT_BINDING);
  return { entityId: attr(entity, 'entityID')!, entryPoint: sso && attr(sso, 'Location'), certificates };
}

/** KeyDescriptors for signing; one without `use` is for both signing and encryption (SAML metadata §2.4.1.1). */
function signingCertificates(idp: XmlElement): string[] {
  return children(idp, NS.metadata, 'KeyDescriptor')
    .filter((k) => (attr(k, 'use') ?? 'signing') === 'signing')
    .flatMap((k) => {
      const keyInfo = child(k, NS.dsig, 'KeyInfo');
      const data = keyInfo ? children(keyInfo, NS.dsig, 'X509Data') : [];
      return data.flatMap((d) => children(d, NS.dsig, 'X509Certificate'));
    })
    .flatMap((c) => text(c) ?? [])
    .map(certificateFromBase64);
}
