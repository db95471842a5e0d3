import { CliError } from './errors.js';
import type { DeviceAuthorization, PollAnswer, TokenSet } from './oauth.js';
import { t } from '../i18n/index.js';

export interface PollDeps {
  /** One request to the token endpoint. */
  attempt(): Promise<PollAnswer>;
  sleep(seconds: number): Promise<void>;
  /** Milliseconds since the epoch. */
  now(): number;
}

/** RFC 8628 §3.5 says a client must not poll faster than this without an interval from the server. */
export const DEFAULT_INTERVAL_SECONDS = 5;

/**
 * The longest wait between two polls, whatever the server asks: more would only delay a login the
 * user already approved, and a wait too long for a timer (over 24.8 days) fires after 1 ms.
 */
export const MAX_INTERVAL_SECONDS = 300;

/**
 * Polls until the user approves or denies, or the code expires (RFC 8628 §3.4–3.5, as openid-client
 * does it): start at `interval` s (5 without one, or with one under a second; 300 at most), add 5 s
 * at each `slow_down` and keep it, never poll earlier than a `Retry-After` asks (up to 300 s), ride
 * out network errors and 5xx, and stop at `expires_in` rather than wait past it.
 */
export async function pollForTokens(
  authorization: Pick<DeviceAuthorization, 'interval' | 'expires_in'>,
  deps: PollDeps,
): Promise<TokenSet> {
  // An interval under a second (0, negative: no delay at all) is no interval: the default instead.
  const given = authorization.interval;
  let interval = given !== undefined && given >= 1 ? Math.min(given, MAX_INTERVAL_SECONDS) : DEFAULT_INTERVAL_SECONDS;
  const deadline = deps.now() + authorization.expires_in * 1000;
  let wait = interval;
  for (;;) {
    if (deps.now() + wait * 1000 > deadline) throw codeExpired();
    await deps.sleep(wait);
    const answer = await deps.attempt();
    if (answer.kind === 'tokens') return answer.tokens;
    if (answer.kind === 'error') {
      switch (answer.error) {
        case 'authorization_pending':
          break;
        case 'slow_down':
          interval = Math.min(interval + 5, MAX_INTERVAL_SECONDS);
          break;
        case 'access_denied':
          throw new CliError('ERR_CLI_LOGIN_DENIED', t('loginDenied'), { hint: t('loginDeniedHint') });
        case 'expired_token':
          throw codeExpired();
        default:
          throw new CliError('ERR_CLI_SERVER_ERROR', answer.description ?? t('loginRefused', { error: answer.error }), {
            serverCode: answer.error,
            hint: t('loginAgainHint'),
          });
      }
    }
    wait = Math.min(Math.max(interval, answer.retryAfterSeconds ?? 0), MAX_INTERVAL_SECONDS);
  }
}

function codeExpired(): CliError {
  return new CliError('ERR_CLI_LOGIN_EXPIRED', t('codeExpired'), { hint: t('codeExpiredHint') });
}
