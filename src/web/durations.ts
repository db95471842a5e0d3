import { formatDurationIn } from './i18n/format.js';
import { DEFAULT_LANGUAGE, type Language } from './i18n/index.js';

const STEPS = [900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 12 * 3600];

export interface DurationOption {
  seconds: number;
  label: string;
  selected: boolean;
}

/**
 * Choices for the picker's session-length selector, labelled in `lang`, up to the role's maximum
 * (`maxSeconds`, offered itself too) and to what may be offered of the session that asks
 * (`offerableSeconds`: what is left less OFFER_MARGIN_SECONDS, rounded down to a step, since it
 * shrinks by the second). None when that is under the shortest step. One hour is pre-selected, or
 * the longest choice below it.
 */
export function durationOptions(maxSeconds: number, lang: Language = DEFAULT_LANGUAGE, offerableSeconds = Infinity): DurationOption[] {
  const values = STEPS.filter((s) => s <= Math.min(maxSeconds, offerableSeconds));
  if (maxSeconds <= offerableSeconds && !values.includes(maxSeconds)) values.push(maxSeconds);
  const preferred = Math.max(...values.filter((s) => s <= 3600));
  return values.map((seconds) => ({ seconds, label: formatDurationIn(lang, seconds), selected: seconds === preferred }));
}

/** The picker posts seconds as digits; anything else is no duration (refused by `checkDuration`). */
export function durationFromForm(value: unknown): number | undefined {
  return typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}
