import type { AlibabaCloudError } from '@alicloud/openapi-core';
import { BridgeError, type ErrorCode, sentence, type Sentence } from '../errors.js';
import { openApiSdk } from './sdk.js';

/**
 * Turning whatever the STS SDK throws into a BridgeError with a stable code. STS's own Code,
 * Message and RequestId stay in `detail` (log-only); the code and request id — safe, and what
 * Alibaba support asks for — also go into `hint` so the admin page can show them.
 */

/** What STS said, as kept on the BridgeError's detail. */
export interface StsErrorDetail {
  action: string;
  stsCode: string;
  stsMessage: string;
  requestId: string | undefined;
  httpStatus: number | undefined;
}

/** First match wins; anything unmatched is DENIED below 500 and UNAVAILABLE from 500. */
const RULES: [RegExp, ErrorCode][] = [
  [/^Throttling/, 'ERR_STS_THROTTLED'],
  // A signed call's Timestamp off by more than STS allows: the bridge's clock, not the user's role.
  [/^InvalidTimeStamp(\.|$)/, 'ERR_STS_CLOCK_SKEW'],
  // How the bridge signed a chained call (its intermediate credentials), not a refusal of the user.
  [/^(SignatureDoesNotMatch|SignatureNonceUsed|IncompleteSignature|InvalidAccessKeyId|MissingSecurityToken)(\.|$)/, 'ERR_STS_UNAVAILABLE'],
  [/^InvalidSecurityToken\.(Malformed|MismatchWithAccessKey)$/, 'ERR_STS_UNAVAILABLE'],
  [/^(InvalidSecurityToken|AuthenticationFail\.SAMLAssertion|AuthenticationFail\.OIDCToken)\.Expired$/, 'ERR_STS_EXPIRED'],
  [/^(MissingParameter|InvalidParameter|EntityNotExist|InvalidAction|InvalidVersion)(\.|$)/, 'ERR_STS_INVALID_INPUT'],
];

const USER_MESSAGES: Partial<Record<ErrorCode, Sentence>> = {
  ERR_STS_CLOCK_SKEW: sentence('err.ERR_STS_CLOCK_SKEW'),
  ERR_STS_DENIED: sentence('err.ERR_STS_DENIED'),
  ERR_STS_EXPIRED: sentence('err.ERR_STS_EXPIRED'),
  ERR_STS_INVALID_INPUT: sentence('err.ERR_STS_INVALID_INPUT'),
  ERR_STS_THROTTLED: sentence('err.ERR_STS_THROTTLED'),
  ERR_STS_TIMEOUT: sentence('err.ERR_STS_TIMEOUT'),
  ERR_STS_UNAVAILABLE: sentence('err.ERR_STS_UNAVAILABLE'),
};

/**
 * Whether a failure is worth retrying: STS throttling, or a 5xx from STS. Transport failures are
 * not: after a timeout STS may have acted on the call (a SAML assertion is then spent), and the
 * user on the page has already waited the whole timeout, which bounds the time to the error.
 */
export function isRetryableStsError(err: unknown): boolean {
  return isSdkError(err) && (/^Throttling/.test(err.code) || (err.statusCode ?? 0) >= 500);
}

/** An error STS answered, as the SDK reports it (only the SDK throws these, so it is loaded by then). */
function isSdkError(err: unknown): err is AlibabaCloudError {
  return err instanceof openApiSdk().AlibabaCloudError;
}

/** httpx (the SDK's transport) names both its connect and its read timeout `RequestTimeoutError`. */
function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'RequestTimeoutError' || /^(ReadTimeout|ConnectTimeout)\b/.test(err.message));
}

/** The BridgeError for a failed STS call: mapped by STS Code first, HTTP status second. */
export function toStsBridgeError(err: unknown, action: string): BridgeError {
  if (err instanceof BridgeError) return err;
  if (!isSdkError(err)) {
    // Connection refused, timeouts, a proxy's HTML error page: STS never answered as STS. The
    // SDK appends the full request URL to transport errors, so neither the error nor its message
    // is kept: only its code and a message without query strings reach `detail` (and the log).
    const code = isTimeout(err) ? 'ERR_STS_TIMEOUT' : 'ERR_STS_UNAVAILABLE';
    return new BridgeError(code, { userMessage: USER_MESSAGES[code], detail: { action, ...transportFailure(err) } });
  }
  const status = err.statusCode;
  const data = (err as { data?: Record<string, unknown> }).data ?? {};
  const detail: StsErrorDetail = {
    action,
    stsCode: err.code,
    stsMessage: withoutQueryStrings(typeof data.Message === 'string' ? data.Message : err.message),
    requestId: err.requestId && err.requestId !== 'undefined' ? err.requestId : undefined,
    httpStatus: status,
  };
  const fallback: ErrorCode = (status ?? 500) >= 500 ? 'ERR_STS_UNAVAILABLE' : 'ERR_STS_DENIED';
  const code = RULES.find(([pattern]) => pattern.test(err.code))?.[1] ?? fallback;
  return new BridgeError(code, {
    userMessage: USER_MESSAGES[code],
    hint: stsHint(code === 'ERR_STS_CLOCK_SKEW', detail),
    // No `cause`: the SDK error carries the request it answered; `detail` has all that is safe.
    detail: { ...detail },
  });
}

/** What STS answered, for the admin: its code and request id, after the clock's fix when STS refused the timestamp. */
function stsHint(clockSkew: boolean, { stsCode, requestId }: StsErrorDetail): Sentence {
  if (clockSkew) return requestId ? sentence('hint.stsClockRequestId', { stsCode, requestId }) : sentence('hint.stsClock', { stsCode });
  return requestId ? sentence('hint.stsRequestId', { stsCode, requestId }) : sentence('hint.sts', { stsCode });
}

/** What may be logged of an error STS never answered: its code (ECONNREFUSED…) and a URL-free message. */
function transportFailure(err: unknown): { error: string; errorCode?: string } {
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return { error: withoutQueryStrings(message), ...(typeof code === 'string' ? { errorCode: code } : {}) };
}

/**
 * Text with every URL's query string (and fragment) replaced: on a v1-signed call the query holds
 * the AccessKeyId, SecurityToken and Signature, and the SDK quotes the URL in its errors.
 */
export function withoutQueryStrings(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#]*)[?#]\S*/gi, '$1?[redacted]');
}

/** The STS specifics of a BridgeError from the STS client, for the admin view; undefined otherwise. */
export function stsErrorDetail(err: BridgeError): StsErrorDetail | undefined {
  const d = err.detail;
  return d && typeof d.stsCode === 'string' && typeof d.action === 'string' ? (d as unknown as StsErrorDetail) : undefined;
}
