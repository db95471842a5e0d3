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

/** Whether STS takes a session of `seconds`. */
export function withinStsLimits(seconds: number): boolean {
  return seconds >= MIN_DURATION_SECONDS && seconds <= MAX_DURATION_SECONDS;
}
