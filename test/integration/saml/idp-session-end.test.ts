import { answer, cookieNames, expectRefused, postToAcs, samlBridge, startSamlLogin } from '../../helpers/saml-bridge.js';
import { signBoth } from '../../helpers/saml-response.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * The IdP's bound on the sessions of a sign-in (AuthnStatement/@SessionNotOnOrAfter, SAML core
 * §2.7.2): an assertion whose session is already over signs no one in, and the browser session
 * ends at that bound when it comes before the bridge's own.
 */
const MINUTE = 60_000;

async function signIn(bridge: Awaited<ReturnType<typeof samlBridge>>, sessionNotOnOrAfter: number) {
  const browser = bridge.agent();
  const { requestId } = await startSamlLogin(browser);
  const res = await postToAcs(browser, signBoth(answer(bridge, requestId, { sessionNotOnOrAfter }), bridge.idpKeys));
  return { browser, res };
}

describe('the IdP session bound (SessionNotOnOrAfter)', () => {
  test('the browser session ends at the IdP’s bound, kept active or not, as any ended session does', async () => {
    const bridge = await samlBridge();
    const { browser, res } = await signIn(bridge, bridge.clock.now() + 40 * MINUTE);
    expect(res.status).toBe(302);
    expect(cookieNames(res)).toContain('rambridge.sid');
    for (let i = 0; i < 2; i++) {
      bridge.clock.advance(15 * MINUTE);
      await browser.get('/roles').expect(200);
    }
    bridge.clock.advance(10 * MINUTE); // 40 minutes: the IdP said the session ends now
    await browser
      .get('/roles')
      .expect(302)
      .expect('location', /^\/login\?.*expired=1/);
  });

  test('credentials are not issued with less than 15 minutes left before the IdP’s bound: sign in again', async () => {
    const bridge = await samlBridge();
    const { browser } = await signIn(bridge, bridge.clock.now() + 40 * MINUTE);
    const ask = async () =>
      browser
        .post('/roles/credentials')
        .set('Accept', 'text/html')
        .type('form')
        .send({ _csrf: csrfOf((await browser.get('/roles').expect(200)).text), role: 'dev-admin', duration: '3600' });
    expect((await ask()).status).toBe(501); // 40 min left: checked, then refused only for want of an issuer here
    bridge.clock.advance(26 * MINUTE);
    const refused = await ask();
    expect(refused.status).toBe(401);
    expect(refused.text).toContain('ERR_NOT_SIGNED_IN');
    expect(refused.text).toContain('Your rambridge session ends in 14 min');
  });

  test('the store keeps the session no longer than the IdP’s bound', async () => {
    const bridge = await samlBridge();
    const { res } = await signIn(bridge, bridge.clock.now() + 10 * MINUTE);
    const sid = /rambridge\.sid=([^;]+)/.exec((res.headers['set-cookie'] as unknown as string[]).join('\n'))![1]!;
    expect(await bridge.store.find(`session:${sid}`)).toBeDefined();
    bridge.clock.advance(10 * MINUTE); // within the idle timeout, at the IdP's bound
    expect(await bridge.store.find(`session:${sid}`)).toBeUndefined();
  });

  test('an assertion whose IdP session is already over signs no one in: ERR_SAML_EXPIRED', async () => {
    const bridge = await samlBridge();
    const { browser, res } = await signIn(bridge, bridge.clock.now() - 10 * MINUTE);
    await expectRefused(browser, res, 'ERR_SAML_EXPIRED');
  });

  test('without SessionNotOnOrAfter the bridge’s own limits apply, as before', async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    expect((await postToAcs(browser, signBoth(answer(bridge, requestId), bridge.idpKeys))).status).toBe(302);
    for (let i = 0; i < 8; i++) {
      bridge.clock.advance(15 * MINUTE);
      await browser.get('/roles').expect(200);
    }
  });
});
