import { defaultDuration, formatDurationFlag, formatLocalTime, formatRemaining, parseDuration } from '../../../src/cli/client/duration.js';
import { CliError } from '../../../src/cli/client/errors.js';

test.each([
  ['900', 900],
  ['15m', 900],
  ['1h', 3600],
  ['1h30m', 5400],
  ['12h', 43_200],
  [' 2H ', 7200],
  ['90m', 5400],
  ['1h0m30s', 3630],
])('parseDuration(%j) = %d seconds', (input, seconds) => {
  expect(parseDuration(input)).toBe(seconds);
});

test.each(['', 'h', '1x', '1.5h', '-1h', '1m1h', 'soon'])('parseDuration(%j) is a usage error', (input) => {
  expect(() => parseDuration(input)).toThrow(expect.objectContaining({ code: 'ERR_CLI_DURATION_INVALID', exitCode: 2 }));
});

test.each(['899', '14m', '12h1s', '13h'])('parseDuration(%j) is outside what STS allows', (input) => {
  const err = (() => {
    try {
      parseDuration(input);
    } catch (e) {
      return e as CliError;
    }
  })();
  expect(err?.code).toBe('ERR_CLI_DURATION_INVALID');
  expect(err?.hint).toContain('15 minutes to 12 hours');
});

test('formatDurationFlag writes what parseDuration reads', () => {
  for (const seconds of [900, 3600, 5400, 3630, 43_200]) expect(parseDuration(formatDurationFlag(seconds))).toBe(seconds);
  expect(formatDurationFlag(5400)).toBe('1h30m');
});

test('formatRemaining', () => {
  expect(formatRemaining(30_000)).toBe('less than a minute');
  expect(formatRemaining(59 * 60_000 + 59_000)).toBe('59 min');
  expect(formatRemaining(192 * 60_000)).toBe('3 h 12 min');
  expect(formatRemaining(120 * 60_000)).toBe('2 h');
});

test('formatLocalTime: one way in every language, to the minute, in this machine’s time zone', () => {
  expect(formatLocalTime(new Date(2026, 11, 5, 9, 8, 59).getTime())).toBe('2026-12-05 09:08');
});

test('defaultDuration: the last duration chosen while the role allows it (a whole number of seconds), else an hour or the role’s maximum', () => {
  expect(defaultDuration({ maxSessionDuration: 43200 })).toBe(3600);
  expect(defaultDuration({ maxSessionDuration: 43200, lastDuration: 7200 })).toBe(7200);
  expect(defaultDuration({ maxSessionDuration: 3600, lastDuration: 7200 })).toBe(3600);
  expect(defaultDuration({ maxSessionDuration: 1800 })).toBe(1800);
  expect(defaultDuration({ maxSessionDuration: 3600, lastDuration: 900.5 })).toBe(3600);
});
