import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { DEFAULTS } from '../../../src/config/defaults.js';
import { silentLogger } from '../../../src/log.js';
import { startBridge } from '../../../src/main.js';
import { testKeyPair, type TestKeyPair } from '../../helpers/saml-keys.js';
import { answer, idpMetadataXml, postToAcs, samlBridge, signedAnswer, startSamlLogin, testIdpKeys } from '../../helpers/saml-bridge.js';
import { signBoth } from '../../helpers/saml-response.js';

/** Our SP metadata for admins, and the IdP's metadata read from a URL instead of pinned settings. */
const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';

describe('SP metadata', () => {
  test('without an SP key: entityID, the ACS, NameID formats, unsigned requests', async () => {
    const bridge = await samlBridge();
    const res = await bridge.agent().get('/saml/corp/metadata').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/samlmetadata\+xml/);
    const root = new DOMParser().parseFromString(res.text, 'text/xml').documentElement!;
    expect(root.getAttribute('entityID')).toBe('http://127.0.0.1:8080/saml/corp/metadata');
    const sp = root.getElementsByTagNameNS(MD, 'SPSSODescriptor')[0]!;
    expect(sp.getAttribute('AuthnRequestsSigned')).toBe('false');
    expect(sp.getAttribute('WantAssertionsSigned')).toBe('true');
    expect(sp.getElementsByTagNameNS(MD, 'KeyDescriptor').length).toBe(0);
    expect(texts(sp, 'NameIDFormat')).toEqual([
      'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
    ]);
    const acs = sp.getElementsByTagNameNS(MD, 'AssertionConsumerService')[0]!;
    expect([acs.getAttribute('Binding'), acs.getAttribute('Location')]).toEqual([
      'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
      'http://127.0.0.1:8080/saml/corp/acs',
    ]);
  });

  test('with an SP key: signing and encryption certificates, offering only the algorithms we decrypt', async () => {
    const key = await testKeyPair('rambridge SP');
    const bridge = await samlBridge({ spPrivateKey: key.privateKeyPem, spCertificate: key.certificatePem, preset: 'okta' });
    const res = await bridge.agent().get('/saml/corp/metadata').expect(200);
    const sp = new DOMParser().parseFromString(res.text, 'text/xml').documentElement!.getElementsByTagNameNS(MD, 'SPSSODescriptor')[0]!;
    expect(sp.getAttribute('AuthnRequestsSigned')).toBe('true');
    const descriptors = Array.from(sp.getElementsByTagNameNS(MD, 'KeyDescriptor'));
    expect(descriptors.map((d) => d.getAttribute('use'))).toEqual(['signing', 'encryption']);
    const der = key.certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
    for (const d of descriptors)
      expect(d.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0]!.textContent).toBe(der);
    expect(Array.from(descriptors[1]!.getElementsByTagNameNS(MD, 'EncryptionMethod')).map((m) => m.getAttribute('Algorithm'))).toEqual([
      'http://www.w3.org/2009/xmlenc11#aes128-gcm',
      'http://www.w3.org/2009/xmlenc11#aes256-gcm',
      'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p',
    ]);
    expect(texts(sp, 'NameIDFormat')[0]).toBe('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress');
    expect(res.text).not.toContain('PRIVATE');
  });
});

describe('IdP metadata from a URL', () => {
  let server: Server;
  let metadataUrl: string;
  let available = true;
  let requests = 0;
  let certificatePem: string;
  beforeAll(async () => {
    certificatePem = (await testIdpKeys()).certificatePem;
    server = createServer((_req, res) => {
      requests++;
      const xml = idpMetadataXml(certificatePem, 'https://idp.example.com/from-metadata');
      res.writeHead(available ? 200 : 503, { 'content-type': 'application/samlmetadata+xml' }).end(available ? xml : '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    metadataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  test('entry point, entityID and certificates come from the metadata', async () => {
    const bridge = await samlBridge({ metadata: metadataUrl, entryPoint: undefined, issuer: undefined, certificates: undefined });
    const browser = bridge.agent();
    const { location, requestId } = await startSamlLogin(browser);
    expect(location.origin + location.pathname).toBe('https://idp.example.com/from-metadata');
    expect((await postToAcs(browser, signedAnswer(bridge, requestId))).status).toBe(302);
  });

  test('unreachable metadata: sign-in and readiness fail with ERR_IDP_UNREACHABLE, and recover once it is back', async () => {
    const bridge = await samlBridge({ metadata: metadataUrl, entryPoint: undefined, issuer: undefined, certificates: undefined });
    available = false;
    const res = await bridge.agent().get('/login?idp=corp').set('Accept', 'text/html').expect(502);
    expect(res.text).toContain('ERR_IDP_UNREACHABLE');
    expect((await bridge.agent().get('/readyz').expect(200)).body.idps.corp).toEqual({ status: 'failing', code: 'ERR_IDP_UNREACHABLE' });
    available = true;
    bridge.clock.advance(DEFAULTS.idp.loadRetryMaxSeconds * 1000); // past the retry backoff
    await bridge.agent().get('/login?idp=corp').expect(302);
  });

  test('metadataRefreshSeconds sets how often the metadata is read again', async () => {
    const bridge = await samlBridge({
      metadata: metadataUrl,
      entryPoint: undefined,
      issuer: undefined,
      certificates: undefined,
      metadataRefreshSeconds: 3600,
    });
    const before = requests;
    await startSamlLogin(bridge.agent());
    expect(requests).toBe(before + 1);
    bridge.clock.advance(3600_000 - 1);
    await startSamlLogin(bridge.agent());
    expect(requests).toBe(before + 1);
    bridge.clock.advance(1);
    await startSamlLogin(bridge.agent());
    expect(requests).toBe(before + 2);
  });

  test('a configuration reload while the metadata cannot be had keeps the trust in use; metadata named elsewhere starts afresh', async () => {
    const { config } = await samlBridge({ metadata: metadataUrl, entryPoint: undefined, issuer: undefined, certificates: undefined });
    const bridge = await startBridge({ config, port: 0, logger: silentLogger() });
    try {
      const login = async () => (await fetch(`${bridge.url}/login?idp=corp`, { redirect: 'manual' })).status;
      expect(await login()).toBe(302);
      available = false; // the IdP's metadata host has a bad minute, and an unrelated edit is reloaded
      await bridge.reload(config);
      expect(await login()).toBe(302);
      const moved = { ...config, idps: config.idps.map((idp) => ({ ...idp, metadata: `${metadataUrl}?moved` })) };
      await bridge.reload(moved);
      expect(await login()).toBe(502);
    } finally {
      available = true;
      await bridge.close();
    }
  });

  test('a reload after the admin edited a metadata file into one that does not parse fails closed: no trust carried over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rambridge-metadata-'));
    const file = join(dir, 'idp.xml');
    await writeFile(file, idpMetadataXml(certificatePem, 'https://idp.example.com/from-metadata'));
    const { config } = await samlBridge({ metadata: file, entryPoint: undefined, issuer: undefined, certificates: undefined });
    const bridge = await startBridge({ config, port: 0, logger: silentLogger() });
    try {
      const login = async () => (await fetch(`${bridge.url}/login?idp=corp`, { redirect: 'manual' })).status;
      expect(await login()).toBe(302);
      await writeFile(file, '<md:EntityDescriptor'); // a certificate removed, and the file broken
      await bridge.reload(config);
      expect(await login()).toBe(502);
    } finally {
      await bridge.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("metadata is read again after a day: the IdP's next certificate is trusted; a failed refresh keeps the last one", async () => {
    const bridge = await samlBridge({ metadata: metadataUrl, entryPoint: undefined, issuer: undefined, certificates: undefined });
    // Starting a sign-in a day later refreshes; the response is then checked back on today's clock,
    // because its timestamps are real ones (node-saml reads the system clock).
    const signIn = async (keys: TestKeyPair, startAfterMs = 0) => {
      const browser = bridge.agent();
      bridge.clock.set(Date.now() + startAfterMs);
      const { requestId } = await startSamlLogin(browser);
      bridge.clock.set(Date.now());
      return (await postToAcs(browser, signBoth(answer(bridge, requestId), keys))).status;
    };
    const DAY = 24 * 3600 * 1000;
    const next = await testKeyPair('next IdP key');
    expect(await signIn(bridge.idpKeys)).toBe(302);
    certificatePem = next.certificatePem; // the IdP publishes its next certificate and rolls over
    expect(await signIn(next)).toBe(401); // within the day: not trusted yet
    available = false;
    expect(await signIn(bridge.idpKeys, DAY + 1)).toBe(302); // refresh failed: the last metadata still applies
    available = true;
    expect(await signIn(next, 2 * DAY)).toBe(302);
    certificatePem = bridge.idpKeys.certificatePem;
  });
});

function texts(parent: Element, name: string): string[] {
  return Array.from(parent.getElementsByTagNameNS(MD, name)).map((e) => e.textContent ?? '');
}
