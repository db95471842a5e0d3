import { testKeyPair } from '../../helpers/saml-keys.js';
import { answer, expectRefused, postToAcs, samlBridge, signedAnswer, startSamlLogin, type SamlBridge } from '../../helpers/saml-bridge.js';
import { sign, signBoth } from '../../helpers/saml-response.js';

/**
 * One test per refusal (docs/security-reference.md §1.4 recipes): a response generated and signed at test time,
 * mutated, posted to the ACS. Each must show the error page with its own code and create no session.
 */
type Build = (bridge: SamlBridge, requestId: string) => string | Promise<string>;

const MINUTE = 60_000;
const SHA1 = {
  signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  digestAlgorithm: 'http://www.w3.org/2000/09/xmldsig#sha1',
};
const SHA256_SIG = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const EVIL_NAME = 'admin@corp.example.evil.com';

const cases: Array<[string, string, Build]> = [
  // signatures
  ['nothing signed', 'ERR_SAML_SIGNATURE_INVALID', (b, id) => answer(b, id)],
  // Which single signature suffices depends on the IdP's `requireSigned`: single-signature.test.ts.
  ['an unsigned assertion inside a signed response', 'ERR_SAML_SIGNATURE_INVALID', (b, id) => sign(answer(b, id), b.idpKeys, 'Response')],
  [
    'the NameID edited after signing',
    'ERR_SAML_SIGNATURE_INVALID',
    (b, id) => signedAnswer(b, id).replace('>alice@example.com</saml:NameID>', '>admin@example.com</saml:NameID>'),
  ],
  [
    're-signed by an attacker carrying their certificate in KeyInfo (CVE-2024-32962)',
    'ERR_SAML_SIGNATURE_INVALID',
    async (b, id) => signBoth(answer(b, id, { nameId: 'admin@example.com' }), await testKeyPair('attacker'), { keyInfo: true }),
  ],
  // algorithms
  ['RSA-SHA1 with SHA-1 digests', 'ERR_SAML_ALGORITHM_REFUSED', (b, id) => signBoth(answer(b, id), b.idpKeys, SHA1)],
  [
    'RSA-SHA256 over SHA-1 digests',
    'ERR_SAML_ALGORITHM_REFUSED',
    (b, id) => signBoth(answer(b, id), b.idpKeys, { signatureAlgorithm: SHA256_SIG, digestAlgorithm: SHA1.digestAlgorithm }),
  ],
  // markup refused before parsing
  [
    'a comment splitting a signed NameID',
    'ERR_SAML_MALFORMED',
    (b, id) => signedAnswer(b, id, { nameId: EVIL_NAME }).replace(EVIL_NAME, 'admin@corp.example<!---->.evil.com'),
  ],
  [
    'a CDATA section splitting a signed NameID',
    'ERR_SAML_MALFORMED',
    (b, id) => signedAnswer(b, id, { nameId: EVIL_NAME }).replace(EVIL_NAME, 'admin@corp.example<![CDATA[.evil.com]]>'),
  ],
  ['a DOCTYPE without entities', 'ERR_SAML_MALFORMED', (b, id) => `<!DOCTYPE samlp:Response>${signedAnswer(b, id)}`],
  [
    'billion laughs',
    'ERR_SAML_MALFORMED',
    (b, id) =>
      `<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>${signedAnswer(b, id).replace('alice@example.com</saml:NameID>', '&b;</saml:NameID>')}`,
  ],
  [
    'an external entity',
    'ERR_SAML_MALFORMED',
    (b, id) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${signedAnswer(b, id)}`,
  ],
  [
    'a processing instruction',
    'ERR_SAML_MALFORMED',
    (b, id) => `<?xml version="1.0"?><?xml-stylesheet href="http://attacker/"?>${signedAnswer(b, id)}`,
  ],
  [
    'a second root element (CVE-2022-39299)',
    'ERR_SAML_MALFORMED',
    (b, id) => `${signedAnswer(b, id)}<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`,
  ],
  [
    'a document that is not a Response',
    'ERR_SAML_MALFORMED',
    (b, id) =>
      sign(answer(b, id), b.idpKeys, 'Assertion')
        .replace(/^[\s\S]*?(<saml:Assertion)/, '$1')
        .replace(/<\/samlp:Response>$/, ''),
  ],
  // addressing
  [
    'Destination of another SP',
    'ERR_SAML_DESTINATION_MISMATCH',
    (b, id) => signedAnswer(b, id, { destination: 'https://evil.example.com/acs' }),
  ],
  ['no Destination on the signed Response', 'ERR_SAML_DESTINATION_MISMATCH', (b, id) => signedAnswer(b, id, { destination: null })],
  ['Recipient of another SP', 'ERR_SAML_RECIPIENT_MISMATCH', (b, id) => signedAnswer(b, id, { recipient: 'https://evil.example.com/acs' })],
  ['no Recipient', 'ERR_SAML_RECIPIENT_MISMATCH', (b, id) => signedAnswer(b, id, { recipient: null })],
  ['Audience of another SP', 'ERR_SAML_AUDIENCE_MISMATCH', (b, id) => signedAnswer(b, id, { audience: 'https://other-sp.example.com' })],
  [
    'assertion Issuer of another IdP',
    'ERR_SAML_ISSUER_MISMATCH',
    (b, id) => signedAnswer(b, id, { assertionIssuer: 'https://evil.example.com/idp' }),
  ],
  [
    'Response Issuer of another IdP',
    'ERR_SAML_ISSUER_MISMATCH',
    (b, id) => signedAnswer(b, id, { responseIssuer: 'https://evil.example.com/idp' }),
  ],
  [
    'holder-of-key confirmation',
    'ERR_SAML_SUBJECT_CONFIRMATION',
    (b, id) => signedAnswer(b, id, { method: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key' }),
  ],
  // node-saml 5.1.0 fails to parse the missing time before our own check names it
  ['bearer confirmation without NotOnOrAfter', 'ERR_SAML_MALFORMED', (b, id) => signedAnswer(b, id, { confirmationNotOnOrAfter: null })],
  [
    'SubjectConfirmationData answering another request',
    'ERR_SAML_IN_RESPONSE_TO',
    (b, id) => signedAnswer(b, id, { confirmationInResponseTo: '_another_request' }),
  ],
  // time (node-saml's system clock)
  ['Conditions expired', 'ERR_SAML_EXPIRED', (b, id) => signedAnswer(b, id, { notOnOrAfter: Date.now() - 2 * MINUTE })],
  ['NotBefore beyond the 60 s skew', 'ERR_SAML_EXPIRED', (b, id) => signedAnswer(b, id, { notBefore: Date.now() + 61_000 + 2_000 })],
  [
    'SubjectConfirmationData expired',
    'ERR_SAML_EXPIRED',
    (b, id) => signedAnswer(b, id, { confirmationNotOnOrAfter: Date.now() - 2 * MINUTE }),
  ],
  ['issued 2 hours ago (max age 300 s)', 'ERR_SAML_EXPIRED', (b, id) => signedAnswer(b, id, { issueInstant: Date.now() - 120 * MINUTE })],
  // identity
  [
    'a transient NameID',
    'ERR_SAML_NAMEID_UNSUITABLE',
    (b, id) => signedAnswer(b, id, { nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient', nameId: '_a1b2' }),
  ],
  // the IdP said no
  [
    'status Responder/RequestDenied',
    'ERR_SAML_STATUS',
    (b, id) =>
      sign(
        answer(b, id, {
          status: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
          subStatus: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
        }),
        b.idpKeys,
        'Response',
      ),
  ],
];

describe('SAML refusals', () => {
  test.each(cases)('%s → %s', async (_name, code, build) => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const res = await postToAcs(browser, await build(bridge, requestId));
    await expectRefused(browser, res, code);
    expect(res.text).not.toMatch(/SignatureValue|DigestValue|evil\.example|admin@/); // nothing from the response on the page
  });

  test("the injected clock bounds the assertion too: seven minutes later on the bridge's clock it has expired", async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const xml = signedAnswer(bridge, requestId);
    bridge.clock.set(Date.now() + 7 * MINUTE); // node-saml (system clock) still accepts it; the flow (10 min) is alive
    const res = await postToAcs(browser, xml);
    await expectRefused(browser, res, 'ERR_SAML_EXPIRED');
    expect(bridge.logLines.join('')).toContain('"where":"');
  });

  test('the IdP refusing is shown as such, with a hint, and its message stays in the log', async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const xml = answer(bridge, requestId, {
      status: 'urn:oasis:names:tc:SAML:2.0:status:Responder',
      subStatus: 'urn:oasis:names:tc:SAML:2.0:status:RequestDenied',
      statusMessage: '<script>x</script> user not assigned',
    });
    const res = await postToAcs(browser, xml);
    await expectRefused(browser, res, 'ERR_SAML_STATUS');
    expect(res.text).toContain('Your identity provider did not sign you in.');
    expect(res.text).toContain('not be assigned to rambridge');
    expect(res.text).not.toContain('user not assigned');
    expect(bridge.logLines.join('')).toContain('user not assigned');
  });

  test.each(['constructor', '__proto__', 'toString'])(
    'a sub-status ending in %s gets the general hint, not what an object holds under that name',
    async (name) => {
      const bridge = await samlBridge();
      const browser = bridge.agent();
      const { requestId } = await startSamlLogin(browser);
      const xml = answer(bridge, requestId, { status: 'urn:oasis:names:tc:SAML:2.0:status:Responder', subStatus: `urn:x:${name}` });
      const res = await postToAcs(browser, xml);
      await expectRefused(browser, res, 'ERR_SAML_STATUS');
      expect(res.text).toContain('If it keeps failing, ask your administrator to check the identity provider');
      expect(res.text).not.toMatch(/function|\[object Object\]/);
    },
  );

  test('a missing required attribute is named on the page; the log lists the attributes received', async () => {
    const bridge = await samlBridge({ nameIdFormat: 'persistent' });
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const xml = signedAnswer(bridge, requestId, {
      nameId: 'u-42',
      nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
      attributes: { mail: ['a@example.com'], groups: ['g'] },
    });
    const res = await postToAcs(browser, xml);
    await expectRefused(browser, res, 'ERR_SAML_ATTRIBUTE_MISSING');
    expect(res.text).toContain('did not send the attribute &quot;email&quot;');
    const line = bridge.logLines
      .map((l) => JSON.parse(l) as { code?: string; detail?: unknown })
      .find((l) => l.code === 'ERR_SAML_ATTRIBUTE_MISSING');
    expect(line?.detail).toEqual({ attribute: 'email', received: ['mail', 'groups'] });
  });

  test('an Entra groups-overage claim is an admin-facing error, not a user without groups', async () => {
    const bridge = await samlBridge({ preset: 'entra' });
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const xml = signedAnswer(bridge, requestId, {
      attributes: { 'http://schemas.microsoft.com/claims/groups.link': ['https://graph.windows.net/t/users/u/getMemberObjects'] },
    });
    const res = await postToAcs(browser, xml);
    await expectRefused(browser, res, 'ERR_AUTH_GROUPS_OVERAGE');
    expect(res.text).toContain('Groups assigned to the application');
  });

  test('a RelayState over 80 bytes is refused (SAML bindings §3.5.3)', async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const res = await postToAcs(browser, signedAnswer(bridge, requestId), { RelayState: 'x'.repeat(81) });
    await expectRefused(browser, res, 'ERR_SAML_MALFORMED');
  });
});
