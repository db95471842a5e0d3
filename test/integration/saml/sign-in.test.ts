import { createPublicKey, verify } from 'node:crypto';
import { testKeyPair } from '../../helpers/saml-keys.js';
import {
  answer,
  authnRequestOf,
  cookieNames,
  expectRefused,
  IDP_ENTITY_ID,
  postToAcs,
  samlBridge,
  signedAnswer,
  startSamlLogin,
  testIdpKeys,
} from '../../helpers/saml-bridge.js';
import { encryptAssertion, sign, signBoth } from '../../helpers/saml-response.js';

/**
 * SP-initiated SAML sign-in through `supertest(app.callback())`: the AuthnRequest we send, a valid
 * response landing on the role picker, and what the session holds.
 */
describe('SAML sign-in', () => {
  test("a signed response to this browser's request signs in and lands on the role picker", async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser, '/roles/dev-admin');
    const res = await postToAcs(browser, signedAnswer(bridge, requestId));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/roles/dev-admin');
    expect(cookieNames(res)).toContain('rambridge.sid');
    const picker = await browser.get('/roles').expect(200);
    expect(picker.text).toContain('alice@example.com');
    for (const role of ['dev-admin', 'dev-readonly', 'prod-ops', 'prod-readonly']) expect(picker.text).toContain(`data-role-id="${role}"`);

    // Keyed on (IdP entityID, NameID), with groups and amr from the signed assertion.
    const login = bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'login');
    expect(login).toMatchObject({
      user: { idp: 'corp', issuer: IDP_ENTITY_ID, subject: 'alice@example.com' },
      groups: ['rambridge-dev', 'rambridge-ops'],
      amr: ['pwd'],
    });
    expect(bridge.logLines.join('')).not.toContain('PHNhbWxw'); // no SAMLResponse (base64 of "<samlp") in logs
  });

  test('no groups attribute: logged as such, and the no-roles page names the attribute that was expected', async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const res = await postToAcs(browser, signedAnswer(bridge, requestId, { attributes: { email: ['alice@example.com'] } }));
    expect(res.status).toBe(302);
    const page = await browser.get('/roles').expect(403);
    expect(page.text).toContain('data-testid="groups-claim"');
    expect(page.text).toContain('<code>groups</code>');
    const warning = bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'groups-missing');
    expect(warning).toMatchObject({ idp: 'corp', expectedClaims: ['groups'] });
  });

  test('re-authentication: ForceAuthn is asked for, and an AuthnInstant from before the sign-in started is refused', async () => {
    const bridge = await samlBridge();
    const reauth = async () => {
      const browser = bridge.agent();
      const res = await browser.get('/login?idp=corp&reauth=1').expect(302);
      const { requestId, authnRequest } = authnRequestOf(res.headers.location!);
      expect(authnRequest).toContain('ForceAuthn="true"');
      return { browser, requestId };
    };
    // The IdP ignored ForceAuthn and answered from its session of an hour ago.
    const ignored = await reauth();
    const stale = await postToAcs(
      ignored.browser,
      signedAnswer(bridge, ignored.requestId, { authnInstant: bridge.clock.now() - 3600_000 }),
    );
    await expectRefused(ignored.browser, stale, 'ERR_AUTH_NOT_REAUTHENTICATED');
    const honoured = await reauth();
    const fresh = await postToAcs(honoured.browser, signedAnswer(bridge, honoured.requestId, { authnInstant: bridge.clock.now() + 2_000 }));
    expect(fresh.status).toBe(302);
  });

  test('the AuthnRequest: Redirect binding to the entry point, our ACS and entityID, no AuthnContext, unsigned without an SP key', async () => {
    const bridge = await samlBridge();
    const { location, authnRequest, requestId } = await startSamlLogin(bridge.agent());
    expect(location.origin + location.pathname).toBe('https://idp.example.com/sso');
    expect(requestId).toMatch(/^_[0-9a-f]{40}$/);
    expect(authnRequest).toContain('AssertionConsumerServiceURL="http://127.0.0.1:8080/saml/corp/acs"');
    expect(authnRequest).toContain('ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"');
    expect(authnRequest).toContain('>http://127.0.0.1:8080/saml/corp/metadata</saml:Issuer>');
    expect(authnRequest).not.toContain('RequestedAuthnContext');
    expect(authnRequest).not.toContain('nameid-format'); // generic preset: the IdP's NameID setting decides
    expect(location.searchParams.has('Signature')).toBe(false);
  });

  test('with an SP key the AuthnRequest is signed RSA-SHA256 over the Redirect-binding query', async () => {
    const sp = await testKeyPair('rambridge SP');
    const bridge = await samlBridge({ spPrivateKey: sp.privateKeyPem, spCertificate: sp.certificatePem, preset: 'okta' });
    const { location, authnRequest } = await startSamlLogin(bridge.agent());
    expect(location.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(authnRequest).toContain('Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"');
    // SAML bindings §3.4.4.1: the signature covers the query string as sent, minus Signature.
    const signedPart = location.search
      .slice(1)
      .split('&')
      .filter((p) => !p.startsWith('Signature='))
      .join('&');
    const signature = Buffer.from(location.searchParams.get('Signature')!, 'base64');
    expect(verify('RSA-SHA256', Buffer.from(signedPart), createPublicKey(sp.certificatePem), signature)).toBe(true);
  });

  test('an assertion encrypted with AES-256-GCM and RSA-OAEP to our certificate is decrypted and accepted', async () => {
    const sp = await testKeyPair('rambridge SP');
    const bridge = await samlBridge({ spPrivateKey: sp.privateKeyPem, spCertificate: sp.certificatePem });
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const encrypted = await encryptAssertion(sign(answer(bridge, requestId), bridge.idpKeys, 'Assertion'), sp.certificatePem);
    const res = await postToAcs(browser, sign(encrypted, bridge.idpKeys, 'Response'));
    expect(res.status).toBe(302);
    await browser.get('/roles').expect(200);
  });

  test("the IdP's previous certificate still verifies during a rollover (several pinned)", async () => {
    const next = await testKeyPair('next IdP key');
    const bridge = await samlBridge({ certificates: [(await testIdpKeys()).certificatePem, next.certificatePem] });
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const res = await postToAcs(browser, signBoth(answer(bridge, requestId), next));
    expect(res.status).toBe(302);
  });

  test('a POST of 256 KiB is read; one byte more is refused with 413 before any parsing', async () => {
    const bridge = await samlBridge();
    const limit = 256 * 1024;
    const padding = (size: number) => `SAMLResponse=${'A'.repeat(size - 'SAMLResponse='.length)}`;
    const atLimit = await bridge.agent().post('/saml/corp/acs').type('form').send(padding(limit));
    expect(atLimit.text).not.toContain('ERR_SAML_TOO_LARGE');
    const over = await bridge
      .agent()
      .post('/saml/corp/acs')
      .type('form')
      .send(padding(limit + 1));
    expect(over.status).toBe(413);
    expect(over.text).toContain('ERR_SAML_TOO_LARGE');
  });

  test("the ACS takes the IdP's cross-site POST without our CSRF token; other forms keep the 64 KiB limit", async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const res = await postToAcs(browser, signedAnswer(bridge, requestId)); // Origin: the IdP, Sec-Fetch-Site: cross-site
    expect(res.status).toBe(302);
    const big = await browser
      .post('/logout')
      .type('form')
      .send(`_csrf=${'x'.repeat(70 * 1024)}`);
    expect(big.status).toBe(413);
  });
});
