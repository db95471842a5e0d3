import type { SignatureRequirement } from '../../config/saml.js';
import { samlRefusal } from './refusal.js';
import { child, children, NS, type XmlElement } from './xml.js';

/** Which signatures node-saml must verify on one answer. */
export interface SignaturePlan {
  response: boolean;
  assertion: boolean;
}

/**
 * Reads which signatures an answer carries (enveloped `ds:Signature` children of the Response and
 * of its Assertion) and decides what node-saml must verify: every signature the IdP's
 * `requireSigned` demands, and every other one that is present, so a signature that does not
 * verify is never ignored. Refuses, naming it in the log, an answer missing a required signature.
 * An EncryptedAssertion's signature is only visible after decryption: node-saml checks it there.
 * An EncryptedAssertion always needs a signed Response, whatever `requireSigned` says: anyone can
 * encrypt to our certificate, and decrypting what no signature vouches for would make the bridge
 * an oracle for its RSA-OAEP key (security.md §1.4, encrypted assertions).
 */
export function signaturePlan(root: XmlElement, required: SignatureRequirement): SignaturePlan {
  const responseSigned = children(root, NS.dsig, 'Signature').length > 0;
  const assertion = child(root, NS.assertion, 'Assertion');
  const assertionSigned = assertion !== undefined && children(assertion, NS.dsig, 'Signature').length > 0;
  const encrypted = child(root, NS.assertion, 'EncryptedAssertion') !== undefined;
  const needResponse = required !== 'assertion' || encrypted;
  const needAssertion = required !== 'response';
  const missing = [
    ...(needResponse && !responseSigned ? ['Response'] : []),
    ...(needAssertion && assertion && !assertionSigned ? ['Assertion'] : []),
  ];
  if (missing.length > 0) {
    throw samlRefusal('ERR_SAML_SIGNATURE_INVALID', {
      reason: 'a signature the IdP configuration requires is missing',
      missing,
      requireSigned: required,
      present: { response: responseSigned, assertion: assertion ? assertionSigned : 'encrypted' },
    });
  }
  return { response: needResponse || responseSigned, assertion: needAssertion || assertionSigned };
}
