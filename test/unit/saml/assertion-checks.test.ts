import { isBridgeError } from '../../../src/errors.js';
import { checkAssertion, type AssertionExpectations } from '../../../src/idp/saml/assertion-checks.js';
import { parseXml } from '../../../src/idp/saml/xml.js';
import { responseXml, type ResponseOptions } from '../../helpers/saml-response.js';

/**
 * The checks on the signed assertion, on a frozen clock: boundaries of every time bound with the
 * configured skew, and the confirmation rules node-saml leaves open.
 */
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const ACS = 'https://bridge.example.com/saml/corp/acs';
const expected: AssertionExpectations = {
  issuer: 'https://idp.example.com',
  acsUrl: ACS,
  requestId: '_req',
  now: T0,
  skewMs: 60_000,
  maxAgeMs: 300_000,
};

async function assertion(options: Partial<ResponseOptions> = {}, edit: (xml: string) => string = (x) => x) {
  const xml = responseXml({
    idpEntityId: 'https://idp.example.com',
    spEntityId: 'sp',
    acsUrl: ACS,
    inResponseTo: '_req',
    now: T0,
    ...options,
  });
  return parseXml(edit(/<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0]));
}

async function codeOf(options: Partial<ResponseOptions>, at: Partial<AssertionExpectations> = {}, edit?: (xml: string) => string) {
  try {
    checkAssertion(await assertion(options, edit), { ...expected, ...at });
    return 'accepted';
  } catch (err) {
    if (!isBridgeError(err)) throw err;
    return err.code;
  }
}

describe('checkAssertion', () => {
  test('returns the ID, the replay window and the authentication context', async () => {
    const checked = checkAssertion(await assertion({ assertionId: '_a1' }), expected);
    expect(checked).toEqual({
      id: '_a1',
      // min(IssueInstant + max age, confirmation and Conditions NotOnOrAfter = T0 + 5 min) + skew
      acceptableUntil: T0 + 300_000 + 60_000,
      authnInstant: T0 - 5_000,
      authnContextClassRefs: ['urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'],
    });
  });

  test.each([
    ['NotOnOrAfter minus skew reached (equal is expired)', 'ERR_SAML_EXPIRED', {}, { now: T0 + 300_000 + 60_000 }],
    ['one millisecond before that', 'accepted', {}, { now: T0 + 300_000 + 59_999 }],
    ['NotBefore 61 s ahead with 60 s skew', 'ERR_SAML_EXPIRED', { notBefore: T0 + 61_000 }, {}],
    ['NotBefore 59 s ahead with 60 s skew', 'accepted', { notBefore: T0 + 59_000 }, {}],
    ['no skew at all', 'ERR_SAML_EXPIRED', { notBefore: T0 + 1 }, { skewMs: 0 }],
    [
      'issued longer ago than the maximum age',
      'ERR_SAML_EXPIRED',
      { issueInstant: T0 - 300_000 - 60_000, notOnOrAfter: T0 + 600_000, confirmationNotOnOrAfter: T0 + 600_000 },
      {},
    ],
    ['issued in the future beyond the skew', 'ERR_SAML_EXPIRED', { issueInstant: T0 + 61_000 }, {}],
    [
      'confirmation expired while Conditions still run',
      'ERR_SAML_EXPIRED',
      { confirmationNotOnOrAfter: T0 - 60_000, notOnOrAfter: T0 + 600_000 },
      {},
    ],
    ['no confirmation NotOnOrAfter', 'ERR_SAML_SUBJECT_CONFIRMATION', { confirmationNotOnOrAfter: null }, {}],
    ['holder-of-key', 'ERR_SAML_SUBJECT_CONFIRMATION', { method: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key' }, {}],
    ['another Recipient', 'ERR_SAML_RECIPIENT_MISMATCH', { recipient: 'https://evil.example.com/acs' }, {}],
    ['another request', 'ERR_SAML_IN_RESPONSE_TO', { confirmationInResponseTo: '_other' }, {}],
    ['no InResponseTo in the confirmation', 'ERR_SAML_IN_RESPONSE_TO', { confirmationInResponseTo: null }, {}],
    ['another Issuer', 'ERR_SAML_ISSUER_MISMATCH', { assertionIssuer: 'https://evil.example.com' }, {}],
  ])('%s → %s', async (_name, code, options, at) => {
    expect(await codeOf(options, at)).toBe(code);
  });

  test('the IdP’s SessionNotOnOrAfter is returned; one already past refuses the sign-in, with no skew (the session would end at once)', async () => {
    const ends = T0 + 3600_000;
    expect(checkAssertion(await assertion({ sessionNotOnOrAfter: ends }), expected).sessionNotOnOrAfter).toBe(ends);
    expect(await codeOf({ sessionNotOnOrAfter: T0 - 60_000 }, {})).toBe('ERR_SAML_EXPIRED');
    expect(await codeOf({ sessionNotOnOrAfter: T0 - 30_000 }, {})).toBe('ERR_SAML_EXPIRED');
    expect(await codeOf({ sessionNotOnOrAfter: T0 }, {})).toBe('ERR_SAML_EXPIRED');
    expect(await codeOf({ sessionNotOnOrAfter: T0 + 1 }, {})).toBe('accepted');
  });

  test('an AuthnInstant ahead of now by more than the skew is refused (it would make MFA age negative)', async () => {
    const authnAt = (ms: number) => (xml: string) => xml.replace(/AuthnInstant="[^"]+"/, `AuthnInstant="${new Date(ms).toISOString()}"`);
    expect(await codeOf({}, {}, authnAt(T0 + 3600_000))).toBe('ERR_SAML_EXPIRED');
    expect(await codeOf({}, {}, authnAt(T0 + 61_000))).toBe('ERR_SAML_EXPIRED');
    expect(await codeOf({}, {}, authnAt(T0 + 59_000))).toBe('accepted');
  });

  test.each(['AuthnInstant', 'NotOnOrAfter', 'IssueInstant', 'SessionNotOnOrAfter'])(
    'an impossible %s (month 13) is refused, not read as a time no check can compare',
    async (name) => {
      const impossible = (xml: string) => xml.replace(new RegExp(`${name}="\\d{4}-\\d\\d`, 'g'), `${name}="2026-13`);
      expect(await codeOf({ sessionNotOnOrAfter: T0 + 3600_000 }, {}, impossible)).toBe('ERR_SAML_MALFORMED');
    },
  );

  test('two SubjectConfirmations, a local time, or an Issuer Format other than entity are refused', async () => {
    const twice = (xml: string) => xml.replace(/(<saml:SubjectConfirmation [\s\S]*<\/saml:SubjectConfirmation>)/, '$1$1');
    expect(await codeOf({}, {}, twice)).toBe('ERR_SAML_SUBJECT_CONFIRMATION');
    expect(await codeOf({}, {}, (xml) => xml.replace(/IssueInstant="([^"]+)Z"/, 'IssueInstant="$1+00:00"'))).toBe('ERR_SAML_MALFORMED');
    expect(
      await codeOf({}, {}, (xml) =>
        xml.replace('<saml:Issuer>', '<saml:Issuer Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">'),
      ),
    ).toBe('ERR_SAML_ISSUER_MISMATCH');
  });
});
