import * as OpenApi from '@alicloud/openapi-core';
import {
  parseV3Authorization,
  percentEncode,
  rpcSignature,
  rpcStringToSign,
  sha256Hex,
  v3Signature,
} from '../../../src/emulator/signature.js';

describe('RPC signature v1 (HMAC-SHA1)', () => {
  it('reproduces the documented test vector', () => {
    // Reference §3 "Test vector", from Alibaba's "Signature mechanism" page.
    const params = {
      AccessKeyId: 'testid',
      Action: 'CreateUser',
      Format: 'JSON',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '6a6e0ca6-4557-11e5-86a2-b8e8563dc8d2',
      SignatureVersion: '1.0',
      Timestamp: '2015-08-18T03:15:45Z',
      UserName: 'test',
      Version: '2015-05-01',
    };
    expect(rpcSignature('GET', params, 'testsecret')).toBe('kRA2cnpJVacIhDMzXnoNZG9tDCI=');
    expect(rpcSignature('GET', { ...params, Signature: 'ignored' }, 'testsecret')).toBe('kRA2cnpJVacIhDMzXnoNZG9tDCI=');
  });

  it('percent-encodes as RFC 3986 with the documented exceptions', () => {
    expect(percentEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
    expect(rpcStringToSign('post', { B: '2', A: '/' })).toBe('POST&%2F&A%3D%252F%26B%3D2');
  });

  it('agrees with the SDK signer on a parameter full of reserved characters', () => {
    const params = {
      Action: 'AssumeRole',
      Policy: '{"Statement":[{"Action":"*"}]}',
      RoleSessionName: 'a.b@c-d_e',
      Timestamp: '2026-01-01T00:00:00Z',
    };
    expect(rpcSignature('POST', params, 'secret')).toBe(OpenApi.OpenApiUtil.getRPCSignature(params, 'POST', 'secret'));
  });
});

describe('V3 signature (ACS3-HMAC-SHA256)', () => {
  it('agrees with the SDK signer', () => {
    const body = 'RoleArn=acs%3Aram%3A%3A1%3Arole%2Fa';
    const headers: Record<string, string> = {
      host: '127.0.0.1:9090',
      'x-acs-action': 'AssumeRole',
      'x-acs-version': '2015-04-01',
      'x-acs-date': '2026-01-01T00:00:00Z',
      'x-acs-signature-nonce': 'n-1',
      'x-acs-content-sha256': sha256Hex(body),
      'content-type': 'application/x-www-form-urlencoded',
      'user-agent': 'not signed',
    };
    const query = { RoleSessionName: 'alice cli*', DurationSeconds: '3600' };
    const request = { method: 'POST', pathname: '/', query, headers } as unknown as Parameters<
      typeof OpenApi.OpenApiUtil.getAuthorization
    >[0];
    const authorization = OpenApi.OpenApiUtil.getAuthorization(request, 'ACS3-HMAC-SHA256', sha256Hex(body), 'LTAIexample', 'secret');
    const parsed = parseV3Authorization(authorization)!;
    expect(parsed.accessKeyId).toBe('LTAIexample');
    expect(parsed.signedHeaders).not.toContain('user-agent');
    const ours = v3Signature(
      { method: 'POST', path: '/', query, headers, signedHeaders: parsed.signedHeaders, payloadHash: sha256Hex(body) },
      'secret',
    );
    expect(ours).toBe(parsed.signature);
    expect(
      v3Signature(
        {
          method: 'POST',
          path: '/',
          query: { ...query, DurationSeconds: '43200' },
          headers,
          signedHeaders: parsed.signedHeaders,
          payloadHash: sha256Hex(body),
        },
        'secret',
      ),
    ).not.toBe(parsed.signature);
  });

  it('parses only well-formed Authorization headers', () => {
    expect(parseV3Authorization('ACS3-HMAC-SM3 Credential=a,SignedHeaders=host,Signature=00')).toBeUndefined();
    expect(parseV3Authorization(`ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host;x-acs-date,Signature=${'ab'.repeat(32)}`)).toEqual({
      accessKeyId: 'a',
      signedHeaders: ['host', 'x-acs-date'],
      signature: 'ab'.repeat(32),
    });
  });
});
