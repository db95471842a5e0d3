import { DURATION_BOUNDS } from '../config/index.js';
import { BridgeError, sentence } from '../errors.js';

/**
 * Checks a requested session length: anything outside 900 s … the role's maximum is refused, not
 * clamped (the caller and the audit record must get the duration asked for). `undefined` is a
 * length that was missing or not a whole number of seconds.
 */
export function checkDuration(seconds: number | undefined, maxSeconds: number): number {
  if (seconds === undefined || !Number.isInteger(seconds) || seconds < DURATION_BOUNDS.min || seconds > maxSeconds) {
    throw new BridgeError('ERR_DURATION_INVALID', {
      userMessage: sentence('err.ERR_DURATION_INVALID', { min: formatDuration(DURATION_BOUNDS.min), max: formatDuration(maxSeconds) }),
    });
  }
  return seconds;
}

/** `5400` → `1 h 30 min`: how pages and messages name a session length, to the nearest minute (never `60 min`). */
export function formatDuration(seconds: number): string {
  const total = Math.round(seconds / 60);
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
