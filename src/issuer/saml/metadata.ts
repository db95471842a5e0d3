import type { KeySet } from '../keys.js';
import { NS, xmlEscape } from './xml.js';

/**
 * The bridge's SAML IdP metadata, to upload as a RAM SAML provider. Every published certificate is
 * listed, so during a rotation RAM accepts assertions signed by the old or the new key.
 */
export function samlIdpMetadata(options: { entityId: string; ssoUrl: string; keys: KeySet }): string {
  const keyDescriptors = options.keys.published
    .map(
      (key) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${key.certificateBase64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" xmlns:ds="${NS.dsig}" entityID="${xmlEscape(options.entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="${NS.protocol}">` +
    keyDescriptors +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${xmlEscape(options.ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`
  );
}
