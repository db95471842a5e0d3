import { translator, type Language } from './index.js';

/**
 * `5400` → `1 h 30 min` / `1 小时 30 分钟`: how pages name a session length (as issuance/durations.ts
 * in English), to the nearest minute (`7180` → `2 h`, never `1 h 60 min`). A length that must not
 * be overstated is rounded down by its caller.
 */
export function formatDurationIn(language: Language, seconds: number): string {
  const t = translator(language);
  const total = Math.round(seconds / 60);
  const hours = Math.floor(total / 60);
  const minutes = total % 60;
  if (hours === 0) return t('duration.minutes', { minutes });
  return minutes === 0 ? t('duration.hours', { hours }) : t('duration.hoursMinutes', { hours, minutes });
}

/** A moment in UTC, written the language's way (`Jan 1, 2030, 13:05:00 UTC`, `2030年1月1日 UTC 13:05:00`). */
export function formatDateTime(language: Language, at: Date | number): string {
  return new Intl.DateTimeFormat(language, {
    dateStyle: 'medium',
    timeStyle: 'long',
    timeZone: 'UTC',
    hourCycle: 'h23',
  }).format(at);
}

/** How long ago, in whole minutes (the device page: `2 min ago`, `2 分钟前`). */
export function formatMinutesAgo(language: Language, elapsedMs: number): string {
  const t = translator(language);
  const minutes = Math.max(0, Math.floor(elapsedMs / 60_000));
  return minutes < 1 ? t('time.underMinuteAgo') : t('time.minutesAgo', { minutes });
}

/**
 * English durations inside an English error sentence (`15 min`, `1 h 30 min`, from
 * issuance/durations.ts) rewritten in the page language; anything else is left as it is.
 */
export function localiseDurationText(language: Language, text: string): string {
  const match = /^(?:(\d+) h)?(?: ?(\d+) min)?$/.exec(text);
  if (!match || (match[1] === undefined && match[2] === undefined)) return text;
  return formatDurationIn(language, Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60);
}

/**
 * An English list inside an English error sentence (`ecs (cn-hangzhou), ram`, as
 * console/destinations.ts and routes/launch.ts join it) written the language's way: its separator,
 * its brackets (`ecs（cn-hangzhou）、ram`).
 */
export function localiseListText(language: Language, text: string): string {
  const t = translator(language);
  return text
    .split(', ')
    .map((item) => {
      const qualified = /^(.+?) \((.+)\)$/.exec(item);
      return qualified ? t('roles.qualified', { name: qualified[1]!, detail: qualified[2]! }) : item;
    })
    .join(t('roles.listSeparator'));
}
