import { gzipSync } from 'node:zlib';
import { jest } from '@jest/globals';
import * as $Sts from '@alicloud/sts20150401';
import * as OpenApi from '@alicloud/openapi-core';
import {
  DEV,
  RAM_USER,
  roleArn,
  rolePair,
  samlProviderArn,
  sdkClient,
  sdkError,
  startHarness,
  type Harness,
  type SdkCredentials,
} from '../../helpers/emulator-harness.js';
import { sha256Hex, v3Signature } from '../../../src/emulator/signature.js';

/**
 * The signed actions through the official SDK: AssumeRole (RAM user keys, role chaining,
 * ExternalId) and GetCallerIdentity, with the V3 signature the SDK uses by default and the v1
 * signature it uses with `signatureAlgorithm: 'v2'`; and every refusal of a signed call.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
afterEach(() => jest.restoreAllMocks());

const TARGET = roleArn(DEV, 'ci-target');
const asUser: SdkCredentials = { accessKeyId: RAM_USER.accessKeyId, accessKeySecret: RAM_USER.accessKeySecret };

function assumeRole(credentials: SdkCredentials, overrides: Partial<$Sts.AssumeRoleRequest> = {}, v1 = false) {
  return sdkClient(h.url, credentials, { v1 }).assumeRole(
    new $Sts.AssumeRoleRequest({ roleArn: TARGET, roleSessionName: 'ci-job-42', externalId: 'ci-external-id', ...overrides }),
  );
}

const asSession = (c: $Sts.AssumeRoleResponseBodyCredentials): SdkCredentials => ({
  accessKeyId: c.accessKeyId!,
  accessKeySecret: c.accessKeySecret!,
  securityToken: c.securityToken!,
});

describe('AssumeRole and GetCallerIdentity', () => {
  it.each([false, true])('a RAM user assumes a role that trusts it (v1 signature: %s)', async (v1) => {
    const body = (await assumeRole(asUser, {}, v1)).body!;
    expect(body.credentials!.accessKeyId).toMatch(/^STS\./);
    expect(body.assumedRoleUser!.arn).toBe(`acs:ram::${DEV}:role/ci-target/ci-job-42`);
  });

  it('GetCallerIdentity names the RAM user behind a long-term key', async () => {
    const who = (await sdkClient(h.url, asUser).getCallerIdentity()).body!;
    expect(who).toMatchObject({ accountId: DEV, arn: RAM_USER.arn, identityType: 'RAMUser' });
    expect(who.userId).toMatch(/^\d{17}$/);
    expect(who.principalId).toBe(who.userId);
  });

  it('chains: STS credentials assume a role that trusts the first role', async () => {
    const first = (await assumeRole(asUser)).body!.credentials!;
    const second = (
      await sdkClient(h.url, asSession(first)).assumeRole(
        new $Sts.AssumeRoleRequest({ roleArn: roleArn(DEV, 'chained'), roleSessionName: 'hop-2' }),
      )
    ).body!;
    const who = (await sdkClient(h.url, asSession(second.credentials!)).getCallerIdentity()).body!;
    expect(who.arn).toBe(`acs:ram::${DEV}:assumed-role/chained/hop-2`);
  });

  describe('refuses', () => {
    it('a missing or wrong ExternalId', async () => {
      for (const externalId of [undefined, 'wrong-external-id']) {
        const err = await sdkError(assumeRole(asUser, { externalId }));
        expect([err.statusCode, err.code]).toEqual([403, 'NoPermission']);
        expect(h.lastReason()).toContain('does not name the caller');
      }
    });

    it('a chained session longer than one hour', async () => {
      const first = (await assumeRole(asUser)).body!.credentials!;
      const err = await sdkError(
        sdkClient(h.url, asSession(first)).assumeRole(
          new $Sts.AssumeRoleRequest({ roleArn: roleArn(DEV, 'chained'), roleSessionName: 'hop-2', durationSeconds: 3601 }),
        ),
      );
      expect([err.statusCode, err.code]).toEqual([400, 'InvalidParameter.DurationSeconds']);
    });

    it('a caller whose own policies do not allow sts:AssumeRole', async () => {
      const samlSession = (
        await sdkClient(h.url).assumeRoleWithSAML(
          new $Sts.AssumeRoleWithSAMLRequest({
            roleArn: roleArn(DEV, 'saml-via-url'),
            SAMLProviderArn: samlProviderArn(DEV, 'url-idp'),
            SAMLAssertion: h.saml([rolePair(DEV, 'saml-via-url', 'url-idp')]),
          }),
        )
      ).body!.credentials!;
      const err = await sdkError(assumeRole(asSession(samlSession), { roleArn: roleArn(DEV, 'chained') }));
      expect([err.statusCode, err.code, err.message]).toEqual([
        403,
        'NoPermission',
        'You are not authorized to do this action. You should be authorized by RAM.',
      ]);
      expect(h.lastReason()).toContain('may not sts:AssumeRole');
    });

    it('an unknown role and a bad RoleSessionName', async () => {
      expect((await sdkError(assumeRole(asUser, { roleArn: roleArn(DEV, 'nope') }))).code).toBe('EntityNotExist.Role');
      expect((await sdkError(assumeRole(asUser, { roleSessionName: 'x' }))).code).toBe('InvalidParameter.RoleSessionName');
      // `=,+` are the SAML attribute's characters, not the AssumeRole parameter's.
      for (const name of ['a+b@corp.example', 'a=b', 'a,b']) {
        expect((await sdkError(assumeRole(asUser, { roleSessionName: name }))).code).toBe('InvalidParameter.RoleSessionName');
      }
    });

    it.each([false, true])('a replayed SignatureNonce (v1 signature: %s)', async (v1) => {
      const nonce = `fixed-nonce-${v1}`;
      jest.spyOn(OpenApi.OpenApiUtil, 'getNonce').mockReturnValue(nonce);
      await sdkClient(h.url, asUser, { v1 }).getCallerIdentity();
      const err = await sdkError(sdkClient(h.url, asUser, { v1 }).getCallerIdentity());
      expect([err.statusCode, err.code]).toEqual([400, 'SignatureNonceUsed']);
    });

    it.each([false, true])('a wrong secret and an unknown AccessKeyId (v1 signature: %s)', async (v1) => {
      const wrongSecret = await sdkError(
        sdkClient(h.url, { ...asUser, accessKeySecret: 'not-the-secret-at-all' }, { v1 }).getCallerIdentity(),
      );
      expect([wrongSecret.statusCode, wrongSecret.code]).toEqual([400, 'SignatureDoesNotMatch']);
      const unknown = await sdkError(sdkClient(h.url, { ...asUser, accessKeyId: 'LTAI5tNobodyHasThisKey00' }, { v1 }).getCallerIdentity());
      expect([unknown.statusCode, unknown.code]).toEqual([404, 'InvalidAccessKeyId.NotFound']);
    });

    it.each([false, true])('a tampered or foreign SecurityToken (v1 signature: %s)', async (v1) => {
      const mine = asSession((await assumeRole(asUser)).body!.credentials!);
      const other = asSession((await assumeRole(asUser)).body!.credentials!);
      const tampered = `${mine.securityToken!.slice(0, -4)}AAAA`;
      const malformed = await sdkError(sdkClient(h.url, { ...mine, securityToken: tampered }, { v1 }).getCallerIdentity());
      expect([malformed.statusCode, malformed.code]).toEqual([400, 'InvalidSecurityToken.Malformed']);
      const foreign = await sdkError(sdkClient(h.url, { ...mine, securityToken: other.securityToken }, { v1 }).getCallerIdentity());
      expect([foreign.statusCode, foreign.code]).toEqual([400, 'InvalidSecurityToken.MismatchWithAccessKey']);
      const none = await sdkError(
        sdkClient(h.url, { accessKeyId: mine.accessKeyId, accessKeySecret: mine.accessKeySecret }, { v1 }).getCallerIdentity(),
      );
      expect([none.statusCode, none.code]).toEqual([400, 'MissingSecurityToken']);
    });

    it('a V3 signature that leaves Content-Type unsigned', async () => {
      const body = `RoleArn=${encodeURIComponent(TARGET)}&RoleSessionName=ci&ExternalId=ci-external-id`;
      const headers: Record<string, string> = {
        host: new URL(h.url).host,
        'content-type': 'application/x-www-form-urlencoded',
        'x-acs-action': 'AssumeRole',
        'x-acs-version': '2015-04-01',
        'x-acs-date': OpenApi.OpenApiUtil.getTimestamp(),
        'x-acs-signature-nonce': 'unsigned-content-type',
        'x-acs-content-sha256': sha256Hex(body),
      };
      const signedHeaders = Object.keys(headers)
        .filter((name) => name !== 'content-type')
        .sort();
      const payloadHash = headers['x-acs-content-sha256']!;
      const signature = v3Signature({ method: 'POST', path: '/', query: {}, headers, signedHeaders, payloadHash }, asUser.accessKeySecret);
      const authorization = `ACS3-HMAC-SHA256 Credential=${asUser.accessKeyId},SignedHeaders=${signedHeaders.join(';')},Signature=${signature}`;
      const res = await fetch(`${h.url}/`, { method: 'POST', headers: { ...headers, authorization }, body });
      expect([res.status, ((await res.json()) as { Code: string }).Code]).toEqual([400, 'IncompleteSignature']);
      expect(h.lastReason()).toContain('content-type');
    });

    it.each(['gzip', 'deflate', 'br'])(
      'a body with Content-Encoding %s (corrupt or not): InvalidRequest 400, not a 500',
      async (encoding) => {
        for (const body of ['not compressed at all', gzipSync('Action=GetCallerIdentity')]) {
          const res = await fetch(`${h.url}/`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': encoding },
            body,
          });
          expect([res.status, ((await res.json()) as { Code: string }).Code]).toEqual([400, 'InvalidRequest']);
        }
      },
    );

    it('expired STS credentials', async () => {
      const creds = asSession((await assumeRole(asUser, { durationSeconds: 900 })).body!.credentials!);
      h.clock.advance(900_000);
      try {
        for (const v1 of [false, true]) {
          const err = await sdkError(sdkClient(h.url, creds, { v1 }).getCallerIdentity());
          expect([err.statusCode, err.code, err.message]).toEqual([
            400,
            'InvalidSecurityToken.Expired',
            'Specified SecurityToken is expired.',
          ]);
        }
      } finally {
        h.clock.advance(-900_000);
      }
    });

    it('a Timestamp more than 15 minutes away', async () => {
      h.clock.advance(26 * 60_000);
      try {
        const err = await sdkError(sdkClient(h.url, asUser).getCallerIdentity());
        expect([err.statusCode, err.code]).toEqual([400, 'InvalidTimeStamp.Expired']);
      } finally {
        h.clock.advance(-26 * 60_000);
      }
    });
  });
});
