import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samlIdpSchema } from '../../../src/config/saml.js';
import { resolveSamlIdp } from '../../../src/config/validate.js';
import { isBridgeError } from '../../../src/errors.js';
import { configuredTrust, loadIdpTrust } from '../../../src/idp/saml/trust.js';
import { IDP_ENTITY_ID, idpMetadataXml, testIdpKeys } from '../../helpers/saml-bridge.js';

/** Trust settings from the config, completed from an IdP metadata file; configured values win. */
const dir = mkdtempSync(join(tmpdir(), 'rambridge-trust-'));
const idp = (raw: Record<string, unknown>) =>
  resolveSamlIdp(samlIdpSchema.parse({ id: 'corp', type: 'saml', ...raw }), 'https://b.example.com');

describe('IdP trust', () => {
  test('a metadata file supplies what the config leaves out; pinned values win', async () => {
    const file = join(dir, 'idp.xml');
    writeFileSync(file, idpMetadataXml((await testIdpKeys()).certificatePem, 'https://idp.example.com/from-file'));
    const fromFile = idp({ metadata: file });
    expect(await loadIdpTrust(fromFile, configuredTrust(fromFile))).toMatchObject({
      entityId: IDP_ENTITY_ID,
      entryPoint: 'https://idp.example.com/from-file',
    });
    const pinned = idp({ metadata: file, entryPoint: 'https://idp.example.com/pinned' });
    expect((await loadIdpTrust(pinned, configuredTrust(pinned))).entryPoint).toBe('https://idp.example.com/pinned');
  });

  test('metadata that cannot be read, or lacks a Redirect-binding SSO, is ERR_IDP_UNREACHABLE', async () => {
    const noRedirect = join(dir, 'post-only.xml');
    writeFileSync(
      noRedirect,
      idpMetadataXml((await testIdpKeys()).certificatePem).replace(/<md:SingleSignOnService Binding="[^"]*HTTP-Redirect"[^>]*>/, ''),
    );
    for (const metadata of [join(dir, 'missing.xml'), noRedirect]) {
      const config = idp({ metadata });
      const err = await loadIdpTrust(config, configuredTrust(config)).catch((e: unknown) => e);
      expect(isBridgeError(err, 'ERR_IDP_UNREACHABLE')).toBe(true);
    }
  });
});
