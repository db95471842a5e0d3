import type { SamlConfig } from '@node-saml/node-saml';
import type { SamlIdp } from '../../config/index.js';
import { NAMEID_FORMATS } from '../../config/saml.js';
import { BridgeError } from '../../errors.js';
import { nodeSaml } from './library.js';
import type { SpKeys } from './pem.js';
import { samlRefusal, type SamlRefusalCode } from './refusal.js';
import type { SignaturePlan } from './signatures.js';
import type { IdpTrust } from './trust.js';

/**
 * node-saml's options, every security-relevant one set explicitly: its defaults accept unsolicited
 * and replayed responses, sign with SHA-1 and apply no clock skew or age bound (docs/security-reference.md §1.2).
 */
export function nodeSamlConfig(
  idp: SamlIdp,
  trust: IdpTrust,
  sp: SpKeys | undefined,
  verify: SignaturePlan = { response: true, assertion: true },
): SamlConfig {
  return {
    entryPoint: trust.entryPoint,
    idpCert: trust.certificates,
    issuer: idp.spEntityId,
    callbackUrl: idp.acsUrl,
    // Never `false` (which turns the check off); our entityID is the only audience we accept.
    audience: idp.spEntityId,
    // Per answer, from signatures.ts: what the IdP's `requireSigned` demands plus whatever is
    // present. node-saml then reads the assertion only from XML a verified signature covers.
    wantAuthnResponseSigned: verify.response,
    wantAssertionsSigned: verify.assertion,
    // InResponseTo is checked by us, stricter than node-saml can: the AuthnRequest ID travels in
    // this browser's sealed flow cookie and must be the Response's InResponseTo (response-checks.ts)
    // and that of the one bearer SubjectConfirmation (assertion-checks.ts), within the flow's
    // lifetime. node-saml's own check needs a server-side cache written at every `GET /login`,
    // which is unbounded state before authentication (issue 9, item 7); it stays off.
    validateInResponseTo: nodeSaml().ValidateInResponseTo.never,
    acceptedClockSkewMs: idp.clockSkewSeconds * 1000,
    maxAssertionAgeMs: idp.maxAssertionAgeSeconds * 1000,
    identifierFormat: idp.nameIdFormat === 'unspecified' ? null : NAMEID_FORMATS[idp.nameIdFormat],
    // node-saml otherwise asks for PasswordProtectedTransport "exact", which Entra ID refuses
    // (AADSTS75011) for anyone who signed in with MFA or without a password.
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    ...(sp && { privateKey: sp.privateKey, publicCert: sp.certificate, decryptionPvk: sp.privateKey }),
  };
}

/**
 * node-saml 5.1.0 reports every refusal as a plain Error. The checks made before it runs leave it
 * these kinds, told apart by message (pinned by test/unit/saml/node-saml-errors.test.ts so an
 * upgrade that rewords them fails loudly). The message goes to the log only.
 */
const NODE_SAML_REFUSALS: ReadonlyArray<[RegExp, SamlRefusalCode]> = [
  [/InResponseTo/, 'ERR_SAML_IN_RESPONSE_TO'],
  [/audience|AudienceRestriction/i, 'ERR_SAML_AUDIENCE_MISMATCH'],
  [/expired|not yet valid|No valid subject confirmation/i, 'ERR_SAML_EXPIRED'],
  // Node's AES-GCM tag failure has no code, only this message.
  [/EncryptedAssertion|unable to authenticate data/i, 'ERR_SAML_DECRYPTION_FAILED'],
  [/signature|signed|reference|transform/i, 'ERR_SAML_SIGNATURE_INVALID'],
  [/Error parsing|multiple conditions|Missing SAML assertion/i, 'ERR_SAML_MALFORMED'],
];

/** node-saml's words for a signature that did not verify, and whose it was (for the log). */
const BAD_SIGNATURES: ReadonlyArray<[RegExp, 'Response' | 'Assertion']> = [
  [/^Invalid document signature$/, 'Response'],
  [/^Invalid signature( from encrypted assertion)?$/, 'Assertion'],
];

/** Marks the refusals classifyNodeSamlError makes, whose codes come from node-saml's words. */
const LIBRARY = 'node-saml';

/** Whether `err` is a refusal node-saml made (its code read from a message the answer may have written). */
export function refusedByNodeSaml(err: unknown): boolean {
  return err instanceof BridgeError && err.detail?.library === LIBRARY;
}

export function classifyNodeSamlError(err: unknown): BridgeError {
  const message = err instanceof Error ? err.message : String(err);
  // OpenSSL failures reach us only from RSA-OAEP key transport (a key that is not ours, a tampered
  // key): signature checks report false instead of throwing.
  const openssl = String((err as { code?: unknown } | null)?.code).startsWith('ERR_OSSL_');
  const code = openssl
    ? 'ERR_SAML_DECRYPTION_FAILED'
    : (NODE_SAML_REFUSALS.find(([pattern]) => pattern.test(message))?.[1] ?? 'ERR_SAML_INVALID');
  const badSignature = BAD_SIGNATURES.find(([pattern]) => pattern.test(message))?.[1];
  return samlRefusal(code, { library: LIBRARY, error: message.slice(0, 300), ...(badSignature && { badSignature }) });
}
