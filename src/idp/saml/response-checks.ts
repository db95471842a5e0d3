import { BridgeError, sentence, type Sentence } from '../../errors.js';
import { checkEncryption, checkSignatureAlgorithms } from './algorithms.js';
import { samlRefusal } from './refusal.js';
import { attr, child, children, is, NS, text, type XmlElement } from './xml.js';

export interface ResponseExpectations {
  /** The IdP's entityID. */
  issuer: string;
  /** Our ACS URL: the only Destination we accept. */
  acsUrl: string;
  /** The AuthnRequest ID stored in this browser's flow. */
  requestId: string | undefined;
  canDecrypt: boolean;
  /** The answer's length in characters, as posted. */
  size: number;
}

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
/** A real IdP's refusal is its Status, Issuer and perhaps a signature: a few kilobytes at most. */
const MAX_REFUSAL_CHARS = 16 * 1024;
const ENTITY_FORMAT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity';

/**
 * Checks on the Response element node-saml does not make, run on the parsed document before
 * node-saml (docs/security-reference.md §1.5). Each can only refuse; nothing read here reaches the identity,
 * which comes from the signed assertion alone.
 */
export function checkResponse(root: XmlElement, expected: ResponseExpectations): void {
  if (!is(root, NS.protocol, 'Response'))
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'root is not a samlp:Response', root: root.localName });
  checkStatus(root, expected.size);
  checkIssuer(root, expected.issuer);
  checkInResponseTo(root, expected.requestId);
  // Signed messages MUST carry Destination (SAML bindings §3.5.5.2); a response minted for another
  // SP's ACS is not for us even when validly signed by our IdP.
  const destination = attr(root, 'Destination');
  if (destination !== expected.acsUrl) throw samlRefusal('ERR_SAML_DESTINATION_MISMATCH', { expected: expected.acsUrl, got: destination });
  checkSignatureAlgorithms(root);
  checkEncryption(root, expected.canDecrypt);
  if (children(root, NS.assertion, 'Assertion').length + children(root, NS.assertion, 'EncryptedAssertion').length === 0) {
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'Success status without an assertion' });
  }
}

/** The refusal of an IdP-initiated answer, which is never accepted as a sign-in. */
export function unsolicited(): BridgeError {
  return samlRefusal(
    'ERR_SAML_UNSOLICITED',
    { reason: 'no InResponseTo: an IdP-initiated response, not accepted as a sign-in' },
    {
      userMessage: sentence('err.ERR_SAML_UNSOLICITED'),
      hint: sentence('hint.openRambridge'),
    },
  );
}

function checkInResponseTo(root: XmlElement, requestId: string | undefined): void {
  const inResponseTo = attr(root, 'InResponseTo');
  if (inResponseTo === undefined) throw unsolicited();
  // node-saml's request-id cache is shared by all browsers; only the id kept in *this* browser's
  // flow proves the response answers a request this browser made (login CSRF, session swapping).
  if (requestId === undefined || inResponseTo !== requestId) {
    throw samlRefusal('ERR_SAML_IN_RESPONSE_TO', {
      reason: 'InResponseTo is not the request of this browser',
      got: inResponseTo.slice(0, 100),
    });
  }
}

function checkIssuer(root: XmlElement, expected: string): void {
  const issuer = child(root, NS.assertion, 'Issuer');
  if (!issuer) return; // optional on a Response (SAML core §3.2.2); the assertion's is checked after
  const format = attr(issuer, 'Format');
  if (text(issuer) !== expected || (format !== undefined && format !== ENTITY_FORMAT)) {
    throw samlRefusal('ERR_SAML_ISSUER_MISMATCH', { where: 'Response', expected, got: text(issuer)?.slice(0, 200), format });
  }
}

/**
 * A status other than Success is the IdP saying no. It is shown as such whether signed or not:
 * refusing can do no harm, and the IdP's own words go to the log only.
 */
function checkStatus(root: XmlElement, size: number): void {
  const status = child(root, NS.protocol, 'Status');
  const code = status && child(status, NS.protocol, 'StatusCode');
  const value = code && attr(code, 'Value');
  if (value === SUCCESS) return;
  // An IdP that says no "MUST NOT include any assertions" (SAML profiles §4.1.4.2), and its answer
  // is small. One that is neither is made up, and refused as such: the IdP's own refusals are not
  // counted against the address (refused-sign-ins.ts), so a made-up one must not pass for one.
  const assertions = children(root, NS.assertion, 'Assertion').length + children(root, NS.assertion, 'EncryptedAssertion').length;
  if (assertions > 0 || size > MAX_REFUSAL_CHARS) {
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'a refusal status on an answer with an assertion, or oversized', assertions, size });
  }
  const second = code && child(code, NS.protocol, 'StatusCode');
  const subStatus = second && attr(second, 'Value');
  const known = lastPart(subStatus);
  throw new BridgeError('ERR_SAML_STATUS', {
    userMessage: sentence('err.ERR_AUTH_IDP_ERROR'),
    // Own keys only: the sub-status is the answer's text, and `constructor` is no hint.
    hint: Object.hasOwn(STATUS_HINTS, known) ? STATUS_HINTS[known] : sentence('hint.samlStatus'),
    detail: {
      status: value?.slice(0, 200),
      subStatus: subStatus?.slice(0, 200),
      message: text(status && child(status, NS.protocol, 'StatusMessage'))?.slice(0, 300),
    },
  });
}

const STATUS_HINTS: Record<string, Sentence> = {
  RequestDenied: sentence('hint.notAssigned'),
  AuthnFailed: sentence('hint.samlAuthnFailed'),
  InvalidNameIDPolicy: sentence('hint.samlNameIdPolicy'),
  NoPassive: sentence('hint.samlNoPassive'),
};

function lastPart(uri: string | undefined): string {
  return uri?.slice(uri.lastIndexOf(':') + 1) ?? '';
}
