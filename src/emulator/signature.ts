import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request signatures of Alibaba Cloud OpenAPI, as pure functions.
 *
 * - RPC signature v1, HMAC-SHA1 (docs/alibaba-cloud-reference.md §3 "RPC signature v1"): what `@alicloud/credentials`
 *   sends, and what `@alicloud/sts20150401` sends with `signatureAlgorithm: 'v2'`.
 * - V3, ACS3-HMAC-SHA256 (docs/alibaba-cloud-reference.md §3 "V3 signature"): what `@alicloud/sts20150401` 1.2.0 sends
 *   for AssumeRole and GetCallerIdentity by default. The reference marks "STS accepts V3" as
 *   unconfirmed and says the SDK uses v1; the installed SDK contradicts that (its 1.2.0 client no
 *   longer sets `_signatureAlgorithm = "v2"`, so `callApi` takes the V3 path). An SDK Alibaba
 *   publishes as the current one signing a way STS refuses is implausible, so the emulator
 *   accepts both, each checked in full.
 */

/** RFC 3986 percent-encoding as Alibaba specifies it: unreserved `A-Z a-z 0-9 - _ . ~` only. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The v1 StringToSign: `METHOD&%2F&` + the encoded, sorted `k=v&…` of every parameter but Signature. */
export function rpcStringToSign(method: string, params: Readonly<Record<string, string>>): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canonical)}`;
}

/** v1 Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)). */
export function rpcSignature(method: string, params: Readonly<Record<string, string>>, secret: string): string {
  return createHmac('sha1', `${secret}&`).update(rpcStringToSign(method, params)).digest('base64');
}

export const ACS3_HMAC_SHA256 = 'ACS3-HMAC-SHA256';

export interface V3Request {
  method: string;
  path: string;
  query: Readonly<Record<string, string>>;
  /** Header values by lower-case name. */
  headers: Readonly<Record<string, string>>;
  /** Lower-case names the signature covers, as listed in the Authorization header. */
  signedHeaders: readonly string[];
  /** Hex SHA-256 of the body (`x-acs-content-sha256`). */
  payloadHash: string;
}

/** V3 Signature = hex(HMAC-SHA256(AccessKeySecret, "ACS3-HMAC-SHA256\n" + hex(SHA-256(CanonicalRequest)))). */
export function v3Signature(request: V3Request, secret: string): string {
  const query = Object.keys(request.query)
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(request.query[k]!)}`)
    .join('&');
  const signed = [...request.signedHeaders].sort();
  const headers = signed.map((h) => `${h}:${(request.headers[h] ?? '').trim()}\n`).join('');
  const canonicalRequest = [request.method.toUpperCase(), request.path, query, headers, signed.join(';'), request.payloadHash];
  const stringToSign = `${ACS3_HMAC_SHA256}\n${sha256Hex(canonicalRequest.join('\n'))}`;
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

/** The parts of `Authorization: ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`. */
export function parseV3Authorization(header: string): { accessKeyId: string; signedHeaders: string[]; signature: string } | undefined {
  const m = /^ACS3-HMAC-SHA256 Credential=([^,\s]+),SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/.exec(header.trim());
  return m ? { accessKeyId: m[1]!, signedHeaders: m[2]!.split(';'), signature: m[3]! } : undefined;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Constant-time string comparison, for signatures and secrets. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
