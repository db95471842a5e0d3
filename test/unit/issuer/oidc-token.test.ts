import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { BridgeIssuer } from '../../../src/issuer/index.js';
import type { Identity } from '../../../src/idp/identity.js';
import { freshIssuerKeys } from '../../helpers/issuer-keys.js';
import { demoConfig } from '../../helpers/config.js';

const alice: Identity = {
  idp: 'demo',
  issuer: 'https://idp.example.com',
  subject: 'alice-1',
  email: 'alice@example.com',
  name: 'Alice',
  groups: ['g'],
  amr: ['pwd', 'mfa'],
};

async function setup(oidcAlg?: 'RS256' | 'ES256', extraKey = false) {
  const config = await demoConfig();
  const keys = await freshIssuerKeys({ oidcAlg });
  const older = extraKey ? (await freshIssuerKeys({ unique: true })).oidcKeys : [];
  return BridgeIssuer.create(
    {
      ...keys,
      oidcKeys: [...keys.oidcKeys, ...older],
      samlEntityId: 'x',
      oidcIssuer: 'http://127.0.0.1:8080',
      signSamlResponse: true,
      oidcAudience: 'sts.aliyuncs.com',
      tokenLifetimeSeconds: 300,
      oidcTokenLifetimeSeconds: 60,
      subjectSecret: 's'.repeat(40),
    },
    config.alibaba,
    'http://127.0.0.1:8080',
  ).then((issuer) => ({ issuer, role: config.roles.find((r) => r.id === 'dev-readonly')! }));
}

describe('minted ID token', () => {
  test.each(['RS256', 'ES256'] as const)('%s: verifies against the published JWKS with the expected claims', async (alg) => {
    const { issuer, role } = await setup(alg);
    const now = Date.now();
    const token = await issuer.idToken(alice, role, now);
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(issuer.jwks() as JSONWebKeySet), {
      issuer: 'http://127.0.0.1:8080',
      audience: 'sts.aliyuncs.com',
      algorithms: [alg],
    });
    expect(protectedHeader).toMatchObject({ alg, kid: issuer.oidcKeys.signing.kid, typ: 'JWT' });
    expect(payload).toMatchObject({
      sub: issuer.names.pseudonym(alice),
      email: 'alice@example.com',
      amr: ['pwd', 'mfa'],
      role_arn: role.arn,
    });
    // Only as long as the STS call needs (issue 9 item 4), not the assertions' 5 minutes.
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.jti).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  test("a role's own oidcAudience becomes the token's aud, binding it to that role's trust policy", async () => {
    const { issuer, role } = await setup('RS256');
    const bound = { ...role, oidcAudience: 'rambridge-dev-readonly' };
    const token = await issuer.idToken(alice, bound, Date.now());
    const { payload } = await jwtVerify(token, createLocalJWKSet(issuer.jwks() as JSONWebKeySet), { audience: 'rambridge-dev-readonly' });
    expect(payload).toMatchObject({ aud: 'rambridge-dev-readonly', role_arn: role.arn });
  });

  test('during a rotation both keys are published and the first one signs', async () => {
    const { issuer, role } = await setup('RS256', true);
    const { keys } = issuer.jwks() as { keys: Array<{ kid: string; d?: string }> };
    expect(keys).toHaveLength(2);
    expect(keys.every((k) => k.d === undefined)).toBe(true);
    const token = await issuer.idToken(alice, role, Date.now());
    const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(issuer.jwks() as JSONWebKeySet));
    expect(protectedHeader.kid).toBe(keys[0]!.kid);
  });

  test('discovery names the issuer, JWKS and algorithms', async () => {
    const { issuer } = await setup('ES256');
    expect(issuer.discovery()).toMatchObject({
      issuer: 'http://127.0.0.1:8080',
      jwks_uri: 'http://127.0.0.1:8080/jwks.json',
      id_token_signing_alg_values_supported: ['ES256'],
    });
  });
});
