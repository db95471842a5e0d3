/**
 * SAML says how a user authenticated in AuthnContextClassRef (and Entra also in an
 * `authnmethodsreferences` attribute); grants speak RFC 8176 `amr`. Unknown references map to
 * nothing: a grant that requires MFA must never be satisfied by a guess.
 */
const AMR_BY_REFERENCE: Record<string, string> = {
  'urn:oasis:names:tc:SAML:2.0:ac:classes:Password': 'pwd',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport': 'pwd',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard': 'sc',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI': 'sc',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract': 'mfa',
  'urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken': 'otp',
  'https://refeds.org/profile/mfa': 'mfa',
  'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password': 'pwd',
  'http://schemas.microsoft.com/claims/multipleauthn': 'mfa',
};

/** Entra ID lists every method used in this attribute. */
export const ENTRA_AUTHN_METHODS_ATTRIBUTE = 'http://schemas.microsoft.com/claims/authnmethodsreferences';

export function amrFromReferences(references: readonly string[]): string[] {
  // Own keys only: a reference such as `constructor` is no method.
  return [...new Set(references.flatMap((r) => (Object.hasOwn(AMR_BY_REFERENCE, r) ? [AMR_BY_REFERENCE[r]!] : [])))];
}
