import { testKeyPair, type TestKeyPair } from '../../helpers/saml-keys.js';
import { answer, expectRefused, postToAcs, samlBridge, startSamlLogin } from '../../helpers/saml-bridge.js';
import { encryptAssertion, sign, type EncryptOptions } from '../../helpers/saml-response.js';

/**
 * Encrypted assertions: decrypted only with our configured key, only AES-GCM content encryption
 * and RSA-OAEP key transport, and only inside a response the IdP signed (docs/security-reference.md §1.3 #72–77).
 */
const CBC = 'http://www.w3.org/2001/04/xmlenc#aes256-cbc';
let sp: TestKeyPair;
beforeAll(async () => {
  sp = await testKeyPair('rambridge SP');
});

const SHA1 = {
  signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  digestAlgorithm: 'http://www.w3.org/2000/09/xmldsig#sha1',
};

async function post(
  options: EncryptOptions & { to?: TestKeyPair; signResponse?: boolean; spKey?: boolean; assertionSignature?: typeof SHA1 },
) {
  const bridge = await samlBridge(options.spKey === false ? {} : { spPrivateKey: sp.privateKeyPem, spCertificate: sp.certificatePem });
  const browser = bridge.agent();
  const { requestId } = await startSamlLogin(browser);
  const encrypted = await encryptAssertion(
    sign(answer(bridge, requestId), bridge.idpKeys, 'Assertion', options.assertionSignature),
    (options.to ?? sp).certificatePem,
    options,
  );
  const res = await postToAcs(browser, options.signResponse === false ? encrypted : sign(encrypted, bridge.idpKeys, 'Response'));
  return { browser, res };
}

describe('encrypted assertions', () => {
  test('AES-256-CBC content encryption is refused before decryption (padding oracles)', async () => {
    const { browser, res } = await post({ content: CBC });
    await expectRefused(browser, res, 'ERR_SAML_ENCRYPTION_REFUSED');
  });

  test('3DES content encryption is refused', async () => {
    const { browser, res } = await post({ content: 'http://www.w3.org/2001/04/xmlenc#tripledes-cbc' });
    await expectRefused(browser, res, 'ERR_SAML_ENCRYPTION_REFUSED');
  });

  test('RSA 1.5 key transport is refused (Bleichenbacher)', async () => {
    const { browser, res } = await post({ keyTransport: 'http://www.w3.org/2001/04/xmlenc#rsa-1_5' });
    await expectRefused(browser, res, 'ERR_SAML_ENCRYPTION_REFUSED');
  });

  test('an encrypted assertion without a configured decryption key is refused', async () => {
    const { browser, res } = await post({ spKey: false });
    await expectRefused(browser, res, 'ERR_SAML_ENCRYPTION_REFUSED');
  });

  test('an assertion encrypted to another key cannot be decrypted', async () => {
    const { browser, res } = await post({ to: await testKeyPair('someone else') });
    await expectRefused(browser, res, 'ERR_SAML_DECRYPTION_FAILED');
  });

  test('a SHA-1 signature inside the encrypted assertion is refused too, though the response around it is signed with SHA-256', async () => {
    const { browser, res } = await post({ assertionSignature: SHA1 });
    await expectRefused(browser, res, 'ERR_SAML_ALGORITHM_REFUSED');
  });

  test('an encrypted assertion signed with SHA-256 inside a signed response signs in', async () => {
    const { res } = await post({});
    expect(res.status).toBe(302);
  });

  test('an encrypted assertion in an unsigned response is refused: anyone can encrypt to our certificate', async () => {
    const { browser, res } = await post({ signResponse: false });
    await expectRefused(browser, res, 'ERR_SAML_SIGNATURE_INVALID');
  });
});
