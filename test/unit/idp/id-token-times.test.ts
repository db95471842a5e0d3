import { idTokenHalfSpent, idTokenTimes } from '../../../src/idp/id-token-times.js';

const jwt = (claims: Record<string, unknown>) =>
  ['{"alg":"RS256"}', JSON.stringify(claims), 'sig'].map((part, i) => (i < 2 ? Buffer.from(part).toString('base64url') : part)).join('.');
const NOW = 1_800_000_000_000;
const s = (ms: number) => Math.floor(ms / 1000);

describe('the kept upstream ID token’s lifetime', () => {
  test('half spent: counted on our clock from when it was received, against its own lifetime', () => {
    const token = jwt({ iat: s(NOW), exp: s(NOW) + 300 });
    expect(idTokenHalfSpent(token, NOW, NOW + 149_000)).toBe(false);
    expect(idTokenHalfSpent(token, NOW, NOW + 150_000)).toBe(true);
  });

  test('an IdP whose clock is behind ours does not make a fresh token look spent (no endless trips to the IdP)', () => {
    const token = jwt({ iat: s(NOW) - 600, exp: s(NOW) - 300 });
    expect(idTokenHalfSpent(token, NOW, NOW + 1000)).toBe(false);
  });

  test('without iat it is spent once expired; not a JWT, or without exp, it is spent', () => {
    expect(idTokenHalfSpent(jwt({ exp: s(NOW) + 10 }), NOW, NOW)).toBe(false);
    expect(idTokenHalfSpent(jwt({ exp: s(NOW) }), NOW, NOW)).toBe(true);
    expect(idTokenHalfSpent('not-a-jwt', NOW, NOW)).toBe(true);
    expect(idTokenHalfSpent(jwt({ iat: s(NOW) }), NOW, NOW)).toBe(true);
    expect(idTokenTimes(jwt({ iat: 'yesterday', exp: 5 }))).toEqual({ iat: undefined, exp: 5 });
  });
});
