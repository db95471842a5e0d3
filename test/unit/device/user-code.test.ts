import { formatUserCode, newUserCode, normalizeUserCode, USER_CODE_ALPHABET } from '../../../src/device/user-code.js';
import { isS256Challenge, pkceMatches } from '../../../src/device/pkce.js';
import { createHash } from 'node:crypto';

describe('user codes', () => {
  test('10,000 codes: 8 letters of BCDFGHJKLMNPQRSTVWXZ, shown XXXX-XXXX, no duplicates', () => {
    const codes = Array.from({ length: 10_000 }, () => newUserCode());
    for (const code of codes) expect(formatUserCode(code)).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  test('bytes at or above 240 are rejected, not folded onto the alphabet (no modulo bias)', () => {
    const batches = [Buffer.from([240, 255, 0, 1, 2, 3, 4, 5]), Buffer.from([19, 20, 239, 250, 6, 7, 8, 9])];
    const code = newUserCode(() => batches.shift()!);
    // 0..5 → B C D F G H, then 19 → Z, 20 → B (20 mod 20), 239 → Z (239 mod 20 = 19); 240, 250, 255 dropped.
    expect(code).toBe('BCDFGHZB');
    expect(USER_CODE_ALPHABET).toHaveLength(20);
  });

  test.each(['bcdf ghjk', 'BCDF-GHJK', 'bcdfghjk', ' bCdF–gHjK ', 'B.C.D.F G.H.J.K'])('"%s" normalises to BCDFGHJK', (input) => {
    expect(normalizeUserCode(input)).toBe('BCDFGHJK');
  });

  test.each(['', 'BCDF-GHJ', 'BCDF-GHJKL', 'ABCD-EFGH', 'BCDF-GHJ1', 'x'.repeat(100), 12345678, undefined, ['BCDFGHJK']])(
    '%p is no code',
    (input) => {
      expect(normalizeUserCode(input)).toBeUndefined();
    },
  );
});

describe('PKCE S256', () => {
  const verifier = 'a'.repeat(43);
  const challenge = createHash('sha256').update(verifier).digest('base64url');

  test('the verifier must hash to the challenge', () => {
    expect(isS256Challenge(challenge)).toBe(true);
    expect(pkceMatches(challenge, verifier)).toBe(true);
    expect(pkceMatches(challenge, 'b'.repeat(43))).toBe(false);
    expect(pkceMatches(challenge, undefined)).toBe(false);
  });

  test('a verifier outside RFC 7636 §4.1 (too short, bad characters) never matches', () => {
    const short = 'a'.repeat(42);
    expect(pkceMatches(createHash('sha256').update(short).digest('base64url'), short)).toBe(false);
  });

  test('without a challenge no verifier may be sent', () => {
    expect(pkceMatches(undefined, undefined)).toBe(true);
    expect(pkceMatches(undefined, verifier)).toBe(false);
  });
});
