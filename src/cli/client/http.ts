import { CliError, type CliErrorCode } from './errors.js';
import { USER_AGENT } from './version.js';

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
  // No redirects: a token request that follows one could leak its body to another place.
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, headers, redirect: 'manual', signal: init.signal ?? AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new CliError('ERR_CLI_UNREACHABLE', `Cannot reach ${new URL(url).origin}.`, {
      hint: 'Check the network (VPN?) and the server URL.',
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

/** The server's error body: `{error, error_description, code, hint?, request_id}`. */
export interface ServerErrorBody {
  error?: string;
  error_description?: string;
  code?: string;
  hint?: string;
  request_id?: string;
}

/**
 * Turns a refusal of the server into a CliError, keeping the server's own message and hint (they
 * are written for users) and choosing the exit code from the kind of failure.
 */
export function serverError(response: JsonResponse): CliError {
  const body = (typeof response.body === 'object' && response.body !== null ? response.body : {}) as ServerErrorBody;
  const message = body.error_description ?? `The server answered HTTP ${response.status}.`;
  return new CliError(codeFor(response.status, body.code), message, {
    hint: body.hint ?? defaultHint(response.status),
    serverCode: body.code ?? body.error,
    requestId: body.request_id,
  });
}

function codeFor(status: number, serverCode: string | undefined): CliErrorCode {
  if (status === 401) return 'ERR_CLI_SESSION_ENDED';
  if (status === 403) return 'ERR_CLI_NOT_ALLOWED';
  if (status === 429 || status >= 500) return 'ERR_CLI_SERVER_UNAVAILABLE';
  if (serverCode === 'ERR_DURATION_INVALID') return 'ERR_CLI_DURATION_INVALID';
  if (status === 400) return 'ERR_CLI_USAGE';
  return 'ERR_CLI_SERVER_ERROR';
}

function defaultHint(status: number): string | undefined {
  if (status === 401) return 'Run: rambridge login';
  if (status === 429 || status >= 500) return 'Try again in a minute; if it persists, tell your administrator (quote the request id).';
  return undefined;
}
