import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { ConfigInvalid, validateConfig, type SamlIdp } from '../../../src/config/index.js';
import { SamlConnector } from '../../../src/idp/index.js';
import { MemoryStore } from '../../../src/store/index.js';
import { testKeyPair } from '../../helpers/saml-keys.js';

/** The SAML IdP section: every problem with its path, defaults per preset, key files read at start-up. */
const server = { publicUrl: 'https://b.example.com', sessionSecrets: ['k'.repeat(32)] };

function problems(idp: Record<string, unknown>): string[] {
  const result = validateConfig({ server, idps: [{ id: 'corp', type: 'saml', ...idp }] });
  return result.ok ? [] : result.problems.map((p) => `${p.path}: ${p.message}`);
}

function resolved(idp: Record<string, unknown>): SamlIdp {
  const result = validateConfig({ server, idps: [{ id: 'corp', type: 'saml', ...idp }] });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config.idps[0] as SamlIdp;
}

const pinned = { entryPoint: 'https://idp.example.com/sso', issuer: 'https://idp.example.com', certificates: ['idp.pem'] };

describe('SAML IdP configuration', () => {
  test('without metadata, entry point, issuer and certificates are each required, reported together', () => {
    expect(problems({})).toEqual([
      "idps[0].entryPoint: required (or set metadata to read it from the IdP's metadata)",
      "idps[0].issuer: required (or set metadata to read it from the IdP's metadata)",
      "idps[0].certificates: required (or set metadata to read it from the IdP's metadata)",
    ]);
    expect(problems({ metadata: 'https://idp.example.com/metadata' })).toEqual([]);
  });

  test('insecure or ambiguous settings are refused with their paths', () => {
    expect(problems({ ...pinned, id: 'idp' })).toEqual(["idps[0].id: reserved (/saml/idp/ is the bridge's own IdP metadata)"]);
    expect(problems({ ...pinned, spPrivateKey: 'sp.key' })).toEqual(['idps[0].spCertificate: spPrivateKey and spCertificate go together']);
    expect(problems({ metadata: 'http://idp.example.com/metadata' })).toEqual([
      'idps[0].metadata: fetch IdP metadata over https (plain http only on loopback)',
    ]);
    expect(problems({ ...pinned, entryPoint: 'http://idp.example.com/sso' })).toEqual([
      'idps[0].entryPoint: use an https entry point (plain http only on loopback)',
    ]);
    expect(problems({ ...pinned, clockSkewSeconds: 61 })).toEqual(['idps[0].clockSkewSeconds: Too big: expected number to be <=60']);
    expect(problems({ metadata: 'http://127.0.0.1:8082/saml2/idp/metadata.php' })).toEqual([]);
  });

  test('presets choose attribute names and the NameID format; config overrides them', () => {
    expect(resolved({ ...pinned, preset: 'okta' })).toMatchObject({
      nameIdFormat: 'emailAddress',
      attributes: { email: 'email', groups: ['groups'], firstName: 'firstName' },
    });
    expect(resolved({ ...pinned })).toMatchObject({
      nameIdFormat: 'unspecified',
      allowIdpInitiated: false,
      clockSkewSeconds: 60,
      maxAssertionAgeSeconds: 300,
    });
    expect(resolved({ ...pinned, preset: 'entra', nameIdFormat: 'persistent', attributes: { groups: ['roles'] } })).toMatchObject({
      nameIdFormat: 'persistent',
      attributes: { groups: ['roles'], email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress' },
    });
  });

  test('certificate and key files are read when the connector is built: a bad one stops start-up, naming its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rambridge-saml-'));
    const idpKey = await testKeyPair('idp');
    const other = await testKeyPair('other');
    writeFileSync(join(dir, 'idp.pem'), idpKey.certificatePem);
    const deps = { store: new MemoryStore(new ManualClock()), clock: new ManualClock() };
    const connector = (idp: Record<string, unknown>) => () => new SamlConnector(resolved({ ...pinned, ...idp }), deps);

    expect(connector({ certificates: [join(dir, 'idp.pem')] })).not.toThrow();
    expect(pathOf(connector({ certificates: [join(dir, 'idp.pem'), join(dir, 'missing.pem')] }))).toEqual([
      `idps.corp.certificates[1]: cannot read ${join(dir, 'missing.pem')}: no such file`,
    ]);
    expect(
      pathOf(connector({ certificates: [idpKey.certificatePem], spPrivateKey: other.privateKeyPem, spCertificate: idpKey.certificatePem })),
    ).toEqual(['idps.corp.spPrivateKey: not a usable PEM value or file: the key does not belong to spCertificate']);
  });
});

function pathOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigInvalid) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}
