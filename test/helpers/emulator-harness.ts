import Sts from '@alicloud/sts20150401';
import * as OpenApi from '@alicloud/openapi-core';
import { ManualClock } from '../../src/clock.js';
import { createLogger } from '../../src/log.js';
import { validateEmulatorConfig, type EmulatorConfig } from '../../src/emulator/config.js';
import { startEmulator } from '../../src/emulator/server.js';
import { CLIENT_ID, startTestIssuer, type TestIssuer } from './emulator-test-idp.js';
import { SITE_INTL, base64, createTestIdp, mintSamlResponse, type MintOptions, type TestIdp } from './saml-mint-for-tests.js';

/**
 * An emulator on 127.0.0.1:0 with a test configuration, a test IdP (SAML key + OIDC issuer) and
 * official-SDK clients pointed at it. Integration tests talk to the emulator only through these.
 */

export const DEV = '1111222233334444';
export const PROD = '5555666677778888';
export const roleArn = (account: string, name: string) => `acs:ram::${account}:role/${name}`;
export const samlProviderArn = (account: string, name = 'test-idp') => `acs:ram::${account}:saml-provider/${name}`;
export const oidcProviderArn = (account: string, name = 'test-oidc') => `acs:ram::${account}:oidc-provider/${name}`;
/** `roleArn,providerArn`, one value of the SAML Role attribute. */
export const rolePair = (account: string, role: string, provider = 'test-idp') =>
  `${roleArn(account, role)},${samlProviderArn(account, provider)}`;

export const RAM_USER = {
  arn: `acs:ram::${DEV}:user/ci`,
  accessKeyId: 'LTAI5tTestUserKey00000001',
  accessKeySecret: 'test-user-secret-0123456789',
};

const ADMIN = { Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const READONLY = { Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:Describe*', 'oss:Get*', 'oss:List*'], Resource: '*' }] };

const samlTrust = (account: string, provider = 'test-idp') => ({
  Version: '1',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Federated: samlProviderArn(account, provider) },
      Condition: { StringEquals: { 'saml:recipient': SITE_INTL.recipient } },
    },
  ],
});

function testConfig(idp: TestIdp, issuer: TestIssuer): EmulatorConfig {
  const oidcTrust = {
    Version: '1',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Federated: oidcProviderArn(DEV) },
        Condition: { StringEquals: { 'oidc:iss': issuer.issuer, 'oidc:aud': CLIENT_ID }, StringLike: { 'oidc:sub': 'user-*' } },
      },
    ],
  };
  const result = validateEmulatorConfig({
    site: 'intl',
    allowInsecureLoopbackIssuers: true,
    accounts: [
      {
        id: DEV,
        alias: 'dev',
        users: [
          {
            name: 'ci',
            accessKeys: [{ id: RAM_USER.accessKeyId, secret: RAM_USER.accessKeySecret }],
            policies: [
              {
                name: 'assume',
                document: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'acs:ram::*:role/*' }] },
              },
            ],
          },
        ],
        samlProviders: [
          { name: 'test-idp', metadataXml: idp.metadataXml },
          { name: 'url-idp', metadataUrl: issuer.metadataUrl },
          { name: 'gone-idp', metadataUrl: 'http://127.0.0.1:9/saml/metadata' },
        ],
        oidcProviders: [
          { name: 'test-oidc', issuer: issuer.issuer, clientIds: [CLIENT_ID], issuanceLimitHours: 1 },
          { name: 'gone-oidc', issuer: 'http://127.0.0.1:9', clientIds: [CLIENT_ID], issuanceLimitHours: 1 },
        ],
        roles: [
          { name: 'saml-admin', maxSessionDuration: 14400, trustPolicy: samlTrust(DEV), policies: [{ name: 'admin', document: ADMIN }] },
          { name: 'saml-via-url', trustPolicy: samlTrust(DEV, 'url-idp'), policies: [{ name: 'readonly', document: READONLY }] },
          { name: 'saml-via-gone', trustPolicy: samlTrust(DEV, 'gone-idp') },
          { name: 'oidc-reader', maxSessionDuration: 43200, trustPolicy: oidcTrust, policies: [{ name: 'readonly', document: READONLY }] },
          {
            name: 'ci-target',
            trustPolicy: {
              Version: '1',
              Statement: [
                {
                  Effect: 'Allow',
                  Action: 'sts:AssumeRole',
                  Principal: { RAM: RAM_USER.arn },
                  Condition: { StringEquals: { 'sts:ExternalId': 'ci-external-id' } },
                },
              ],
            },
            policies: [
              { name: 'readonly', document: READONLY },
              { name: 'assume', document: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] } },
            ],
          },
          {
            name: 'chained',
            trustPolicy: {
              Version: '1',
              Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: roleArn(DEV, 'ci-target') } }],
            },
            policies: [{ name: 'readonly', document: READONLY }],
          },
        ],
      },
      {
        id: PROD,
        alias: 'prod',
        samlProviders: [{ name: 'test-idp', metadataXml: idp.metadataXml }],
        roles: [
          {
            name: 'prod-ops',
            trustPolicy: samlTrust(PROD),
            policies: [
              { name: 'ops', document: { Version: '1', Statement: [{ Effect: 'Allow', Action: ['ecs:*', 'oss:*'], Resource: '*' }] } },
            ],
          },
        ],
      },
    ],
  });
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.problems)}`);
  return result.config;
}

export type SdkClient = InstanceType<typeof Sts.default>;

export interface SdkCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

/**
 * An official STS SDK client for the emulator. By default it signs the way @alicloud/sts20150401
 * 1.2.0 does out of the box (V3, ACS3-HMAC-SHA256); `v1` selects RPC signature v1 (HMAC-SHA1).
 */
export function sdkClient(
  url: string,
  credentials?: SdkCredentials | { credential: unknown },
  options: { v1?: boolean; ca?: string } = {},
): SdkClient {
  return new Sts.default(
    new OpenApi.$OpenApiUtil.Config({
      endpoint: new URL(url).host,
      protocol: new URL(url).protocol.replace(':', ''),
      ca: options.ca,
      regionId: 'cn-hangzhou',
      ...(options.v1 ? { signatureAlgorithm: 'v2' } : {}),
      ...credentials,
    }),
  );
}

/** The error an SDK call rejected with, as the fields tests assert on. */
export async function sdkError(
  call: Promise<unknown>,
): Promise<{ code: string; statusCode: number; message: string; requestId: string; data: Record<string, unknown> }> {
  try {
    await call;
  } catch (err) {
    const e = err as { code: string; statusCode: number; data: Record<string, unknown>; requestId: string };
    return { code: e.code, statusCode: e.statusCode, message: String(e.data?.Message), requestId: e.requestId, data: e.data };
  }
  throw new Error('expected the SDK call to fail');
}

export interface Harness {
  url: string;
  clock: ManualClock;
  idp: TestIdp;
  issuer: TestIssuer;
  /** The log-only `reason` of the most recent refusal: why, not just which code. */
  lastReason(): string | undefined;
  /** A signed SAML Response for `roles`, base64, issued now on the emulator's clock. */
  saml(roles: string[], options?: Partial<MintOptions>): string;
  /** An ID token from the test issuer, issued now on the emulator's clock. */
  oidc(claims?: Record<string, unknown>, options?: { alg?: 'RS256' | 'ES256' | 'HS256'; forged?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** `tls` serves the emulator over HTTPS (for clients that only speak https). */
export async function startHarness(options: { tls?: { key: string; cert: string } } = {}): Promise<Harness> {
  const idp = await createTestIdp();
  const issuer = await startTestIssuer(idp);
  // The SDK stamps requests with the real time and the emulator accepts ±15 minutes. Starting the
  // emulator's clock 10 minutes behind leaves room to move it up to 25 minutes forward (to expire
  // credentials) while signed calls still fall inside the window.
  const clock = new ManualClock(Date.now() - 10 * 60_000);
  const lines: { reason?: string }[] = [];
  const logger = createLogger({ destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  const emulator = await startEmulator({ config: testConfig(idp, issuer), host: '127.0.0.1', port: 0, clock, logger, tls: options.tls });
  return {
    url: emulator.url,
    clock,
    idp,
    issuer,
    lastReason: () => lines.findLast((l) => l.reason !== undefined)?.reason,
    saml: (roles, options) => base64(mintSamlResponse(idp, { now: clock.now(), roles, ...options })),
    oidc: (claims = {}, options = {}) => issuer.mint(claims, { now: clock.now(), ...options }),
    close: async () => {
      await emulator.close();
      await issuer.close();
    },
  };
}
