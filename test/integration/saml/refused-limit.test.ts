import { answer, postToAcs, samlBridge, signedAnswer, startSamlLogin, type SamlBridge } from '../../helpers/saml-bridge.js';

/**
 * Each post to the ACS is parsed and checked (up to 256 KiB of XML) before it can be refused, and
 * `GET /login` hands out flows at will: an address whose posts keep being refused is refused unread.
 */
describe('refused SAML answers from one address', () => {
  /** A new browser at `ip` starts a sign-in and posts what `build` makes of its request id. */
  async function post(bridge: SamlBridge, ip: string, build: (requestId: string) => string) {
    const agent = bridge.agent();
    const { requestId } = await startSamlLogin(agent);
    return postToAcs(agent, build(requestId), {}, { 'X-Forwarded-For': ip });
  }

  test('after 30 in 10 minutes its posts are refused unread (429); other addresses, and the same one later, are not', async () => {
    const bridge = await samlBridge({}, [], { trustProxy: 1 });
    const unsigned = (id: string) => answer(bridge, id);
    const valid = (id: string) => signedAnswer(bridge, id);
    for (let i = 0; i < 30; i++) expect((await post(bridge, '2001:db8:7:7::1', unsigned)).text).toContain('ERR_SAML_SIGNATURE_INVALID');
    // Another address of the same /64 shares the count: even a valid answer is refused unread now.
    const limited = await post(bridge, '2001:db8:7:7::2', valid);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('ERR_RATE_LIMITED');

    expect((await post(bridge, '198.51.100.20', valid)).status).toBe(302);
    // Ten minutes on, its posts are read again (and this one refused for what it is).
    bridge.clock.advance(10 * 60_000);
    expect((await post(bridge, '2001:db8:7:7::1', unsigned)).text).toContain('ERR_SAML_SIGNATURE_INVALID');
  });

  test('sign-ins that succeed are never counted (an office behind one NAT address at 9 am)', async () => {
    const bridge = await samlBridge({}, [], { trustProxy: 1 });
    for (let i = 0; i < 40; i++) expect((await post(bridge, '192.0.2.1', (id) => signedAnswer(bridge, id))).status).toBe(302);
  });

  test('the failures people have are never counted: the IdP saying no, or a click on its tile where IdP-initiated sign-in is off', async () => {
    const bridge = await samlBridge({}, [], { trustProxy: 1 });
    const responder = 'urn:oasis:names:tc:SAML:2.0:status:Responder';
    for (let i = 0; i < 35; i++) {
      expect((await post(bridge, '192.0.2.2', (id) => answer(bridge, id, { status: responder }))).text).toContain('ERR_SAML_STATUS');
      expect((await post(bridge, '192.0.2.2', () => signedAnswer(bridge, null))).text).toContain('ERR_SAML_UNSOLICITED');
    }
    expect((await post(bridge, '192.0.2.2', (id) => signedAnswer(bridge, id))).status).toBe(302);
  });

  test('a sign-in started in two tabs: the first tab’s answer is refused unread and uncounted, and the second tab still signs in', async () => {
    const bridge = await samlBridge({}, [], { trustProxy: 1 });
    for (let i = 0; i < 35; i++) {
      const browser = bridge.agent();
      const first = await startSamlLogin(browser);
      const second = await startSamlLogin(browser); // replaces the first tab's flow
      const stale = await postToAcs(browser, signedAnswer(bridge, first.requestId), {}, { 'X-Forwarded-For': '192.0.2.4' });
      expect(stale.status).toBe(409);
      expect(stale.text).toContain('ERR_SAML_OTHER_SIGN_IN');
      expect((await postToAcs(browser, signedAnswer(bridge, second.requestId), {}, { 'X-Forwarded-For': '192.0.2.4' })).status).toBe(302);
    }
  });

  test('a made-up "no" (an assertion inside, or oversized) is refused as malformed, and counted', async () => {
    const bridge = await samlBridge({}, [], { trustProxy: 1 });
    const responder = 'urn:oasis:names:tc:SAML:2.0:status:Responder';
    const withAssertion = (id: string) => answer(bridge, id).replace('urn:oasis:names:tc:SAML:2.0:status:Success', responder);
    const declarations = Array.from({ length: 1500 }, (_, i) => `xmlns:p${i}="urn:x"`).join(' ');
    const oversized = (id: string) => answer(bridge, id, { status: responder }).replace('<samlp:Status>', `<samlp:Status ${declarations}>`);
    for (let i = 0; i < 15; i++) {
      expect((await post(bridge, '192.0.2.5', withAssertion)).text).toContain('ERR_SAML_MALFORMED');
      expect((await post(bridge, '192.0.2.5', oversized)).text).toContain('ERR_SAML_MALFORMED');
    }
    expect((await post(bridge, '192.0.2.5', (id) => signedAnswer(bridge, id))).status).toBe(429);
  });

  test('a forged answer counts even when node-saml, quoting it in its message, calls it a refusal only a signed answer reaches', async () => {
    const bridge = await samlBridge({}, [], { trustProxy: 1 });
    // No DigestValue, and a Reference whose text says "audience": xml-crypto's error quotes the element.
    const forged = (id: string) =>
      signedAnswer(bridge, id)
        .replace(/<(\w+:)?DigestValue>[^<]*<\/(\w+:)?DigestValue>/, '')
        .replace(/<(\w+:)?Reference /, '<$1Reference Type="audience" ');
    for (let i = 0; i < 30; i++) expect((await post(bridge, '192.0.2.3', forged)).status).toBe(401);
    expect((await post(bridge, '192.0.2.3', (id) => signedAnswer(bridge, id))).status).toBe(429);
  });

  test('with IdP-initiated sign-in allowed, an unsolicited answer is recognised without parsing it (no flow to count it against)', async () => {
    const bridge = await samlBridge({ allowIdpInitiated: true });
    // Not well-formed past its root tag (an entity XML does not define): parsing it would have failed.
    const broken = `${signedAnswer(bridge, null).replace(/<\/samlp:Response>$/, '')}<a>&bogus;</a></samlp:Response>`;
    const res = await postToAcs(bridge.agent(), broken, { RelayState: '/roles' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login?idp=corp&return_to=%2Froles');
  });
});
