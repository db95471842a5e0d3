import type { SamlProviderEntry } from '../../../src/emulator/directory.js';
import { providerMetadata } from '../../../src/emulator/idp-metadata.js';
import type { RemoteDocuments } from '../../../src/emulator/remote-documents.js';
import { createTestIdp } from '../../helpers/saml-mint-for-tests.js';

const ARN = 'acs:ram::1111222233334444:saml-provider/test-idp';

/** Remote documents that count what they are asked for. */
function documentsServing(text: string) {
  const asked: string[] = [];
  const documents = { text: async (url: string) => (asked.push(url), text) } as unknown as RemoteDocuments;
  return { documents, asked };
}

test('a metadata document is read once per text: the same result for every sign-in, and a changed text is read afresh', async () => {
  const first = await createTestIdp();
  const provider: SamlProviderEntry = { accountId: '1111222233334444', arn: ARN, metadataUrl: 'http://127.0.0.1:1/metadata' };
  const served = documentsServing(first.metadataXml);
  const a = await providerMetadata(provider, served.documents);
  const b = await providerMetadata(provider, served.documents);
  expect(b).toBe(a);
  expect(served.asked).toHaveLength(2); // the URL is still asked each time: its document may change (key rotation)
  expect(Object.isFrozen(a)).toBe(true);

  const rotated = await createTestIdp();
  const c = await providerMetadata(provider, documentsServing(rotated.metadataXml).documents);
  expect(c).not.toBe(a);
  expect(c.signingCertificates).not.toEqual(a.signingCertificates);
});

test('unusable metadata is refused on every call, never remembered', async () => {
  const provider: SamlProviderEntry = { accountId: '1111222233334444', arn: ARN, metadataXml: '<EntityDescriptor/>' };
  const { documents } = documentsServing('');
  for (let i = 0; i < 2; i++)
    await expect(providerMetadata(provider, documents)).rejects.toMatchObject({ code: 'AuthenticationFail.IDPMetadata.Invalid' });
});
