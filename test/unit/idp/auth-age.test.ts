import { authAgeSeconds } from '../../../src/idp/identity.js';

/** Every recency decision (elevated roles' MFA, device approval) reads the IdP's authentication time through this. */
describe('authAgeSeconds', () => {
  const now = Date.UTC(2026, 0, 1, 12);

  test('is the seconds since the IdP-asserted authentication', () => {
    expect(authAgeSeconds({ authTime: now / 1000 - 90 }, now)).toBe(90);
  });

  test('is never negative: a time ahead of our clock is "just now", not extra recency', () => {
    expect(authAgeSeconds({ authTime: now / 1000 + 20 }, now)).toBe(0);
  });

  test('is infinite when the IdP did not say when the user authenticated', () => {
    expect(authAgeSeconds({}, now)).toBe(Infinity);
  });

  test('is infinite when the time is not a number: never recent enough, rather than never too old', () => {
    expect(authAgeSeconds({ authTime: NaN }, now)).toBe(Infinity);
  });
});
