import { CliError } from './errors.js';
import { t } from '../i18n/index.js';
import { durationSeconds, withinStsLimits } from './duration-syntax.cjs';

export { defaultDuration, MIN_DURATION_SECONDS, MAX_DURATION_SECONDS } from './duration-syntax.cjs';

/**
 * How far short of what is left of the CLI session the server's `maxDurationNow` stops: a minute
 * (src/issuance/role-request.ts OFFER_MARGIN_SECONDS). The session ends this much after it.
 */
export const OFFER_MARGIN_SECONDS = 60;

/** Parses `900`, `15m`, `1h`, `1h30m`, `12h` (and `s` parts) into seconds. */
export function parseDuration(input: string): number {
  const seconds = durationSeconds(input);
  if (seconds === undefined)
    throw new CliError('ERR_CLI_DURATION_INVALID', t('durationInvalid', { input }), { hint: t('durationExamples') });
  if (!withinStsLimits(seconds)) {
    throw new CliError('ERR_CLI_DURATION_INVALID', t('durationOutside', { duration: formatDurationFlag(seconds) }), {
      hint: t('durationExamples'),
    });
  }
  return seconds;
}

/** `5400` → `1h30m`; the same notation `--duration` accepts. */
export function formatDurationFlag(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || seconds === 0 ? `${s}s` : ''}`;
}

/**
 * A moment in this machine's time zone, the one way the CLI writes it in every language
 * (`2026-12-03 10:12`): the offline note, `whoami`'s session end, the credentials' expiry.
 */
export function formatLocalTime(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/**
 * A session length, for people, in the CLI's language (`1 h`, `1 小时 30 分钟`), as the web pages
 * name it; `formatDurationFlag` is for what to type after `--duration`.
 */
export function formatSessionLength(seconds: number): string {
  return formatRemaining(seconds * 1000);
}

/** A time left, for people: `59 min`, `3 h 12 min`, `less than a minute`. */
export function formatRemaining(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return t('remainingUnderMinute');
  if (minutes < 60) return t('remainingMinutes', { minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? t('remainingHoursMinutes', { hours, minutes: rest }) : t('remainingHours', { hours });
}
