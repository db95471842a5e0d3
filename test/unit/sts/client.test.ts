import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BridgeError } from '../../../src/errors.js';
import { createStsClient, stsErrorDetail, type StsClient } from '../../../src/sts/index.js';

/**
 * The StsClient's transport behaviour against a scripted loopback STS: what it sends, when it
 * retries (throttling and 5xx only), and how failures become BridgeErrors.
 */

interface Scripted {
  status: number;
  body: Record<string, unknown>;
}

const CREDENTIALS_BODY = {
  RequestId: 'REQ-OK',
  Credentials: { AccessKeyId: 'STS.abc', AccessKeySecret: 'secret', SecurityToken: 'token', Expiration: '2026-01-01T01:00:00Z' },
  AssumedRoleUser: { Arn: 'acs:ram::1111222233334444:role/r/s', AssumedRoleId: '1:s' },
};
const stsError = (status: number, Code: string, RequestId = 'REQ-ERR') => ({
  status,
  body: { RequestId, HostId: 'sts.aliyuncs.com', Code, Message: `message for ${Code}`, Recommend: '' },
});

let server: Server;
let script: Scripted[] = [];
let seen: { url: string; body: string; headers: NodeJS.Dict<string | string[]> }[] = [];
let endpoint = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', body, headers: req.headers });
      const next = script.shift() ?? { status: 500, body: { Code: 'ScriptExhausted' } };
      res.writeHead(next.status, { 'content-type': 'application/json' }).end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  script = [];
  seen = [];
});

function client(sleeps: number[] = []): StsClient {
  return createStsClient({
    endpoint,
    protocol: 'http',
    retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
    retryDeps: { sleep: (ms) => Promise.resolve(void sleeps.push(ms)), random: () => 0.5 },
  });
}

const saml = (c: StsClient) =>
  c.assumeRoleWithSaml({
    roleArn: 'acs:ram::1111222233334444:role/r',
    samlProviderArn: 'acs:ram::1111222233334444:saml-provider/p',
    samlAssertion: 'PHNhbWxwOlJlc3BvbnNlLz4=',
  });

async function failure(call: Promise<unknown>): Promise<BridgeError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof BridgeError) return err;
    throw err;
  }
  throw new Error('expected a BridgeError');
}

describe('StsClient transport', () => {
  it('an STS that never answers: ERR_STS_TIMEOUT after the read timeout, one attempt only', async () => {
    let requests = 0;
    const blackHole = createServer(() => void requests++);
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const sleeps: number[] = [];
    try {
      const c = createStsClient({
        endpoint: `127.0.0.1:${(blackHole.address() as AddressInfo).port}`,
        protocol: 'http',
        readTimeoutMs: 200,
        retry: { maxAttempts: 3 },
        retryDeps: { sleep: (ms) => Promise.resolve(void sleeps.push(ms)), random: () => 0.5 },
      });
      const err = await failure(saml(c));
      expect(err).toMatchObject({ code: 'ERR_STS_TIMEOUT', status: 504, expose: true });
      expect(requests).toBe(1);
      expect(sleeps).toEqual([]);
    } finally {
      blackHole.closeAllConnections();
      blackHole.close();
    }
  });

  it('sends the assertion in the form body, never in the URL', async () => {
    script = [
      {
        status: 200,
        body: { ...CREDENTIALS_BODY, SAMLAssertionInfo: { SubjectType: 'persistent', Subject: 'a', Recipient: 'r', Issuer: 'i' } },
      },
    ];
    const result = await saml(client());
    expect(result.credentials.expiration).toEqual(new Date('2026-01-01T01:00:00Z'));
    expect(seen[0]!.url).toContain('Action=AssumeRoleWithSAML');
    expect(seen[0]!.url).not.toContain('SAMLAssertion');
    expect(new URLSearchParams(seen[0]!.body).get('SAMLAssertion')).toBe('PHNhbWxwOlJlc3BvbnNlLz4=');
  });

  it('retries throttling with jittered backoff, then succeeds', async () => {
    const sleeps: number[] = [];
    script = [stsError(400, 'Throttling.User'), stsError(400, 'Throttling.User'), { status: 200, body: CREDENTIALS_BODY }];
    await client(sleeps).assumeRole({
      caller: { accessKeyId: 'LTAIaaaaaaaaaaaaaaaa', accessKeySecret: 's' },
      roleArn: 'acs:ram::1111222233334444:role/r',
      roleSessionName: 'x',
    });
    expect(seen).toHaveLength(3);
    expect(sleeps).toEqual([50, 100]); // random 0.5 × min(1000, 100·2^(n-1))
  });

  it('retries a 5xx', async () => {
    script = [stsError(503, 'ServiceUnavailable'), { status: 200, body: { ...CREDENTIALS_BODY, SAMLAssertionInfo: {} } }];
    await saml(client());
    expect(seen).toHaveLength(2);
  });

  it('does not retry a 4xx refusal, and keeps its Code, Message and RequestId', async () => {
    script = [stsError(404, 'EntityNotExist.RoleArn', 'REQ-42')];
    const err = await failure(saml(client()));
    expect(seen).toHaveLength(1);
    expect(err.code).toBe('ERR_STS_INVALID_INPUT');
    expect(stsErrorDetail(err)).toEqual({
      action: 'AssumeRoleWithSAML',
      stsCode: 'EntityNotExist.RoleArn',
      stsMessage: 'message for EntityNotExist.RoleArn',
      requestId: 'REQ-42',
      httpStatus: 404,
    });
    expect(err.hint).toBe('Alibaba Cloud STS answered EntityNotExist.RoleArn (RequestId REQ-42).');
  });

  it('gives up after maxAttempts', async () => {
    script = [stsError(400, 'Throttling.User'), stsError(400, 'Throttling.User'), stsError(400, 'Throttling.User', 'REQ-LAST')];
    const err = await failure(saml(client()));
    expect(seen).toHaveLength(3);
    expect(err.code).toBe('ERR_STS_THROTTLED');
    expect(stsErrorDetail(err)?.requestId).toBe('REQ-LAST');
  });

  it.each([
    [401, 'AuthenticationFail.SAMLAssertion.Expired', 'ERR_STS_EXPIRED'],
    [400, 'InvalidSecurityToken.Expired', 'ERR_STS_EXPIRED'],
    [401, 'AuthenticationFail.SAMLAssertion.Invalid', 'ERR_STS_DENIED'],
    [403, 'NoPermission', 'ERR_STS_DENIED'],
    [400, 'InvalidParameter.DurationSeconds', 'ERR_STS_INVALID_INPUT'],
    [500, 'InternalError', 'ERR_STS_UNAVAILABLE'],
  ])('maps HTTP %i %s to %s', async (status, code, expected) => {
    script = [stsError(status, code), stsError(status, code), stsError(status, code)];
    expect((await failure(saml(client()))).code).toBe(expected);
  });

  const chained = (c: StsClient) =>
    c.assumeRole({
      caller: { accessKeyId: 'STS.intermediate', accessKeySecret: 'secret', securityToken: 'token' },
      roleArn: 'acs:ram::1111222233334444:role/target',
      roleSessionName: 'alice-12345678',
      durationSeconds: 900,
    });

  it.each([
    [400, 'InvalidTimeStamp.Expired'],
    [400, 'InvalidTimeStamp.Format'],
  ])(
    'a signed call refused for its timestamp (HTTP %i %s) is the bridge’s clock: ERR_STS_CLOCK_SKEW 502, never a denial',
    async (status, code) => {
      script = [stsError(status, code)];
      const err = await failure(chained(client()));
      expect(err).toMatchObject({ code: 'ERR_STS_CLOCK_SKEW', status: 502, expose: true });
      expect(err.hint).toBe(`Admin: synchronise this server's clock (NTP). Alibaba Cloud STS answered ${code} (RequestId REQ-ERR).`);
    },
  );

  it.each([
    [400, 'SignatureDoesNotMatch'],
    [400, 'SignatureNonceUsed'],
    [400, 'IncompleteSignature'],
    [404, 'InvalidAccessKeyId.NotFound'],
    [400, 'InvalidSecurityToken.Malformed'],
    [400, 'InvalidSecurityToken.MismatchWithAccessKey'],
    [400, 'MissingSecurityToken'],
  ])(
    'a fault in how the bridge signed a chained call (HTTP %i %s) is ERR_STS_UNAVAILABLE 502, not the user’s refusal',
    async (status, code) => {
      script = [stsError(status, code)];
      const err = await failure(chained(client()));
      expect(err).toMatchObject({ code: 'ERR_STS_UNAVAILABLE', status: 502 });
      expect(err.hint).toBe(`Alibaba Cloud STS answered ${code} (RequestId REQ-ERR).`);
      expect(seen).toHaveLength(1);
    },
  );

  it('maps an unreachable endpoint to ERR_STS_UNAVAILABLE without retrying', async () => {
    const sleeps: number[] = [];
    const unreachable = createStsClient({
      endpoint: '127.0.0.1:9',
      protocol: 'http',
      retryDeps: { sleep: (ms) => Promise.resolve(void sleeps.push(ms)), random: () => 0 },
    });
    const err = await failure(unreachable.getCallerIdentity({ accessKeyId: 'LTAIaaaaaaaaaaaaaaaa', accessKeySecret: 's' }));
    expect(err.code).toBe('ERR_STS_UNAVAILABLE');
    expect(sleeps).toEqual([]);
  });

  it('signs a call with STS credentials by V3: key, token and signature in headers, none in the URL', async () => {
    script = [{ status: 200, body: CREDENTIALS_BODY }];
    await client().assumeRole({
      caller: { accessKeyId: 'STS.CanaryKeyId', accessKeySecret: 'CanarySecret', securityToken: 'CanaryToken' },
      roleArn: 'acs:ram::1111222233334444:role/r',
      roleSessionName: 'x',
    });
    const { url, body, headers } = seen[0]!;
    expect(url).toBe('/');
    for (const secret of ['STS.CanaryKeyId', 'CanarySecret', 'CanaryToken', 'Signature']) expect(url + body).not.toContain(secret);
    expect(headers['x-acs-security-token']).toBe('CanaryToken');
    expect(headers.authorization).toMatch(/^ACS3-HMAC-SHA256 Credential=STS\.CanaryKeyId,SignedHeaders=[^,]*x-acs-security-token/);
    expect(new URLSearchParams(body).get('RoleArn')).toBe('acs:ram::1111222233334444:role/r');
  });

  it('keeps no URL query and no SDK error object from a transport failure', async () => {
    const unreachable = createStsClient({ endpoint: '127.0.0.1:9', protocol: 'http' });
    const err = await failure(saml(unreachable));
    expect(err.code).toBe('ERR_STS_UNAVAILABLE');
    expect(err.cause).toBeUndefined();
    expect(err.detail).toMatchObject({ action: 'AssumeRoleWithSAML', errorCode: 'ECONNREFUSED' });
    expect(JSON.stringify(err.detail)).not.toMatch(/SignatureNonce|Timestamp=/);
  });

  it('treats a 200 without credentials as a broken answer', async () => {
    script = [{ status: 200, body: { RequestId: 'x' } }];
    expect((await failure(saml(client()))).code).toBe('ERR_STS_UNAVAILABLE');
  });
});
