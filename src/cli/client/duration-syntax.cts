/**
 * The `--duration` notation, without its error messages: CommonJS, so the cached `creds` path
 * (../cached-creds.cts) reads the `--duration` of an External profile's command line without
 * starting Node's ES module loader. duration.ts adds the messages.
 */

/** STS accepts 15 minutes to 12 hours; the role's MaxSessionDuration may cap it further. */
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43_200;

/** `900`, `15m`, `1h`, `1h30m`, `12h` (and `s` parts) in seconds; undefined when it is not that notation. */
export function durationSeconds(input: string): number | undefined {
  const text = input.trim().toLowerCase();
  if (/^\d+$/.test(text)) return Number(text);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '') return undefined;
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}

/** Without `--duration` and nothing remembered: one hour, or less when the role allows less. */
const DEFAULT_DURATION_SECONDS = 3600;

/**
 * The length asked for when `--duration` is not given: the one this user last chose for the role
 * (the server remembers it, from the web or the CLI), if the role still allows it; else the default.
 * Here, in CommonJS, for the full command and the cached path alike.
 */
export function defaultDuration(role: { maxSessionDuration: number; lastDuration?: number }): number {
  const last = role.lastDuration;
  if (last !== undefined && Number.isInteger(last) && last > 0 && last <= role.maxSessionDuration) return last;
  return Math.min(DEFAULT_DURATION_SECONDS, role.maxSessionDuration);
}

/** Whether STS takes a session of `seconds`. */
export function withinStsLimits(seconds: number): boolean {
  return seconds >= MIN_DURATION_SECONDS && seconds <= MAX_DURATION_SECONDS;
}
