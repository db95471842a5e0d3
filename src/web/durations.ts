import { DURATION_BOUNDS } from '../config/index.js';
import { BridgeError } from '../errors.js';

const STEPS = [900, 1800, 3600, 2 * 3600, 4 * 3600, 8 * 3600, 12 * 3600];

export interface DurationOption {
  seconds: number;
  label: string;
  selected: boolean;
}

/** Choices for the picker's session-length selector, clamped to the role's maximum. */
export function durationOptions(maxSeconds: number): DurationOption[] {
  const values = STEPS.filter((s) => s <= maxSeconds);
  if (!values.includes(maxSeconds)) values.push(maxSeconds);
  const preferred = Math.min(3600, maxSeconds);
  return values.map((seconds) => ({ seconds, label: formatDuration(seconds), selected: seconds === preferred }));
}

/** Parses a posted duration; anything outside 900 s … the role's maximum is refused, not clamped. */
export function parseDuration(value: unknown, maxSeconds: number): number {
  const seconds = typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(seconds) || seconds < DURATION_BOUNDS.min || seconds > maxSeconds) {
    throw new BridgeError('ERR_DURATION_INVALID', {
      userMessage: `Choose a session length between ${formatDuration(DURATION_BOUNDS.min)} and ${formatDuration(maxSeconds)}.`,
    });
  }
  return seconds;
}

export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
