import { CLI_CLIENT_ID, DEVICE_CODE_GRANT, type OAuthRequest } from '../../wire/oauth.js';
import type { DeviceAuthorization, TokenResponse } from '../../wire/oauth-bodies.js';
import { CliError } from './errors.js';
import { postForm, serverError, type FetchLike, type JsonResponse } from './http.js';
import type { Pkce } from './pkce.js';
import { CLIENT_VERSION } from './version.js';
import { t } from '../i18n/index.js';

export type { DeviceAuthorization } from '../../wire/oauth-bodies.js';
/** RFC 6749 §5.1 token response, as the bridge returns it (src/wire/oauth-bodies.ts). */
export type TokenSet = TokenResponse;

/** The server's schemas, loaded on first use (only sign-in and refresh need them). */
const wire = () => import('../../wire/oauth-bodies.js');

/** One answer of the token endpoint to a device-code poll. */
export type PollAnswer =
  | { kind: 'tokens'; tokens: TokenSet }
  | { kind: 'error'; error: string; description?: string; retryAfterSeconds?: number }
  /** The network or the server hiccuped: keep polling until the code expires. */
  | { kind: 'transient'; retryAfterSeconds?: number };

export async function requestDeviceAuthorization(
  fetchImpl: FetchLike,
  endpoint: string,
  pkce: Pkce,
  clientHost: string,
): Promise<DeviceAuthorization> {
  const response = await postForm(fetchImpl, endpoint, {
    client_id: CLI_CLIENT_ID,
    code_challenge: pkce.challenge,
    code_challenge_method: 'S256',
    client_host: clientHost,
    client_version: CLIENT_VERSION,
  } satisfies OAuthRequest<'device_authorization'>);
  if (response.status !== 200) throw serverError(response);
  const parsed = (await wire()).deviceAuthorizationSchema.safeParse(response.body);
  if (!parsed.success) {
    throw new CliError('ERR_CLI_SERVER_ERROR', 'The server started a sign-in but its answer is incomplete.', {
      hint: 'Tell your administrator; the server may be a different version.',
    });
  }
  return parsed.data;
}

export async function pollTokenEndpoint(fetchImpl: FetchLike, endpoint: string, deviceCode: string, verifier: string): Promise<PollAnswer> {
  let response: JsonResponse;
  try {
    response = await postForm(fetchImpl, endpoint, {
      grant_type: DEVICE_CODE_GRANT,
      device_code: deviceCode,
      code_verifier: verifier,
      client_id: CLI_CLIENT_ID,
    } satisfies OAuthRequest<'device_code_grant'>);
  } catch (err) {
    if (err instanceof CliError && err.code === 'ERR_CLI_UNREACHABLE') return { kind: 'transient' };
    throw err;
  }
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'), Date.now());
  const { tokenResponseSchema, oauthErrorSchema } = await wire();
  const tokens = tokenResponseSchema.safeParse(response.body);
  if (response.status === 200 && tokens.success) return { kind: 'tokens', tokens: tokens.data };
  const refusal = oauthErrorSchema.safeParse(response.body);
  if (response.status >= 400 && response.status < 500 && refusal.success) {
    return { kind: 'error', error: refusal.data.error, description: refusal.data.error_description, retryAfterSeconds };
  }
  if (response.status === 429 || response.status >= 500) return { kind: 'transient', retryAfterSeconds };
  throw serverError(response);
}

/** Exchanges a refresh token for a new pair. The old refresh token is dead afterwards (rotation). */
export async function refreshTokens(fetchImpl: FetchLike, endpoint: string, refreshToken: string): Promise<TokenSet> {
  const response = await postForm(fetchImpl, endpoint, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: CLI_CLIENT_ID,
  } satisfies OAuthRequest<'refresh_token_grant'>);
  const { tokenResponseSchema, oauthErrorSchema } = await wire();
  const tokens = tokenResponseSchema.safeParse(response.body);
  if (response.status === 200 && tokens.success) return tokens.data;
  const refusal = oauthErrorSchema.safeParse(response.body);
  if (refusal.success && refusal.data.error === 'invalid_grant') {
    throw new CliError('ERR_CLI_SESSION_ENDED', t('sessionEnded'), { hint: t('runLoginAny') });
  }
  throw serverError(response);
}

/** RFC 7009 revocation; best effort (logout must work offline too), so it reports instead of throwing. */
export async function revokeToken(
  fetchImpl: FetchLike,
  endpoint: string,
  token: string,
  hint: 'refresh_token' | 'access_token',
): Promise<boolean> {
  try {
    const response = await postForm(fetchImpl, endpoint, {
      token,
      token_type_hint: hint,
      client_id: CLI_CLIENT_ID,
    } satisfies OAuthRequest<'revoke'>);
    return response.status === 200;
  } catch {
    return false;
  }
}

/** `Retry-After` as seconds (RFC 9110: delay-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - now) / 1000)) : undefined;
}
