import type { UserEntry } from './directory.js';
import * as errors from './errors.js';
import type { ActionContext, RpcRequest } from './rpc-types.js';
import { ACS3_HMAC_SHA256, parseV3Authorization, rpcSignature, safeEqual, sha256Hex, v3Signature } from './signature.js';
import type { StsCredential } from './state.js';

/**
 * Authenticating signed calls (AssumeRole, GetCallerIdentity): who is calling, proven by a v1
 * or V3 signature over the request with their AccessKeySecret.
 *
 * Order: timestamp window, key lookup, signature, nonce, then the SecurityToken. Nothing about a
 * key's session (its token, its expiry) is revealed to a caller who cannot sign with its secret,
 * and a nonce is recorded only once the signature proves the caller owns it.
 */

export type Caller = { kind: 'user'; user: UserEntry } | { kind: 'session'; credential: StsCredential };

/** Timestamps within this distance of now are accepted (docs/alibaba-cloud-reference.md §3: "within 15 minutes"). */
const TIMESTAMP_WINDOW_MS = 15 * 60_000;

interface SignedParts {
  accessKeyId: string;
  timestamp: string;
  nonce: string;
  securityToken?: string;
  /** Recomputes the signature with a candidate secret and compares it to the one sent. */
  matches(secret: string): boolean;
}

/** Who signed this request; throws the Alibaba error of the first check that fails. */
export function authenticate(ctx: ActionContext): Caller {
  const parts = ctx.request.headers.authorization ? v3Parts(ctx.request) : v1Parts(ctx.request);
  checkTimestamp(parts.timestamp, ctx.now);

  const sts = parts.accessKeyId.startsWith('STS.') ? ctx.state.credential(parts.accessKeyId) : undefined;
  const ram = sts ? undefined : ctx.directory.accessKey(parts.accessKeyId);
  const secret = sts?.accessKeySecret ?? ram?.secret;
  if (secret === undefined) throw errors.accessKeyNotFound(parts.accessKeyId);
  if (!parts.matches(secret)) throw errors.signatureDoesNotMatch();
  if (!ctx.state.rememberNonce(parts.accessKeyId, parts.nonce)) throw errors.signatureNonceUsed();

  if (sts) {
    checkSecurityToken(ctx, sts, parts.securityToken);
    return { kind: 'session', credential: sts };
  }
  // A token next to a long-term key is a client mix-up; refusing it beats ignoring it.
  if (parts.securityToken) throw errors.securityTokenMismatch('SecurityToken sent with a RAM user key');
  return { kind: 'user', user: ram!.user };
}

/** An STS key is good only with the token issued alongside it, and only until it expires. */
function checkSecurityToken(ctx: ActionContext, credential: StsCredential, securityToken: string | undefined): void {
  if (!securityToken) throw errors.missingSecurityToken();
  const owner = ctx.state.tokenOwner(securityToken);
  if (owner === undefined) throw errors.securityTokenMalformed();
  if (owner !== credential.accessKeyId) throw errors.securityTokenMismatch();
  if (credential.session.expiresAt <= ctx.now) throw errors.securityTokenExpired();
}

function v1Parts(req: RpcRequest): SignedParts {
  const p = req.params;
  for (const name of ['AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion', 'SignatureNonce', 'Timestamp']) {
    if (!p[name]) throw errors.missingParameter(name);
  }
  if (p.SignatureMethod !== 'HMAC-SHA1' || p.SignatureVersion !== '1.0') {
    throw errors.incompleteSignature(`SignatureMethod ${p.SignatureMethod} / SignatureVersion ${p.SignatureVersion}`);
  }
  return {
    accessKeyId: p.AccessKeyId!,
    timestamp: p.Timestamp!,
    nonce: p.SignatureNonce!,
    securityToken: p.SecurityToken,
    matches: (secret) => safeEqual(rpcSignature(req.method, p, secret), p.Signature!),
  };
}

/** Headers a V3 signature must cover for the request to mean what it says. */
const V3_REQUIRED_SIGNED = ['host', 'x-acs-action', 'x-acs-version', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256'];

function v3Parts(req: RpcRequest): SignedParts {
  const auth = parseV3Authorization(req.headers.authorization!);
  if (!auth) throw errors.incompleteSignature(`Authorization is not ${ACS3_HMAC_SHA256}`);
  const missing = V3_REQUIRED_SIGNED.filter((h) => !req.headers[h]);
  if (missing.length > 0) throw errors.incompleteSignature(`missing headers: ${missing.join(', ')}`);
  // Every x-acs-* header sent must be signed too, or a relay could slip in a SecurityToken; and
  // so must Content-Type when there is one (V3 canonical headers: host, content-type, x-acs-*),
  // or the same signed bytes could be re-read as another kind of body.
  const signed = new Set(auth.signedHeaders);
  const sent = Object.keys(req.headers).filter((h) => h.startsWith('x-acs-') || h === 'content-type');
  const mustSign = [...V3_REQUIRED_SIGNED, ...sent];
  const unsigned = mustSign.filter((h) => !signed.has(h));
  if (unsigned.length > 0) throw errors.incompleteSignature(`unsigned headers: ${unsigned.join(', ')}`);
  const keyHeader = req.headers['x-acs-accesskey-id'];
  if (keyHeader && keyHeader !== auth.accessKeyId) throw errors.incompleteSignature('x-acs-accesskey-id is not the Credential');
  const payloadHash = req.headers['x-acs-content-sha256']!;
  if (payloadHash !== sha256Hex(req.rawBody)) throw errors.signatureDoesNotMatch('x-acs-content-sha256 is not the body hash');
  const canonical = {
    method: req.method,
    path: req.path,
    query: req.query,
    headers: req.headers,
    signedHeaders: auth.signedHeaders,
    payloadHash,
  };
  return {
    accessKeyId: auth.accessKeyId,
    timestamp: req.headers['x-acs-date']!,
    nonce: req.headers['x-acs-signature-nonce']!,
    securityToken: req.headers['x-acs-security-token'],
    matches: (secret) => safeEqual(v3Signature(canonical, secret), auth.signature),
  };
}

function checkTimestamp(timestamp: string, now: number): void {
  const ms = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(ms)) throw errors.timestampMalformed(timestamp);
  if (Math.abs(now - ms) > TIMESTAMP_WINDOW_MS) throw errors.timestampExpired(`${timestamp} is more than 15 minutes from now`);
}
