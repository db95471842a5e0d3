import { DEFAULTS } from '../config/defaults.js';
import { BridgeError } from '../errors.js';
import { resolveStsEndpoint, type StsEndpointOptions } from './endpoint.js';
import { isRetryableStsError, toStsBridgeError } from './errors.js';
import { DEFAULT_RETRY, realRetryDeps, withRetry, type RetryDeps, type RetryPolicy } from './retry.js';
import { openApiSdk, stsSdk, type OpenApiSdk } from './sdk.js';
import type {
  AssumeRoleInput,
  AssumeRoleResult,
  AssumeRoleWithOidcInput,
  AssumeRoleWithOidcResult,
  AssumeRoleWithSamlInput,
  AssumeRoleWithSamlResult,
  CallerCredentials,
  CallerIdentity,
  StsClient,
} from './types.js';

export interface StsClientOptions extends StsEndpointOptions {
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Sleep and randomness of the retry backoff; injected so tests need no real waiting. */
  retryDeps?: RetryDeps;
}

type SdkClient = InstanceType<ReturnType<typeof stsSdk>['default']>;
type RuntimeOptions = Parameters<SdkClient['doRPCRequest']>[7];
type Body = Record<string, unknown>;
type Params = Record<string, string | number | undefined>;

const VERSION = '2015-04-01';

/**
 * The StsClient on the official SDK (`@alicloud/sts20150401` and its `@alicloud/openapi-core`
 * transport and signer).
 *
 * Every action puts its parameters in a form body rather than going through the generated
 * `assumeRoleWithSAML()`-style methods, which put every parameter in the URL query, SAMLAssertion
 * and OIDCToken included. Those are bearer credentials and must not sit in URLs, where proxies
 * and access logs keep them (docs/security-reference.md §5). STS takes them from a form body too: the old docs ask
 * for POST because assertions are large, and @alicloud/credentials sends its OIDC calls that way.
 *
 * How a call is signed decides where the caller's own credentials travel:
 * - anonymous calls (AssumeRoleWithSAML/OIDC) go through `doRPCRequest`: nothing to sign, and the
 *   query holds only Action, Version, Timestamp and a nonce.
 * - signed calls (AssumeRole, GetCallerIdentity — the chained path, where the caller is a live
 *   STS session) go through `doRequest`, the V3 signature `ACS3-HMAC-SHA256`: the AccessKeyId
 *   and SecurityToken ride in `x-acs-*` headers and the signature in `Authorization`. RPC v1
 *   would put all three in the query string, and a URL is what every transport error message,
 *   proxy and access log repeats. V3 is what the SDK's own generated STS methods sign with.
 */
export function createStsClient(options: StsClientOptions = {}): StsClient {
  const { endpoint, protocol } = resolveStsEndpoint(options);
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  const retryDeps = options.retryDeps ?? realRetryDeps;

  const sdk = (caller?: CallerCredentials): SdkClient =>
    new (stsSdk().default)(
      new (openApiSdk().$OpenApiUtil.Config)({
        endpoint,
        protocol,
        connectTimeout: options.connectTimeoutMs ?? DEFAULTS.alibaba.stsConnectTimeoutMs,
        readTimeout: options.readTimeoutMs ?? DEFAULTS.alibaba.stsReadTimeoutMs,
        userAgent: 'rambridge',
        // Pinned rather than left to the SDK's default: the credentials must stay in headers.
        ...(caller ? { ...caller, signatureAlgorithm: 'ACS3-HMAC-SHA256' } : {}),
      }),
    );
  let anonymous: SdkClient | undefined; // built by the first anonymous call, which loads the SDK

  /** One STS call: parameters in the form body, signed when there is a caller, retried when worth it. */
  async function call(action: string, params: Params, caller?: CallerCredentials): Promise<Body> {
    const body = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    const request = new (openApiSdk().$OpenApiUtil.OpenApiRequest)({ body });
    // Runtime options only override the Config; there is nothing to override per call.
    const runtime = {} as RuntimeOptions;
    const signer = caller && sdk(caller);
    const send = signer
      ? () => signer.doRequest(signedCall(action), request, runtime)
      : () => (anonymous ??= sdk()).doRPCRequest(action, VERSION, 'HTTPS', 'POST', 'Anonymous', 'json', request, runtime);
    try {
      const response = await withRetry(send, isRetryableStsError, policy, retryDeps);
      return object(response.body, 'response body');
    } catch (err) {
      throw toStsBridgeError(err, action);
    }
  }

  return {
    async assumeRoleWithSaml(input: AssumeRoleWithSamlInput): Promise<AssumeRoleWithSamlResult> {
      const body = await call('AssumeRoleWithSAML', {
        RoleArn: input.roleArn,
        SAMLProviderArn: input.samlProviderArn,
        SAMLAssertion: input.samlAssertion,
        DurationSeconds: input.durationSeconds,
        Policy: input.policy,
      });
      const info = object(body.SAMLAssertionInfo, 'SAMLAssertionInfo');
      return {
        ...assumeRoleResult(body, 'AssumeRoleWithSAML'),
        samlAssertionInfo: {
          subjectType: text(info.SubjectType),
          subject: text(info.Subject),
          recipient: text(info.Recipient),
          issuer: text(info.Issuer),
        },
      };
    },

    async assumeRoleWithOidc(input: AssumeRoleWithOidcInput): Promise<AssumeRoleWithOidcResult> {
      const body = await call('AssumeRoleWithOIDC', {
        RoleArn: input.roleArn,
        OIDCProviderArn: input.oidcProviderArn,
        OIDCToken: input.oidcToken,
        RoleSessionName: input.roleSessionName,
        DurationSeconds: input.durationSeconds,
        Policy: input.policy,
      });
      const info = object(body.OIDCTokenInfo, 'OIDCTokenInfo');
      return {
        ...assumeRoleResult(body, 'AssumeRoleWithOIDC'),
        oidcTokenInfo: {
          issuer: text(info.Issuer),
          subject: text(info.Subject),
          clientIds: text(info.ClientIds).split(',').filter(Boolean),
          issuanceTime: optionalDate(info.IssuanceTime),
          expirationTime: optionalDate(info.ExpirationTime),
        },
      };
    },

    async assumeRole(input: AssumeRoleInput): Promise<AssumeRoleResult> {
      const body = await call(
        'AssumeRole',
        {
          RoleArn: input.roleArn,
          RoleSessionName: input.roleSessionName,
          DurationSeconds: input.durationSeconds,
          Policy: input.policy,
          ExternalId: input.externalId,
        },
        input.caller,
      );
      return assumeRoleResult(body, 'AssumeRole');
    },

    async getCallerIdentity(caller: CallerCredentials): Promise<CallerIdentity> {
      const body = await call('GetCallerIdentity', {}, caller);
      return {
        accountId: required(body.AccountId, 'GetCallerIdentity', 'AccountId'),
        arn: required(body.Arn, 'GetCallerIdentity', 'Arn'),
        identityType: text(body.IdentityType),
        principalId: text(body.PrincipalId),
        userId: optionalText(body.UserId),
        roleId: optionalText(body.RoleId),
        requestId: text(body.RequestId),
      };
    },
  };
}

/** A V3-signed RPC call: the credentials in headers, the parameters in a form body, JSON back. */
function signedCall(action: string): InstanceType<OpenApiSdk['$OpenApiUtil']['Params']> {
  return new (openApiSdk().$OpenApiUtil.Params)({
    action,
    version: VERSION,
    protocol: 'HTTPS',
    pathname: '/',
    method: 'POST',
    authType: 'AK',
    style: 'RPC',
    reqBodyType: 'formData',
    bodyType: 'json',
  });
}

function assumeRoleResult(body: Body, action: string): AssumeRoleResult {
  const credentials = object(body.Credentials, 'Credentials');
  const user = object(body.AssumedRoleUser, 'AssumedRoleUser');
  const expiration = new Date(required(credentials.Expiration, action, 'Expiration'));
  if (Number.isNaN(expiration.getTime())) throw malformed(action, 'Expiration');
  return {
    credentials: {
      accessKeyId: required(credentials.AccessKeyId, action, 'AccessKeyId'),
      accessKeySecret: required(credentials.AccessKeySecret, action, 'AccessKeySecret'),
      securityToken: required(credentials.SecurityToken, action, 'SecurityToken'),
      expiration,
    },
    assumedRoleUser: { arn: text(user.Arn), assumedRoleId: text(user.AssumedRoleId) },
    requestId: text(body.RequestId),
  };
}

function malformed(action: string, field: string): BridgeError {
  return new BridgeError('ERR_STS_UNAVAILABLE', { detail: { action, malformed: field } });
}

function object(value: unknown, what: string): Body {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Body;
  throw malformed('STS', what);
}

function required(value: unknown, action: string, field: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw malformed(action, field);
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const optionalText = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const optionalDate = (value: unknown): Date | undefined => {
  const d = typeof value === 'string' ? new Date(value) : undefined;
  return d && !Number.isNaN(d.getTime()) ? d : undefined;
};
