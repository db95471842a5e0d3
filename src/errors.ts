/**
 * One error type for everything the bridge refuses or fails at.
 *
 * Callers switch on `code` (a stable string-literal union), never on message text. What a user is
 * allowed to see is decided here, once: `userMessage` and `hint` are safe, fixed sentences, named by
 * key from the catalogue in src/error-messages/ (`sentence(key, values)`); `detail` carries the
 * specifics (attacker-controlled values, library messages) and goes to the log only.
 */

import { english, sentence, sentencesEn, type Sentence, type SentenceKey } from './error-messages/index.js';

export { sentence, type Sentence } from './error-messages/index.js';

/** Every stable error code, with the HTTP status it maps to. */
export const ERROR_STATUS = {
  // configuration
  ERR_CONFIG_INVALID: 500,
  // request shape and web layer
  ERR_BAD_REQUEST: 400,
  /** A request body sent compressed (Content-Encoding): no client of the bridge does that. */
  ERR_BODY_ENCODING: 400,
  /** A request body over its parser's limit (64 KiB; the SAML ACS has its own code and limit). */
  ERR_BODY_TOO_LARGE: 413,
  ERR_NOT_FOUND: 404,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_CSRF: 403,
  ERR_RATE_LIMITED: 429,
  ERR_NOT_SIGNED_IN: 401,
  ERR_NOT_CONFIGURED: 501,
  ERR_METRICS_UNAUTHORIZED: 401,
  ERR_INTERNAL: 500,
  ERR_UNAVAILABLE: 503,
  /** The memory store holds `store.maxEntries` live entries: new writes are refused, nothing is evicted. */
  ERR_STORE_FULL: 503,
  /** publicUrl is https but the request came over plain http (a proxy not trusted: server.trustProxy). */
  ERR_TRANSPORT_INSECURE: 500,
  // upstream sign-in (OIDC)
  ERR_IDP_UNKNOWN: 404,
  ERR_IDP_UNREACHABLE: 502,
  /** The IdP answered, but refused the bridge's client id/secret (`invalid_client`, a 401 challenge): a config mistake, not the user's. */
  ERR_IDP_CLIENT_REJECTED: 502,
  /** The IdP's discovery document names another issuer than the configured one: a config mistake (or the wrong URL), not an outage. */
  ERR_IDP_ISSUER_MISMATCH: 502,
  ERR_AUTH_FLOW_MISSING: 400,
  ERR_AUTH_STATE_MISMATCH: 400,
  /** An OIDC answer to an earlier sign-in of this browser (its `state`), whose flow a later one replaced (another tab). */
  ERR_AUTH_OTHER_SIGN_IN: 409,
  ERR_AUTH_IDP_ERROR: 401,
  ERR_AUTH_TOKEN_INVALID: 401,
  ERR_AUTH_CLAIM_MISSING: 401,
  ERR_AUTH_GROUPS_OVERAGE: 401,
  ERR_AUTH_TENANT_NOT_ALLOWED: 401,
  /** Told to ask for credentials again (`prompt=login`, `ForceAuthn`), the IdP answered from an older sign-in. */
  ERR_AUTH_NOT_REAUTHENTICATED: 401,
  /** A CLI refresh re-read the user at the IdP (`refreshGroups`) and the IdP refused them. */
  ERR_UPSTREAM_REFRESH_DENIED: 400,
  // upstream sign-in (SAML): one code per refusal, so logs and metrics tell attacks from misconfiguration
  ERR_SAML_TOO_LARGE: 413,
  ERR_SAML_MALFORMED: 400,
  ERR_SAML_STATUS: 401,
  ERR_SAML_UNSOLICITED: 401,
  ERR_SAML_IN_RESPONSE_TO: 401,
  /** An answer to an earlier sign-in of this browser, whose flow a later one replaced (another tab). */
  ERR_SAML_OTHER_SIGN_IN: 409,
  ERR_SAML_DESTINATION_MISMATCH: 401,
  ERR_SAML_ISSUER_MISMATCH: 401,
  ERR_SAML_ALGORITHM_REFUSED: 401,
  ERR_SAML_ENCRYPTION_REFUSED: 401,
  ERR_SAML_DECRYPTION_FAILED: 401,
  ERR_SAML_SIGNATURE_INVALID: 401,
  ERR_SAML_AUDIENCE_MISMATCH: 401,
  ERR_SAML_RECIPIENT_MISMATCH: 401,
  ERR_SAML_SUBJECT_CONFIRMATION: 401,
  ERR_SAML_EXPIRED: 401,
  ERR_SAML_REPLAY: 401,
  ERR_SAML_NAMEID_UNSUITABLE: 401,
  ERR_SAML_ATTRIBUTE_MISSING: 401,
  ERR_SAML_INVALID: 401,
  // roles
  ERR_ROLE_NOT_GRANTED: 403,
  ERR_NO_ROLES: 403,
  ERR_DURATION_INVALID: 400,
  ERR_ELEVATION_MFA_REQUIRED: 403,
  ERR_JUSTIFICATION_REQUIRED: 400,
  ERR_JUSTIFICATION_TOO_LONG: 400,
  ERR_DESTINATION_NOT_ALLOWED: 400,
  ERR_CONSOLE_SIGNIN_FAILED: 502,
  ERR_CONSOLE_SERVICE_UNKNOWN: 400,
  /** A credentials page (`/roles/credentials/<id>`) of another sign-in: another user's, or this user's in another browser. */
  ERR_CREDENTIALS_NOT_YOURS: 404,
  // device flow (RFC 8628), refresh (RFC 6749 §6) and the bearer API: each OAuth answer has its own code
  ERR_OAUTH_INVALID_CLIENT: 401,
  ERR_OAUTH_UNSUPPORTED_GRANT_TYPE: 400,
  ERR_DEVICE_AUTHORIZATION_PENDING: 400,
  ERR_DEVICE_SLOW_DOWN: 400,
  ERR_DEVICE_ACCESS_DENIED: 400,
  ERR_DEVICE_CODE_EXPIRED: 400,
  ERR_DEVICE_CODE_INVALID: 400,
  ERR_DEVICE_PKCE_MISMATCH: 400,
  ERR_DEVICE_USER_CODE_INVALID: 400,
  ERR_DEVICE_USER_CODE_EXPIRED: 400,
  ERR_DEVICE_USER_CODE_USED: 400,
  ERR_DEVICE_TOO_MANY_ATTEMPTS: 429,
  ERR_REFRESH_TOKEN_INVALID: 400,
  ERR_REFRESH_TOKEN_REUSED: 400,
  /** `POST /sessions/revoke` named a CLI session that is not the signed-in user's (or no longer live). */
  ERR_CLI_SESSION_NOT_FOUND: 404,
  ERR_TOKEN_MISSING: 401,
  ERR_TOKEN_INVALID: 401,
  // STS and the emulator-facing client
  ERR_STS_DENIED: 403,
  ERR_STS_INVALID_INPUT: 400,
  ERR_STS_EXPIRED: 401,
  ERR_STS_THROTTLED: 429,
  ERR_STS_UNAVAILABLE: 502,
  /** STS refused a signed call's timestamp (InvalidTimeStamp.*): the bridge's clock is off. */
  ERR_STS_CLOCK_SKEW: 502,
  /** STS did not connect or answer within alibaba.stsConnectTimeoutMs / stsReadTimeoutMs. */
  ERR_STS_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Refusals that are the normal course of a protocol rather than a problem: a CLI polling the token
 * endpoint hears `authorization_pending` every few seconds until the user approves. Logged at debug.
 */
export const ROUTINE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['ERR_DEVICE_AUTHORIZATION_PENDING']);

export interface BridgeErrorOptions {
  /** Safe sentence for the person in front of the screen. Defaults to a generic one per status. */
  userMessage?: Sentence;
  /** What to do next (for the user or the admin). Safe to show. */
  hint?: Sentence;
  /** Log-only specifics. Never rendered. */
  detail?: Record<string, unknown>;
  /** The OAuth wire error (`invalid_request`, `access_denied`…) for API clients. */
  oauthError?: string;
  /**
   * Whether `userMessage` may be shown. By default it is, when one is set: a userMessage is a fixed
   * sentence written for the user, whatever the status. ERR_INTERNAL never shows one: it wraps the
   * unexpected, whose words nobody checked.
   */
  expose?: boolean;
  cause?: unknown;
}

/** The generic sentence of a status (`err.status.*`); a status without one gets the 500 one. */
function genericSentence(status: number): Sentence {
  const key = `err.status.${status}`;
  return sentence(Object.hasOwn(sentencesEn, key) ? (key as Extract<SentenceKey, `err.status.${number}`>) : 'err.status.500');
}

const DEFAULT_OAUTH_ERROR: Record<number, string> = {
  400: 'invalid_request',
  401: 'access_denied',
  403: 'access_denied',
  404: 'invalid_request',
  405: 'invalid_request',
  413: 'invalid_request',
  429: 'slow_down',
};

/** Codes whose OAuth wire error is fixed by a spec, whatever their HTTP status (RFC 6749 §5.2, RFC 8628 §3.5, RFC 6750 §3.1). */
const CODE_OAUTH_ERROR: Partial<Record<ErrorCode, string>> = {
  ERR_OAUTH_INVALID_CLIENT: 'invalid_client',
  ERR_OAUTH_UNSUPPORTED_GRANT_TYPE: 'unsupported_grant_type',
  ERR_DEVICE_AUTHORIZATION_PENDING: 'authorization_pending',
  ERR_DEVICE_SLOW_DOWN: 'slow_down',
  ERR_DEVICE_ACCESS_DENIED: 'access_denied',
  ERR_DEVICE_CODE_EXPIRED: 'expired_token',
  ERR_DEVICE_CODE_INVALID: 'invalid_grant',
  ERR_DEVICE_PKCE_MISMATCH: 'invalid_grant',
  ERR_REFRESH_TOKEN_INVALID: 'invalid_grant',
  ERR_REFRESH_TOKEN_REUSED: 'invalid_grant',
  ERR_UPSTREAM_REFRESH_DENIED: 'invalid_grant',
  ERR_TOKEN_MISSING: 'invalid_token',
  ERR_TOKEN_INVALID: 'invalid_token',
};

export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  /** In English, for logs, the CLI and JSON bodies; a page says `sentences` in its language. */
  readonly userMessage: string;
  readonly hint: string | undefined;
  /** The catalogue entries userMessage and hint are made of (src/error-messages/). */
  readonly sentences: { readonly message: Sentence; readonly hint: Sentence | undefined };
  readonly detail: Record<string, unknown> | undefined;
  readonly oauthError: string;

  constructor(code: ErrorCode, options: BridgeErrorOptions = {}) {
    const status = ERROR_STATUS[code];
    const given = options.userMessage ?? genericSentence(status);
    super(`${code}: ${english(given)}`, { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
    this.status = status;
    this.expose = options.expose ?? (status < 500 || (options.userMessage !== undefined && code !== 'ERR_INTERNAL'));
    const message = this.expose ? given : genericSentence(status);
    this.sentences = { message, hint: options.hint };
    this.userMessage = english(message);
    this.hint = options.hint && english(options.hint);
    this.detail = options.detail;
    this.oauthError = options.oauthError ?? CODE_OAUTH_ERROR[code] ?? DEFAULT_OAUTH_ERROR[status] ?? 'server_error';
  }
}

/** Wraps anything thrown into a BridgeError; unknown errors become a non-exposed ERR_INTERNAL. */
export function toBridgeError(err: unknown): BridgeError {
  if (err instanceof BridgeError) return err;
  return new BridgeError('ERR_INTERNAL', { expose: false, cause: err });
}

export function isBridgeError(err: unknown, code?: ErrorCode): err is BridgeError {
  return err instanceof BridgeError && (code === undefined || err.code === code);
}
