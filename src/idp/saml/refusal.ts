import { BridgeError, type BridgeErrorOptions, type ErrorCode, sentence } from '../../errors.js';

export type SamlRefusalCode = Extract<ErrorCode, `ERR_SAML_${string}`>;

const GENERIC_MESSAGE = sentence('err.ERR_SAML');
const GENERIC_HINT = sentence('hint.saml');

/**
 * A refused SAML response. Users see one fixed sentence plus the code: which check failed is for
 * the log (`detail`), never echoed from the response (attacker input, or xml-crypto messages that
 * embed the SignatureValue). With the response signed and only AES-GCM decrypted, distinct codes
 * give no decryption oracle (docs/security-reference.md §1.4 encrypted assertions, d).
 */
export function samlRefusal(
  code: SamlRefusalCode,
  detail: Record<string, unknown>,
  options: Omit<BridgeErrorOptions, 'detail'> = {},
): BridgeError {
  return new BridgeError(code, {
    userMessage: GENERIC_MESSAGE,
    hint: GENERIC_HINT,
    ...options,
    detail,
  });
}
