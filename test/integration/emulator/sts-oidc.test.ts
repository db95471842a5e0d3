import * as $Sts from '@alicloud/sts20150401';
import { DEV, oidcProviderArn, roleArn, sdkClient, sdkError, startHarness, type Harness } from '../../helpers/emulator-harness.js';

/** AssumeRoleWithOIDC through the official SDK, success and every refusal it can produce. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const READER = roleArn(DEV, 'oidc-reader');

async function assume(overrides: Partial<$Sts.AssumeRoleWithOIDCRequest> = {}) {
  return sdkClient(h.url).assumeRoleWithOIDC(
    new $Sts.AssumeRoleWithOIDCRequest({
      roleArn: READER,
      OIDCProviderArn: oidcProviderArn(DEV),
      OIDCToken: await h.oidc(),
      roleSessionName: 'alice-cli',
      ...overrides,
    }),
  );
}

describe('AssumeRoleWithOIDC', () => {
  it.each(['RS256', 'ES256'] as const)('issues credentials for a %s token and fills OIDCTokenInfo', async (alg) => {
    const token = await h.oidc({}, { alg });
    const body = (await assume({ OIDCToken: token, durationSeconds: 43200 })).body!;
    expect(body.credentials!.accessKeyId).toMatch(/^STS\./);
    expect(body.credentials!.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(Date.parse(body.credentials!.expiration!) - h.clock.now()).toBeGreaterThan(43_199_000);
    expect(body.assumedRoleUser!.arn).toBe(`acs:ram::${DEV}:role/oidc-reader/alice-cli`);
    const seconds = Math.floor(h.clock.now() / 1000);
    expect(body.OIDCTokenInfo).toEqual({
      issuer: h.issuer.issuer,
      subject: 'user-alice',
      clientIds: 'sts.aliyuncs.com',
      issuanceTime: new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'),
      expirationTime: new Date((seconds + 600) * 1000).toISOString().replace('.000Z', 'Z'),
      verificationInfo: 'Success',
    });
  });

  it('gives credentials that GetCallerIdentity recognises', async () => {
    const c = (await assume()).body!.credentials!;
    const who = (
      await sdkClient(h.url, {
        accessKeyId: c.accessKeyId!,
        accessKeySecret: c.accessKeySecret!,
        securityToken: c.securityToken!,
      }).getCallerIdentity()
    ).body!;
    expect(who).toMatchObject({
      accountId: DEV,
      arn: `acs:ram::${DEV}:assumed-role/oidc-reader/alice-cli`,
      identityType: 'AssumedRoleUser',
    });
  });

  describe('refuses', () => {
    const cases: [string, () => Promise<unknown>, number, string, string][] = [
      [
        'an HS256 token',
        async () => assume({ OIDCToken: await h.oidc({}, { alg: 'HS256' }) }),
        401,
        'AuthenticationFail.OIDCToken.Invalid',
        'The algorithm HS256 that be specified in Jwt header is unknown.',
      ],
      [
        'a token signed by a key the issuer does not publish',
        async () => assume({ OIDCToken: await h.oidc({}, { forged: true }) }),
        401,
        'AuthenticationFail.OIDCToken.InvalidSignature',
        'OIDC token validate failed: invalid signature.',
      ],
      [
        'a wrong audience',
        async () => assume({ OIDCToken: await h.oidc({ aud: 'someone-else' }) }),
        401,
        'AuthenticationFail.OIDCToken.AudienceNotMatch',
        'Invalid audience.',
      ],
      [
        'another issuer',
        async () => assume({ OIDCToken: await h.oidc({ iss: 'https://evil.example' }) }),
        401,
        'AuthenticationFail.OIDCToken.IssuerNotMatch',
        "The issuer in the OIDC Token doesn't match the OIDC Provider registered.",
      ],
      [
        'an expired token',
        async () => assume({ OIDCToken: await h.oidc({ exp: Math.floor(h.clock.now() / 1000) - 1 }) }),
        401,
        'AuthenticationFail.OIDCToken.Expired',
        'This JsonWebToken is expired.',
      ],
      [
        'a token issued longer ago than the issuance limit',
        async () => assume({ OIDCToken: await h.oidc({ iat: Math.floor(h.clock.now() / 1000) - 3601 }) }),
        401,
        'AuthenticationFail.OIDCToken.Expired',
        'This JsonWebToken is expired.',
      ],
      [
        'a token that is not a JWT',
        async () => assume({ OIDCToken: 'not-a-jwt' }),
        401,
        'AuthenticationFail.OIDCToken.Invalid',
        "The number of Jwt field should be divided into 3 parts with '.'",
      ],
      [
        'a token whose segments are not base64 JSON',
        async () => assume({ OIDCToken: 'a.b.c' }),
        401,
        'AuthenticationFail.OIDCToken.Invalid',
        'Cannot decode base64 encoded response(format invalided).',
      ],
      [
        'a subject the trust policy does not allow',
        async () => assume({ OIDCToken: await h.oidc({ sub: 'robot-1' }) }),
        401,
        'AuthenticationFail.NoPermission',
        'There is no permission',
      ],
      [
        'an unknown provider',
        async () => assume({ OIDCProviderArn: oidcProviderArn(DEV, 'nope') }),
        401,
        'AuthenticationFail.NoPermission',
        'No such OIDC Provider registered.',
      ],
      [
        'an issuer whose keys cannot be fetched',
        async () => assume({ OIDCProviderArn: oidcProviderArn(DEV, 'gone-oidc'), OIDCToken: await h.oidc({ iss: 'http://127.0.0.1:9' }) }),
        401,
        'AuthenticationFail.OIDCToken.IssuerConfigurationBroken',
        'Get public keys from OIDC Provider failed, the issuer is http://127.0.0.1:9.',
      ],
      [
        'an unknown role',
        async () => assume({ roleArn: roleArn(DEV, 'no-such-role') }),
        404,
        'EntityNotExist.Role',
        `The role not exists: ${roleArn(DEV, 'no-such-role')}.`,
      ],
      [
        'a role that does not trust the provider',
        async () => assume({ roleArn: roleArn(DEV, 'saml-admin') }),
        401,
        'AuthenticationFail.NoPermission',
        'There is no permission',
      ],
      [
        'DurationSeconds above the role maximum',
        async () => assume({ durationSeconds: 43201 }),
        400,
        'InvalidParameter.DurationSeconds',
        'The Min/Max value of DurationSeconds is 15min/12hr.',
      ],
      [
        'a RoleSessionName with a space',
        async () => assume({ roleSessionName: 'alice cli' }),
        400,
        'InvalidParameter.RoleSessionName',
        'The RoleSessionName is invalid.',
      ],
      ...['a+b@corp.example', 'a=b', 'a,b'].map((name): (typeof cases)[number] => [
        `a RoleSessionName with a character only the SAML attribute allows: ${name}`,
        async () => assume({ roleSessionName: name }),
        400,
        'InvalidParameter.RoleSessionName',
        'The RoleSessionName is invalid.',
      ]),
      [
        'a missing RoleSessionName',
        async () => assume({ roleSessionName: undefined }),
        400,
        'MissingParameter.RoleSessionName',
        'Parameter RoleSessionName is required.',
      ],
    ];
    it.each(cases)('%s', async (_name, call, status, code, message) => {
      const err = await sdkError(call());
      expect([err.statusCode, err.code, err.message]).toEqual([status, code, message]);
    });
  });
});
