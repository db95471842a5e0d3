import { expectRefused, postToAcs, samlBridge, signedAnswer, startSamlLogin } from '../../helpers/saml-bridge.js';
import { VICTIM, wrap, XSW } from '../../helpers/saml-xsw.js';

/**
 * XML Signature Wrapping (SAML Raider XSW1–8, crewjam's CVE-2022-41912): a validly IdP-signed
 * response rearranged so that a naive verifier checks one element and reads another. Every
 * permutation must be refused and the victim's name must never reach a session.
 */
describe('signature wrapping', () => {
  test.each(Object.keys(XSW))('%s is refused', async (name) => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    const res = await postToAcs(browser, wrap(signedAnswer(bridge, requestId), XSW[name]!));
    await expectRefused(browser, res, 'ERR_SAML_SIGNATURE_INVALID');
    expect(bridge.logLines.join('')).not.toContain(`"subject":"${VICTIM}"`);
  });
});
