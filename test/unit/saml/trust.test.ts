import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ConfigInvalid } from '../../../src/config/index.js';
import { samlIdpSchema } from '../../../src/config/saml.js';
import { resolveSamlIdp } from '../../../src/config/validate.js';
import { isBridgeError } from '../../../src/errors.js';
import { createLogger } from '../../../src/log.js';
import { configuredTrust, loadIdpTrust } from '../../../src/idp/saml/trust.js';
import { IDP_ENTITY_ID, idpMetadataXml, testIdpKeys } from '../../helpers/saml-bridge.js';
import { testKeyPair } from '../../helpers/saml-keys.js';

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

  test.each([
    [{ rsaBits: 1024 }, "RSA keys need at least 2048 bits; this certificate's key is RSA-1024"],
    [{ ecCurve: 'P-256' }, "a SAML signing key must be RSA (2048+ bits); this certificate's key is EC prime256v1"],
  ])(
    'a pinned certificate whose key is not RSA of 2048+ bits (%o) stops the configuration, naming the IdP and the key',
    async (kind, message) => {
      const weak = await testKeyPair('weak idp', kind);
      const err = (() => {
        try {
          return configuredTrust(
            idp({ entryPoint: 'https://idp.example.com/sso', issuer: IDP_ENTITY_ID, certificates: [weak.certificatePem] }),
          );
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ConfigInvalid);
      expect((err as ConfigInvalid).problems).toEqual([{ path: 'idps.corp.certificates[0]', message }]);
    },
  );

  test('a weak certificate in metadata is dropped with a warning; metadata left without one is ERR_IDP_UNREACHABLE', async () => {
    const weak = await testKeyPair('weak idp', { rsaBits: 1024 });
    const good = (await testIdpKeys()).certificatePem;
    const lines: string[] = [];
    const log = createLogger({
      destination: new Writable({ write: (chunk: Buffer, _e, done) => done(void lines.push(chunk.toString())) }),
    });
    const der = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    const both = join(dir, 'weak-and-good.xml');
    writeFileSync(
      both,
      idpMetadataXml(good).replace(
        '<md:SingleSignOnService',
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${der(weak.certificatePem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor><md:SingleSignOnService`,
      ),
    );
    const fromBoth = idp({ metadata: both });
    expect((await loadIdpTrust(fromBoth, configuredTrust(fromBoth), log)).certificates.map(der)).toEqual([der(good)]);
    const warning = JSON.parse(lines.find((l) => l.includes('saml-idp-certificate-refused'))!) as Record<string, unknown>;
    expect(warning).toMatchObject({
      level: 40,
      idp: 'corp',
      problem: "RSA keys need at least 2048 bits; this certificate's key is RSA-1024",
    });

    const onlyWeak = join(dir, 'weak.xml');
    writeFileSync(onlyWeak, idpMetadataXml(weak.certificatePem));
    const fromWeak = idp({ metadata: onlyWeak });
    const err = await loadIdpTrust(fromWeak, configuredTrust(fromWeak), log).catch((e: unknown) => e);
    expect(isBridgeError(err, 'ERR_IDP_UNREACHABLE')).toBe(true);
    expect(JSON.stringify((err as { detail: unknown }).detail)).toContain('no signing certificate in IDPSSODescriptor (1 refused');
  });
});
