import { isoSeconds } from '../../src/iso-time.js';

test('isoSeconds drops milliseconds and normalises offsets to Z', () => {
  expect(isoSeconds('2026-01-01T12:00:00.123Z')).toBe('2026-01-01T12:00:00Z');
  expect(isoSeconds('2026-01-01T20:00:00+08:00')).toBe('2026-01-01T12:00:00Z');
});

test('isoSeconds takes epoch milliseconds and dates alike, rounding down', () => {
  const ms = Date.UTC(2026, 0, 1, 1, 0, 0, 999);
  expect(isoSeconds(ms)).toBe('2026-01-01T01:00:00Z');
  expect(isoSeconds(new Date(ms))).toBe('2026-01-01T01:00:00Z');
});

test('isoSeconds keeps six-digit and negative years whole', () => {
  expect(isoSeconds(8.64e15)).toBe('+275760-09-13T00:00:00Z');
  expect(isoSeconds(Date.UTC(-1, 0, 1, 0, 0, 0, 500))).toBe('-000001-01-01T00:00:00Z');
});
