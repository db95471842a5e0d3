import { randomBytes } from 'node:crypto';

/**
 * User codes as RFC 8628 §6.1 suggests: 8 characters of a 20-letter alphabet without vowels (no
 * words, no 0/O or 1/I confusion), shown as `XXXX-XXXX`. 20^8 ≈ 2^34.5 codes; with at most 5
 * wrong guesses per user per window (§5.1) a guess succeeds with probability about 2^-32.
 */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const LENGTH = 8;
// The largest multiple of 20 below 256: bytes at or above it are rejected so no letter is likelier.
const UNBIASED_LIMIT = 256 - (256 % USER_CODE_ALPHABET.length);

/** A fresh code in canonical form (8 letters, no dash). */
export function newUserCode(random: (size: number) => Buffer = randomBytes): string {
  let code = '';
  while (code.length < LENGTH) {
    for (const byte of random(LENGTH)) {
      if (byte < UNBIASED_LIMIT && code.length < LENGTH) code += USER_CODE_ALPHABET[byte % USER_CODE_ALPHABET.length];
    }
  }
  return code;
}

/**
 * What a person typed, in canonical form: upper-cased, everything but letters dropped, so
 * `abcd wxyz`, `ABCD-WXYZ` and `abcdwxyz` are the same code. Undefined when the result cannot be
 * a code at all (wrong length, a letter outside the alphabet).
 */
export function normalizeUserCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 64) return undefined;
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '');
  if (letters.length !== LENGTH) return undefined;
  return [...letters].every((c) => USER_CODE_ALPHABET.includes(c)) ? letters : undefined;
}

/** The display form, `XXXX-XXXX`. */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}
