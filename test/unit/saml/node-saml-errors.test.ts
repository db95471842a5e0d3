import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { classifyNodeSamlError } from '../../../src/idp/saml/node-saml.js';

/**
 * node-saml throws plain Errors; the connector turns their messages into codes. Each message below
 * is checked to still be in node-saml's source, so an upgrade that rewords one fails here instead
 * of silently degrading a refusal to ERR_SAML_INVALID.
 */
const libDir = dirname(createRequire(import.meta.url).resolve('@node-saml/node-saml'));
const source = ['saml.js', 'xml.js', 'date-time.js'].map((f) => readFileSync(join(libDir, f), 'utf8')).join('\n');

const NODE_SAML_MESSAGES: Array<[string, string]> = [
  ['InResponseTo is not valid', 'ERR_SAML_IN_RESPONSE_TO'],
  ['InResponseTo is missing from response', 'ERR_SAML_IN_RESPONSE_TO'],
  ['InResponseTo does not match subjectInResponseTo', 'ERR_SAML_IN_RESPONSE_TO'],
  ['SubjectInResponseTo is not valid', 'ERR_SAML_IN_RESPONSE_TO'],
  ['SAML assertion audience mismatch. Expected: ', 'ERR_SAML_AUDIENCE_MISMATCH'],
  ['SAML assertion has no AudienceRestriction', 'ERR_SAML_AUDIENCE_MISMATCH'],
  ['SAML assertion AudienceRestriction has no Audience value', 'ERR_SAML_AUDIENCE_MISMATCH'],
  ['SAML assertion expired: clocks skewed too much', 'ERR_SAML_EXPIRED'],
  ['SAML assertion expired: assertion too old', 'ERR_SAML_EXPIRED'],
  ['SAML assertion not yet valid', 'ERR_SAML_EXPIRED'],
  ['No valid subject confirmation found among those available in the SAML assertion', 'ERR_SAML_EXPIRED'],
  ['Invalid document signature', 'ERR_SAML_SIGNATURE_INVALID'],
  ['Invalid signature', 'ERR_SAML_SIGNATURE_INVALID'],
  ['Invalid signature: multiple assertions', 'ERR_SAML_SIGNATURE_INVALID'],
  ['Invalid signature from encrypted assertion', 'ERR_SAML_SIGNATURE_INVALID'],
  ['Cannot obtain assertion from signed data', 'ERR_SAML_SIGNATURE_INVALID'],
  ['Too many signatures found for this element', 'ERR_SAML_SIGNATURE_INVALID'],
  ['Invalid signature, too many transforms', 'ERR_SAML_SIGNATURE_INVALID'],
  ["Invalid signature: Referenced node does not refer to it's parent element", 'ERR_SAML_SIGNATURE_INVALID'],
  ['Invalid signature: ID cannot refer to more than one element', 'ERR_SAML_SIGNATURE_INVALID'],
  ['Invalid EncryptedAssertion content', 'ERR_SAML_DECRYPTION_FAILED'],
  ['Unable to process multiple conditions in SAML assertion', 'ERR_SAML_MALFORMED'],
  ['Missing SAML assertion', 'ERR_SAML_MALFORMED'],
  ['Error parsing ', 'ERR_SAML_MALFORMED'],
];

describe('classifyNodeSamlError', () => {
  test.each(NODE_SAML_MESSAGES)('"%s" → %s (and node-saml still says it)', (message, code) => {
    expect(source).toContain(message);
    expect(classifyNodeSamlError(new Error(message)).code).toBe(code);
  });

  test.each([
    ['ERR_OSSL_RSA_OAEP_DECODING_ERROR', 'error:02000079:rsa routines::oaep decoding error'],
    ['ERR_OSSL_RSA_DATA_TOO_LARGE_FOR_MODULUS', 'error:0200006E:rsa routines::data too large for modulus'],
  ])('OpenSSL %s (RSA-OAEP with a key that is not ours) → ERR_SAML_DECRYPTION_FAILED', (code, message) => {
    expect(classifyNodeSamlError(Object.assign(new Error(message), { code })).code).toBe('ERR_SAML_DECRYPTION_FAILED');
  });

  test.each([
    ['Unsupported state or unable to authenticate data', 'ERR_SAML_DECRYPTION_FAILED'],
    ['something nobody foresaw', 'ERR_SAML_INVALID'],
  ])('"%s" (a GCM tag failure, or unknown) → %s', (message, code) => {
    expect(classifyNodeSamlError(new Error(message)).code).toBe(code);
  });

  test('the library message is kept for the log, never shown', () => {
    const err = classifyNodeSamlError(new Error('invalid signature: the signature value AbC= is incorrect'));
    expect(err.userMessage).toBe('The sign-in response from your identity provider was refused.');
    expect(err.detail).toEqual({ library: 'node-saml', error: 'invalid signature: the signature value AbC= is incorrect' });
  });
});
