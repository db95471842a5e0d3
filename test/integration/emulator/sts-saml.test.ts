import * as $Sts from '@alicloud/sts20150401';
import {
  DEV,
  PROD,
  rolePair,
  roleArn,
  samlProviderArn,
  sdkClient,
  sdkError,
  startHarness,
  type Harness,
} from '../../helpers/emulator-harness.js';
import { selfSignedCertificate } from '../../helpers/emulator-x509.js';

/** AssumeRoleWithSAML through the official SDK, success and every refusal it can produce. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const ADMIN = roleArn(DEV, 'saml-admin');

interface DebugView {
  Check: { Allowed: boolean };
  SessionPolicy: { Statement: { Action: string[] }[] };
  EffectivePermissions: { Statement: unknown[] };
}
const PROVIDER = samlProviderArn(DEV);

function assume(overrides: Partial<$Sts.AssumeRoleWithSAMLRequest> & { SAMLAssertion?: string } = {}) {
  return sdkClient(h.url).assumeRoleWithSAML(
    new $Sts.AssumeRoleWithSAMLRequest({
      roleArn: ADMIN,
      SAMLProviderArn: PROVIDER,
      SAMLAssertion: h.saml([rolePair(DEV, 'saml-admin')]),
      ...overrides,
    }),
  );
}

/** A base64 Response whose root start tag is edited; the signed Assertion inside is untouched. */
function editResponseTag(base64Response: string, edit: (tag: string) => string): string {
  const xml = Buffer.from(base64Response, 'base64').toString('utf8');
  const edited = xml.replace(/^<samlp:Response\b[^>]*>/, edit);
  expect(edited).not.toBe(xml);
  return Buffer.from(edited, 'utf8').toString('base64');
}
const withoutResponseAttribute = (base64Response: string, name: string) =>
  editResponseTag(base64Response, (tag) => tag.replace(new RegExp(` ${name}="[^"]*"`), ''));

describe('AssumeRoleWithSAML', () => {
  it('issues STS credentials for the requested role and fills SAMLAssertionInfo', async () => {
    const res = await assume({ durationSeconds: 1800 });
    const body = res.body!;
    expect(res.statusCode).toBe(200);
    expect(body.requestId).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(body.credentials!.accessKeyId).toMatch(/^STS\.[A-Za-z0-9]{24}$/);
    expect(body.credentials!.accessKeySecret!.length).toBeGreaterThanOrEqual(30);
    expect(body.credentials!.securityToken).toBeTruthy();
    const expected = new Date(Math.floor(h.clock.now() / 1000) * 1000 + 1800_000).toISOString().replace('.000Z', 'Z');
    expect(body.credentials!.expiration).toBe(expected);
    expect(body.assumedRoleUser!.arn).toBe(`acs:sts::${DEV}:assumed-role/saml-admin/alice@example.com`);
    expect(body.assumedRoleUser!.assumedRoleId).toMatch(/^\d{17}:alice@example\.com$/);
    expect(body.SAMLAssertionInfo).toMatchObject({
      subjectType: 'persistent',
      subject: 'alice@example.com',
      recipient: 'https://signin.alibabacloud.com/saml-role/sso',
      issuer: h.idp.entityId,
    });
  });

  it('gives credentials that GetCallerIdentity recognises, with the V3 and the v1 signature', async () => {
    const creds = (await assume()).body!.credentials!;
    const asStsCaller = { accessKeyId: creds.accessKeyId!, accessKeySecret: creds.accessKeySecret!, securityToken: creds.securityToken! };
    for (const v1 of [false, true]) {
      const who = (await sdkClient(h.url, asStsCaller, { v1 }).getCallerIdentity()).body!;
      expect(who).toMatchObject({
        accountId: DEV,
        arn: `acs:ram::${DEV}:assumed-role/saml-admin/alice@example.com`,
        identityType: 'AssumedRoleUser',
      });
      expect(who.principalId).toBe(`${who.roleId}:alice@example.com`);
    }
  });

  it('caps the lifetime at the assertion SessionNotOnOrAfter', async () => {
    const res = await assume({
      SAMLAssertion: h.saml([rolePair(DEV, 'saml-admin')], { sessionValidForSeconds: 1000 }),
      durationSeconds: 7200,
    });
    const expires = Date.parse(res.body!.credentials!.expiration!);
    expect(expires - h.clock.now()).toBeLessThanOrEqual(1000_000);
    expect(expires - h.clock.now()).toBeGreaterThan(998_000);
  });

  it('fetches the metadata of a URL provider lazily, at first use', async () => {
    const before = h.issuer.fetched.filter((p) => p === '/saml/metadata').length;
    expect(before).toBe(0);
    const res = await assume({
      roleArn: roleArn(DEV, 'saml-via-url'),
      SAMLProviderArn: samlProviderArn(DEV, 'url-idp'),
      SAMLAssertion: h.saml([rolePair(DEV, 'saml-via-url', 'url-idp')]),
    });
    expect(res.body!.credentials!.accessKeyId).toMatch(/^STS\./);
    expect(h.issuer.fetched).toContain('/saml/metadata');
  });

  it('stores the session policy and intersects it with the role policies', async () => {
    const policy = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] });
    const creds = (await assume({ policy })).body!.credentials!;
    const debug = async (action: string) =>
      (await (await fetch(`${h.url}/debug/session?AccessKeyId=${creds.accessKeyId}&Action=${action}`)).json()) as DebugView;
    const view = await debug('ecs:DescribeInstances');
    expect(view.Check.Allowed).toBe(true);
    expect(view.SessionPolicy.Statement[0]!.Action).toEqual(['ecs:Describe*']);
    expect(view.EffectivePermissions.Statement).toEqual([{ Effect: 'Allow', Action: ['ecs:Describe*'], Resource: ['*'] }]);
    expect((await debug('ecs:DeleteInstance')).Check.Allowed).toBe(false);
    expect(JSON.stringify(view)).not.toContain(creds.accessKeySecret);
    expect(JSON.stringify(view)).not.toContain(creds.securityToken);
  });

  describe('refuses', () => {
    const granted = () => [rolePair(DEV, 'saml-admin')];
    const cases: [string, () => Promise<unknown>, number, string, string | undefined][] = [
      [
        'a Response signed by another key',
        async () =>
          assume({ SAMLAssertion: h.saml(granted(), { signingKeyPem: (await selfSignedCertificate('attacker')).privateKeyPem }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'does not verify',
      ],
      [
        'a wrong audience',
        async () => assume({ SAMLAssertion: h.saml(granted(), { audience: 'urn:alibaba:cloudcomputing' }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Audience is not',
      ],
      [
        'a wrong recipient',
        async () => assume({ SAMLAssertion: h.saml(granted(), { recipient: 'https://evil.example/acs' }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Recipient https://evil.example/acs',
      ],
      [
        'a wrong Response Destination',
        async () => assume({ SAMLAssertion: h.saml(granted(), { destination: 'https://evil.example/acs' }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Destination',
      ],
      [
        'a Response without Destination',
        async () => assume({ SAMLAssertion: h.saml(granted(), { destination: null }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Response has no Destination',
      ],
      [
        'a signed Response without Destination',
        async () => assume({ SAMLAssertion: h.saml(granted(), { destination: null, signResponse: true }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Response has no Destination',
      ],
      [
        'a Response without Version',
        async () => assume({ SAMLAssertion: withoutResponseAttribute(h.saml(granted()), 'Version') }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Response has no Version',
      ],
      [
        'a Response whose Version is not 2.0',
        async () => assume({ SAMLAssertion: editResponseTag(h.saml(granted()), (tag) => tag.replace(' Version="2.0"', ' Version="1.1"')) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Response Version is 1.1',
      ],
      [
        'a Response without ID',
        async () => assume({ SAMLAssertion: withoutResponseAttribute(h.saml(granted()), 'ID') }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Response has no ID',
      ],
      [
        'a Response without IssueInstant',
        async () => assume({ SAMLAssertion: withoutResponseAttribute(h.saml(granted()), 'IssueInstant') }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Response has no IssueInstant',
      ],
      [
        'another issuer',
        async () => assume({ SAMLAssertion: h.saml(granted(), { issuer: 'https://other-idp.example' }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Issuer',
      ],
      [
        'an RSA-SHA1 signature',
        async () => assume({ SAMLAssertion: h.saml(granted(), { algorithm: 'sha1' }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'rsa-sha1 is not allowed',
      ],
      [
        'an unsigned assertion in a signed Response',
        async () => assume({ SAMLAssertion: h.saml(granted(), { signAssertion: false, signResponse: true }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'Assertion has 0 signatures',
      ],
      [
        'a holder-of-key confirmation',
        async () => assume({ SAMLAssertion: h.saml(granted(), { confirmationMethod: 'urn:oasis:names:tc:SAML:2.0:cm:holder-of-key' }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'not bearer',
      ],
      [
        'a role the assertion does not grant',
        async () => assume({ SAMLAssertion: h.saml([rolePair(DEV, 'saml-via-url')]) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'does not pair',
      ],
      ['an unknown role', async () => assume({ roleArn: roleArn(DEV, 'no-such-role') }), 404, 'EntityNotExist.RoleArn', undefined],
      [
        'an unknown provider',
        async () => assume({ SAMLProviderArn: samlProviderArn(PROD, 'nope') }),
        404,
        'EntityNotExist.SAMLProvider',
        undefined,
      ],
      ['a malformed RoleArn', async () => assume({ roleArn: 'acs:ram::123:role/x' }), 400, 'InvalidParameter.RoleArn', undefined],
      [
        'a role whose trust policy names another provider',
        async () => assume({ roleArn: roleArn(DEV, 'saml-via-url'), SAMLAssertion: h.saml([rolePair(DEV, 'saml-via-url')]) }),
        401,
        'AuthenticationFail.NoPermission',
        'does not admit',
      ],
      [
        'DurationSeconds below 900',
        async () => assume({ durationSeconds: 899 }),
        400,
        'InvalidParameter.DurationSeconds',
        'DurationSeconds 899',
      ],
      [
        'DurationSeconds above the role maximum',
        async () => assume({ durationSeconds: 14401 }),
        400,
        'InvalidParameter.DurationSeconds',
        'DurationSeconds 14401',
      ],
      [
        'a RoleSessionName longer than 32',
        async () => assume({ SAMLAssertion: h.saml(granted(), { roleSessionName: 'a'.repeat(33) }) }),
        400,
        'InvalidParameter.RoleSessionName',
        'RoleSessionName',
      ],
      [
        'a SessionDuration above 3,600',
        async () => assume({ SAMLAssertion: h.saml(granted(), { sessionDuration: '3601' }) }),
        401,
        'AuthenticationFail.SAMLAssertion.Invalid',
        'SessionDuration 3601',
      ],
      [
        'a policy over 2,048 characters',
        async () =>
          assume({
            policy: JSON.stringify({
              Version: '1',
              Statement: [{ Effect: 'Allow', Action: '*', Resource: `acs:oss:*:*:${'x'.repeat(2048)}` }],
            }),
          }),
        400,
        'InvalidParameter.PolicySize',
        undefined,
      ],
      [
        'a policy that is not policy grammar',
        async () => assume({ policy: '{"Version":"1","Statement":[{"Effect":"Maybe"}]}' }),
        400,
        'InvalidParameter.PolicyGrammar',
        'Invalid option',
      ],
      ['a missing SAMLAssertion', async () => assume({ SAMLAssertion: undefined }), 400, 'MissingParameter.SAMLAssertion', undefined],
      [
        'metadata that cannot be fetched',
        async () =>
          assume({
            roleArn: roleArn(DEV, 'saml-via-gone'),
            SAMLProviderArn: samlProviderArn(DEV, 'gone-idp'),
            SAMLAssertion: h.saml([rolePair(DEV, 'saml-via-gone', 'gone-idp')]),
          }),
        401,
        'AuthenticationFail.IDPMetadata.Invalid',
        'gone-idp',
      ],
    ];
    it.each(cases)('%s', async (_name, call, status, code, reason) => {
      const err = await sdkError(call());
      expect(err.code).toBe(code);
      expect(err.statusCode).toBe(status);
      expect(err.data).toEqual({
        RequestId: err.requestId,
        HostId: new URL(h.url).host,
        Code: code,
        Message: err.message,
        Recommend: expect.stringContaining(code),
      });
      if (reason) expect(h.lastReason()).toContain(reason);
    });

    it('an expired assertion, with the documented message', async () => {
      const assertion = h.saml([rolePair(DEV, 'saml-admin')], { validForSeconds: 60 });
      h.clock.advance(60_000);
      try {
        const err = await sdkError(assume({ SAMLAssertion: assertion }));
        expect([err.statusCode, err.code, err.message]).toEqual([
          401,
          'AuthenticationFail.SAMLAssertion.Expired',
          'The SAML Assertion is expired.',
        ]);
      } finally {
        h.clock.advance(-60_000);
      }
    });

    it('the same assertion twice', async () => {
      const assertion = h.saml([rolePair(DEV, 'saml-admin')]);
      await assume({ SAMLAssertion: assertion });
      expect((await sdkError(assume({ SAMLAssertion: assertion }))).code).toBe('AuthenticationFail.SAMLAssertion.Invalid');
    });
  });
});
