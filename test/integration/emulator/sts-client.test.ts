import { BridgeError } from '../../../src/errors.js';
import { createStsClient, stsErrorDetail, type StsClient } from '../../../src/sts/index.js';
import {
  DEV,
  RAM_USER,
  oidcProviderArn,
  rolePair,
  roleArn,
  samlProviderArn,
  startHarness,
  type Harness,
} from '../../helpers/emulator-harness.js';

/** The bridge's StsClient (form-body parameters; signed calls V3 with the token in a header) against the emulator. */

let h: Harness;
let sts: StsClient;
beforeAll(async () => {
  h = await startHarness();
  sts = createStsClient({ endpoint: new URL(h.url).host, protocol: 'http' });
});
afterAll(() => h.close());

it('assumes a role with SAML, then GetCallerIdentity with the result', async () => {
  const result = await sts.assumeRoleWithSaml({
    roleArn: roleArn(DEV, 'saml-admin'),
    samlProviderArn: samlProviderArn(DEV),
    samlAssertion: h.saml([rolePair(DEV, 'saml-admin')]),
    durationSeconds: 900,
  });
  expect(result.credentials.expiration.getTime()).toBe(Math.floor(h.clock.now() / 1000) * 1000 + 900_000);
  expect(result.samlAssertionInfo.issuer).toBe(h.idp.entityId);
  const who = await sts.getCallerIdentity(result.credentials);
  expect(who).toMatchObject({
    accountId: DEV,
    identityType: 'AssumedRoleUser',
    arn: `acs:ram::${DEV}:assumed-role/saml-admin/alice@example.com`,
  });
});

it('assumes a role with OIDC', async () => {
  const result = await sts.assumeRoleWithOidc({
    roleArn: roleArn(DEV, 'oidc-reader'),
    oidcProviderArn: oidcProviderArn(DEV),
    oidcToken: await h.oidc(),
    roleSessionName: 'alice',
  });
  expect(result.oidcTokenInfo).toMatchObject({ issuer: h.issuer.issuer, subject: 'user-alice', clientIds: ['sts.aliyuncs.com'] });
});

it('assumes a role with a RAM user key (V3 signature over a form body)', async () => {
  const result = await sts.assumeRole({
    caller: { accessKeyId: RAM_USER.accessKeyId, accessKeySecret: RAM_USER.accessKeySecret },
    roleArn: roleArn(DEV, 'ci-target'),
    roleSessionName: 'ci',
    externalId: 'ci-external-id',
    policy: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:GetObject', Resource: '*' }] }),
  });
  expect(result.assumedRoleUser.arn).toBe(`acs:ram::${DEV}:role/ci-target/ci`);
});

it('maps an emulator refusal to a BridgeError that keeps the STS code and RequestId', async () => {
  const err = await sts
    .assumeRoleWithSaml({
      roleArn: roleArn(DEV, 'nope'),
      samlProviderArn: samlProviderArn(DEV),
      samlAssertion: h.saml([rolePair(DEV, 'saml-admin')]),
    })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BridgeError);
  expect((err as BridgeError).code).toBe('ERR_STS_INVALID_INPUT');
  expect(stsErrorDetail(err as BridgeError)).toMatchObject({
    stsCode: 'EntityNotExist.RoleArn',
    stsMessage: 'The specified Role does not exists.',
    httpStatus: 404,
  });
  expect(stsErrorDetail(err as BridgeError)!.requestId).toMatch(/^[0-9A-F-]{36}$/);
});
