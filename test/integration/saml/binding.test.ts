import {
  answer,
  authnRequestOf,
  expectRefused,
  IDP_ENTITY_ID,
  postToAcs,
  samlBridge,
  signedAnswer,
  startSamlLogin,
  testIdpKeys,
} from '../../helpers/saml-bridge.js';
import { base64, signBoth } from '../../helpers/saml-response.js';

/**
 * What binds a SAML response to one browser and one use: the AuthnRequest ID kept in this
 * browser's flow cookie, consumed once, and the assertion ID spent in the store (docs/security-reference.md §1.4
 * "Replay" and "Unsolicited").
 */
describe('SAML response binding', () => {
  test('a response to a request made in another browser is refused, even when this browser has a flow of its own, which it keeps', async () => {
    const bridge = await samlBridge();
    const attacker = bridge.agent();
    const victim = bridge.agent();
    const { requestId } = await startSamlLogin(attacker);
    const own = await startSamlLogin(victim);
    const res = await postToAcs(victim, signedAnswer(bridge, requestId));
    await expectRefused(victim, res, 'ERR_SAML_OTHER_SIGN_IN');
    expect((await postToAcs(victim, signedAnswer(bridge, own.requestId))).status).toBe(302);
  });

  test('an InResponseTo written with a character reference is left to the parser: another browser’s request is still refused', async () => {
    const bridge = await samlBridge();
    const attacker = bridge.agent();
    const victim = bridge.agent();
    const { requestId } = await startSamlLogin(attacker);
    const own = await startSamlLogin(victim);
    const encoded = signedAnswer(bridge, requestId).replace(`InResponseTo="${requestId}"`, `InResponseTo="&#95;${requestId.slice(1)}"`);
    expect(own.requestId).not.toBe(requestId);
    const res = await postToAcs(victim, encoded);
    await expectRefused(victim, res, 'ERR_SAML_IN_RESPONSE_TO');
  });

  test('a response posted in a browser that started no sign-in is refused (login CSRF)', async () => {
    const bridge = await samlBridge();
    const { requestId } = await startSamlLogin(bridge.agent());
    const victim = bridge.agent();
    const res = await postToAcs(victim, signedAnswer(bridge, requestId));
    await expectRefused(victim, res, 'ERR_AUTH_FLOW_MISSING');
  });

  test('replaying a used response finds no flow, even with the flow cookie re-attached', async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const start = await browser.get('/login?idp=corp').expect(302);
    const flowCookie = (start.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('rambridge.flow='))!.split(';')[0]!;
    const { requestId } = authnRequestOf(start.headers.location!);
    const xml = signedAnswer(bridge, requestId);
    expect((await postToAcs(browser, xml)).status).toBe(302);
    const replay = bridge.agent();
    const res = await replay
      .post('/saml/corp/acs')
      .set({ Cookie: flowCookie, Accept: 'text/html' })
      .type('form')
      .send({ SAMLResponse: base64(xml) });
    await expectRefused(replay, res, 'ERR_AUTH_FLOW_MISSING');
  });

  test('an assertion ID seen before is refused in a fresh flow (replay cache in the store)', async () => {
    const bridge = await samlBridge();
    const first = bridge.agent();
    const one = await startSamlLogin(first);
    expect((await postToAcs(first, signedAnswer(bridge, one.requestId, { assertionId: '_reused' }))).status).toBe(302);
    const second = bridge.agent();
    const two = await startSamlLogin(second);
    const res = await postToAcs(second, signedAnswer(bridge, two.requestId, { assertionId: '_reused' }));
    await expectRefused(second, res, 'ERR_SAML_REPLAY');
  });

  test('IdP-initiated (no InResponseTo) is refused when the IdP does not allow it, the default', async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    await startSamlLogin(browser);
    const res = await postToAcs(browser, signedAnswer(bridge, null));
    await expectRefused(browser, res, 'ERR_SAML_UNSOLICITED');
  });

  test('IdP-initiated when not allowed, from a tile click (no flow in this browser): asked to start from rambridge', async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const res = await postToAcs(browser, signedAnswer(bridge, null));
    await expectRefused(browser, res, 'ERR_AUTH_FLOW_MISSING');
    expect(res.text).toContain('Start the sign-in again from rambridge.');
  });

  test('IdP-initiated, when allowed, restarts as an SP-initiated sign-in and never creates a session by itself', async () => {
    const bridge = await samlBridge({ allowIdpInitiated: true });
    const browser = bridge.agent();
    const res = await postToAcs(browser, signedAnswer(bridge, null), { RelayState: '/roles/prod-ops' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?idp=corp&return_to=%2Froles%2Fprod-ops');
    await browser
      .get('/roles')
      .expect(302)
      .expect('location', /^\/login/);
    // The restarted sign-in completes normally and goes where the IdP's RelayState pointed.
    const start = await browser.get(res.headers.location!).expect(302);
    const { requestId } = authnRequestOf(start.headers.location!);
    const done = await postToAcs(browser, signedAnswer(bridge, requestId));
    expect(done.headers.location).toBe('/roles/prod-ops');
  });

  test('an unsafe RelayState on an IdP-initiated response falls back to /roles (no open redirect)', async () => {
    const bridge = await samlBridge({ allowIdpInitiated: true });
    const res = await postToAcs(bridge.agent(), signedAnswer(bridge, null), { RelayState: 'https://evil.example.com/' });
    expect(res.headers.location).toBe('/login?idp=corp&return_to=%2Froles');
  });

  test("a response for one SAML IdP posted to another IdP's ACS is refused (mix-up)", async () => {
    const other = {
      id: 'other',
      type: 'saml',
      entryPoint: 'https://other.example.com/sso',
      issuer: IDP_ENTITY_ID,
      certificates: [(await testIdpKeys()).certificatePem],
    };
    const bridge = await samlBridge({}, [other]);
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const res = await browser
      .post('/saml/other/acs')
      .set('Accept', 'text/html')
      .type('form')
      .send({ SAMLResponse: base64(signedAnswer(bridge, requestId)) });
    await expectRefused(browser, res, 'ERR_AUTH_STATE_MISMATCH');
  });

  test('the ACS and metadata of an unknown or OIDC IdP are 404s', async () => {
    const bridge = await samlBridge({}, [{ id: 'oidc', type: 'oidc', issuer: 'https://op.example.com', clientId: 'rambridge' }]);
    const res = await bridge
      .agent()
      .post('/saml/oidc/acs')
      .set('Accept', 'text/html')
      .type('form')
      .send({ SAMLResponse: base64(answer(bridge, null)) });
    expect(res.status).toBe(404);
    expect(res.text).toContain('ERR_IDP_UNKNOWN');
    await bridge.agent().get('/saml/nope/metadata').expect(404);
  });

  test('two concurrent posts of one valid response: exactly one signs in', async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const xml = signBoth(answer(bridge, requestId), bridge.idpKeys);
    const results = await Promise.all([postToAcs(browser, xml), postToAcs(browser, xml)]);
    expect(results.map((r) => r.status).sort()).toEqual([302, expect.any(Number)]);
    // The other is refused by whichever of the two one-time marks it reaches first: its flow, or
    // (with both validated at once on two threads) the assertion ID.
    const refused = results.find((r) => r.status !== 302)!;
    expect([
      [400, 'ERR_AUTH_FLOW_MISSING'],
      [401, 'ERR_SAML_REPLAY'],
    ]).toContainEqual([refused.status, /ERR_[A-Z_]+/.exec(refused.text)?.[0]]);
  });
});
