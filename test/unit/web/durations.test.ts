import { checkDuration, formatDuration } from '../../../src/issuance/durations.js';
import { durationFromForm, durationOptions } from '../../../src/web/durations.js';

describe('session durations', () => {
  test('options are clamped to the role maximum and include it', () => {
    expect(durationOptions(3600).map((o) => o.seconds)).toEqual([900, 1800, 3600]);
    expect(durationOptions(5400).map((o) => o.seconds)).toEqual([900, 1800, 3600, 5400]);
    expect(durationOptions(43200).find((o) => o.selected)?.seconds).toBe(3600);
    expect(durationOptions(900).find((o) => o.selected)?.seconds).toBe(900);
  });

  test('options stop at the step below what is left of the session, and are none under 900 s left', () => {
    const offered = (max: number, left: number) => durationOptions(max, 'en', left).map((o) => `${o.seconds}${o.selected ? '*' : ''}`);
    expect(offered(43200, 43200)).toEqual(['900', '1800', '3600*', '7200', '14400', '28800', '43200']);
    expect(offered(43200, 10_000)).toEqual(['900', '1800', '3600*', '7200']);
    expect(offered(43200, 3599)).toEqual(['900', '1800*']);
    // The role's own odd maximum is offered when the session lasts that long, not otherwise.
    expect(offered(5400, 5400)).toEqual(['900', '1800', '3600*', '5400']);
    expect(offered(5400, 5399)).toEqual(['900', '1800', '3600*']);
    expect(offered(43200, 899)).toEqual([]);
  });

  test('a posted duration outside 900 s … max is refused, not clamped', () => {
    expect(checkDuration(durationFromForm('3600'), 3600)).toBe(3600);
    for (const bad of ['899', '3601', '-1', '1e4', '', '3600.5', undefined, ['3600']]) {
      expect(() => checkDuration(durationFromForm(bad), 3600)).toThrow(expect.objectContaining({ code: 'ERR_DURATION_INVALID' }));
    }
  });

  test('a JSON number of seconds is checked the same way, whole seconds only', () => {
    expect(checkDuration(1800, 3600)).toBe(1800);
    for (const bad of [899, 3601, -1, 1800.5, Number.NaN, undefined]) {
      expect(() => checkDuration(bad, 3600)).toThrow(expect.objectContaining({ code: 'ERR_DURATION_INVALID' }));
    }
  });

  test('labels read naturally', () => {
    expect([900, 3600, 5400, 43200].map(formatDuration)).toEqual(['15 min', '1 h', '1 h 30 min', '12 h']);
    // To the nearest minute, carried into the hours: never `1 h 60 min`.
    expect([7180, 3590, 5430].map(formatDuration)).toEqual(['2 h', '1 h', '1 h 31 min']);
  });
});
