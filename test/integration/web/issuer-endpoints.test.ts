import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { testBridge } from '../../helpers/bridge.js';

const op = { issuer: 'http://127.0.0.1:1', clientSecret: 'unused' };

describe('the bridge as issuer toward RAM', () => {
  test('serves SAML IdP metadata to upload into RAM', async () => {
    const { agent, issuer } = await testBridge(op);
    const res = await agent().get('/saml/idp/metadata').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/samlmetadata\+xml/);
    expect(res.text).toContain('entityID="http://127.0.0.1:8080/saml/idp/metadata"');
    expect(res.text).toContain(issuer!.samlKeys.signing.certificateBase64);
    expect(res.text).not.toMatch(/PRIVATE KEY/);
  });

  test('serves OIDC discovery and a JWKS that verifies minted tokens, and no private key material', async () => {
    const { agent, issuer, config } = await testBridge(op);
    const discovery = await agent().get('/.well-known/openid-configuration').expect(200);
    expect(discovery.body).toMatchObject({ issuer: 'http://127.0.0.1:8080', jwks_uri: 'http://127.0.0.1:8080/jwks.json' });
    const jwks = await agent().get('/jwks.json').expect(200);
    expect(jwks.text).not.toMatch(/"d"|"p"|"q"/);
    const role = config.roles.find((r) => r.via === 'oidc')!;
    const token = await issuer!.idToken({ idp: 'demo', issuer: 'x', subject: 'y', groups: [], amr: [] }, role, Date.now());
    await expect(
      jwtVerify(token, createLocalJWKSet(jwks.body as JSONWebKeySet), { issuer: 'http://127.0.0.1:8080', audience: 'sts.aliyuncs.com' }),
    ).resolves.toBeTruthy();
  });
});
