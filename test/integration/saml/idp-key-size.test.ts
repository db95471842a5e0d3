import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testKeyPair, type TestKeyPair } from '../../helpers/saml-keys.js';
import {
  answer,
  cookieNames,
  expectRefused,
  idpMetadataXml,
  postToAcs,
  samlBridge,
  startSamlLogin,
  testIdpKeys,
} from '../../helpers/saml-bridge.js';
import { signBoth } from '../../helpers/saml-response.js';

/**
 * An IdP signing key under RSA-2048 is never trusted: a 512-bit key is factored cheaply, and with it
 * anyone could sign assertions for every user of that IdP.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rambridge-idp-key-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const fromMetadata = { entryPoint: undefined, issuer: undefined, certificates: undefined };

async function metadataFile(name: string, ...certificates: string[]): Promise<string> {
  const der = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
  const keys = certificates
    .slice(1)
    .map(
      (pem) =>
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
    )
    .join('');
  const file = join(dir, name);
  await writeFile(file, idpMetadataXml(certificates[0]!).replace('<md:SingleSignOnService', `${keys}<md:SingleSignOnService`));
  return file;
}

describe('IdP signing key size', () => {
  test.each([512, 1024])('a pinned RSA-%i certificate stops the configuration, naming the IdP and the key size', async (bits) => {
    const weak = await testKeyPair('weak idp', { rsaBits: bits });
    await expect(samlBridge({ certificates: [weak.certificatePem] })).rejects.toThrow(
      `idps.corp.certificates[0]: RSA keys need at least 2048 bits; this certificate's key is RSA-${bits}`,
    );
  });

  test('a weak certificate in the metadata is not trusted: what it signs is refused, with a warning in the log', async () => {
    const weak: TestKeyPair = await testKeyPair('weak idp', { rsaBits: 1024 });
    const good = await testIdpKeys();
    const bridge = await samlBridge({
      ...fromMetadata,
      metadata: await metadataFile('both.xml', good.certificatePem, weak.certificatePem),
    });
    const browser = bridge.agent();
    const { requestId } = await startSamlLogin(browser);
    await expectRefused(browser, await postToAcs(browser, signBoth(answer(bridge, requestId), weak)), 'ERR_SAML_SIGNATURE_INVALID');
    const warning = bridge.logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.event === 'saml-idp-certificate-refused');
    expect(warning).toMatchObject({ level: 40, idp: 'corp', problem: expect.stringContaining('RSA-1024') as unknown });

    const signedIn = bridge.agent();
    const again = await startSamlLogin(signedIn);
    const res = await postToAcs(signedIn, signBoth(answer(bridge, again.requestId), good));
    expect({ status: res.status, signedIn: cookieNames(res).includes('rambridge.sid') }).toEqual({ status: 302, signedIn: true });
  });

  test('metadata whose only signing certificate is weak gives no sign-in: ERR_IDP_UNREACHABLE', async () => {
    const weak = await testKeyPair('weak idp', { rsaBits: 1024 });
    const bridge = await samlBridge({ ...fromMetadata, metadata: await metadataFile('weak.xml', weak.certificatePem) });
    const res = await bridge.agent().get('/login?idp=corp').set('Accept', 'text/html').expect(502);
    expect(res.text).toContain('ERR_IDP_UNREACHABLE');
  });
});
