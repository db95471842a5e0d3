/**
 * One error type for everything the bridge refuses or fails at.
 *
 * Callers switch on `code` (a stable string-literal union), never on message text. What a user is
 * allowed to see is decided here, once: `userMessage` and `hint` are safe, fixed sentences; `detail`
 * carries the specifics (attacker-controlled values, library messages) and goes to the log only.
 */

/** Every stable error code, with the HTTP status it maps to. */
export const ERROR_STATUS = {
  // configuration
  ERR_CONFIG_INVALID: 500,
  // request shape and web layer
  ERR_BAD_REQUEST: 400,
  ERR_NOT_FOUND: 404,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_CSRF: 403,
  ERR_RATE_LIMITED: 429,
  ERR_NOT_SIGNED_IN: 401,
  ERR_NOT_CONFIGURED: 501,
  ERR_INTERNAL: 500,
  ERR_UNAVAILABLE: 503,
  // upstream sign-in (OIDC)
  ERR_IDP_UNKNOWN: 404,
  ERR_IDP_UNREACHABLE: 502,
  ERR_AUTH_FLOW_MISSING: 400,
  ERR_AUTH_STATE_MISMATCH: 400,
  ERR_AUTH_IDP_ERROR: 401,
  ERR_AUTH_TOKEN_INVALID: 401,
  ERR_AUTH_CLAIM_MISSING: 401,
  ERR_AUTH_GROUPS_OVERAGE: 401,
  ERR_AUTH_TENANT_NOT_ALLOWED: 401,
  // roles
  ERR_ROLE_NOT_GRANTED: 403,
  ERR_NO_ROLES: 403,
  ERR_DURATION_INVALID: 400,
  // STS and the emulator-facing client
  ERR_STS_DENIED: 403,
  ERR_STS_INVALID_INPUT: 400,
  ERR_STS_EXPIRED: 401,
  ERR_STS_THROTTLED: 429,
  ERR_STS_UNAVAILABLE: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface BridgeErrorOptions {
  /** Safe sentence for the person in front of the screen. Defaults to a generic one per status. */
  userMessage?: string;
  /** What to do next (for the user or the admin). Safe to show. */
  hint?: string;
  /** Log-only specifics. Never rendered. */
  detail?: Record<string, unknown>;
  /** The OAuth wire error (`invalid_request`, `access_denied`…) for API clients. */
  oauthError?: string;
  /** Whether `userMessage` may be shown. False for internal errors: they get a generic message. */
  expose?: boolean;
  cause?: unknown;
}

const GENERIC_MESSAGES: Record<number, string> = {
  400: 'The request could not be understood.',
  401: 'Sign-in did not succeed.',
  403: 'You are not allowed to do that.',
  404: 'There is nothing here.',
  405: 'That method is not allowed here.',
  429: 'Too many attempts. Please wait a moment and try again.',
  500: 'Something went wrong on our side.',
  501: 'This part of rambridge is not configured yet.',
  502: 'A service rambridge depends on did not answer properly.',
  503: 'rambridge is not ready yet. Please try again shortly.',
};

const DEFAULT_OAUTH_ERROR: Record<number, string> = {
  400: 'invalid_request',
  401: 'access_denied',
  403: 'access_denied',
  404: 'invalid_request',
  405: 'invalid_request',
  429: 'slow_down',
};

export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  readonly userMessage: string;
  readonly hint: string | undefined;
  readonly detail: Record<string, unknown> | undefined;
  readonly oauthError: string;

  constructor(code: ErrorCode, options: BridgeErrorOptions = {}) {
    const status = ERROR_STATUS[code];
    const message = options.userMessage ?? GENERIC_MESSAGES[status] ?? GENERIC_MESSAGES[500]!;
    super(`${code}: ${message}`, { cause: options.cause });
    this.name = 'BridgeError';
    this.code = code;
    this.status = status;
    this.expose = options.expose ?? status < 500;
    this.userMessage = this.expose ? message : (GENERIC_MESSAGES[status] ?? GENERIC_MESSAGES[500]!);
    this.hint = options.hint;
    this.detail = options.detail;
    this.oauthError = options.oauthError ?? DEFAULT_OAUTH_ERROR[status] ?? 'server_error';
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
