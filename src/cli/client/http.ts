import type { OAuthErrorBody } from '../../wire/oauth-bodies.js';
import { CliError, type CliErrorCode } from './errors.js';
import { printable } from './printable.js';
import { USER_AGENT } from './version.js';
import { currentLanguage, t } from '../i18n/index.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface JsonResponse {
  status: number;
  headers: Headers;
  /** The parsed body; `undefined` when it is empty or not JSON. */
  body: unknown;
}

/** One HTTP exchange with the server. A network failure becomes ERR_CLI_UNREACHABLE with a hint. */
export async function requestJson(fetchImpl: FetchLike, url: string, init: RequestInit = {}): Promise<JsonResponse> {
  const headers = new Headers(init.headers);
  headers.set('accept', 'application/json');
  headers.set('user-agent', USER_AGENT);
  // The server's error texts (message, hint) in the language the CLI speaks; codes never change.
  headers.set('accept-language', currentLanguage() === 'zh-CN' ? 'zh-CN, en;q=0.5' : 'en');
  // No redirects: a token request that follows one could leak its body to another place.
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, headers, redirect: 'manual', signal: init.signal ?? AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new CliError('ERR_CLI_UNREACHABLE', t('unreachable', { origin: new URL(url).origin }), {
      hint: t('unreachableHint'),
      cause: err,
    });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body };
}

/** When the server says it answered (its `Date` header), if it says a valid one: its clock, which this machine's may not agree with. */
export function serverDate(response: JsonResponse): number | undefined {
  const date = Date.parse(response.headers.get('date') ?? '');
  return Number.isNaN(date) ? undefined : date;
}

/** POSTs an `application/x-www-form-urlencoded` body, as OAuth endpoints require. */
export function postForm(
  fetchImpl: FetchLike,
  url: string,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return requestJson(fetchImpl, url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

/** The server's error body (`OAuthErrorBody`, src/wire/oauth-bodies.ts), any field possibly missing. */
export type ServerErrorBody = Partial<OAuthErrorBody>;

/**
 * Turns a refusal of the server into a CliError, keeping the server's own message and hint (they
 * are written for users) and choosing the exit code from the kind of failure. Their control
 * characters are replaced here, once: the error reaches terminals by more ways than reportError
 * (the "Log in again?" prompt, credential-server's log).
 */
export function serverError(response: JsonResponse): CliError {
  const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as ServerErrorBody;
  const message = shown(body.message) ?? shown(body.error_description) ?? `The server answered HTTP ${response.status}.`;
  const invalidToken = isInvalidToken(response);
  return new CliError(codeFor(response.status, body.code, invalidToken), message, {
    hint: shown(body.hint) ?? defaultHint(response.status, invalidToken),
    serverCode: body.code ?? body.error,
    requestId: body.request_id,
  });
}

/** A text of the server's as a terminal may show it; anything but a string is no text. */
function shown(value: unknown): string | undefined {
  return typeof value === 'string' ? printable(value) : undefined;
}

/**
 * Whether the server refused the access token itself (expired, revoked, unknown): a 401 with the
 * RFC 6750 §3.1 challenge `Bearer error="invalid_token"`. Only that is worth a refresh. Other 401s
 * — STS finding a sign-in proof expired, a role needing a fresh IdP sign-in — say nothing about
 * the token: refreshing would rotate the refresh token for nothing and misreport a live session
 * as ended.
 */
export function isInvalidToken(response: JsonResponse): boolean {
  if (response.status !== 401) return false;
  const challenge = response.headers.get('www-authenticate') ?? '';
  return /^\s*Bearer\b/i.test(challenge) && /\berror\s*=\s*"?invalid_token"?/i.test(challenge);
}

/** What a 401 that is not about the access token means, by the server's code. */
const OTHER_401: Record<string, CliErrorCode> = {
  // STS found the bridge's sign-in proof (or a pass-through ID token) expired: asking again may work.
  ERR_STS_EXPIRED: 'ERR_CLI_SERVER_UNAVAILABLE',
  // A pass-through role needs a fresh ID token from the IdP, or the CLI session ends too soon for
  // credentials (under 15 min left): only a new login helps.
  ERR_NOT_SIGNED_IN: 'ERR_CLI_REAUTH_REQUIRED',
};

function codeFor(status: number, serverCode: string | undefined, invalidToken: boolean): CliErrorCode {
  if (invalidToken) return 'ERR_CLI_SESSION_ENDED';
  if (status === 401)
    return (serverCode !== undefined && Object.hasOwn(OTHER_401, serverCode) && OTHER_401[serverCode]) || 'ERR_CLI_SERVER_ERROR';
  if (status === 403) return 'ERR_CLI_NOT_ALLOWED';
  if (status === 429 || status >= 500) return 'ERR_CLI_SERVER_UNAVAILABLE';
  if (serverCode === 'ERR_DURATION_INVALID') return 'ERR_CLI_DURATION_INVALID';
  if (status === 400) return 'ERR_CLI_USAGE';
  return 'ERR_CLI_SERVER_ERROR';
}

function defaultHint(status: number, invalidToken: boolean): string | undefined {
  if (invalidToken) return t('runLoginAny');
  if (status === 429 || status >= 500) return t('retryLater');
  return undefined;
}
