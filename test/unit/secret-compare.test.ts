import { sameSecret } from '../../src/secret-compare.js';

test('sameSecret: equal strings only, whatever their lengths (nothing throws on a length mismatch)', () => {
  expect(sameSecret('s3cret-token', 's3cret-token')).toBe(true);
  expect(sameSecret('s3cret-token', 's3cret-tokem')).toBe(false);
  expect(sameSecret('s3cret', 's3cret-token')).toBe(false);
  expect(sameSecret('', '')).toBe(true);
  expect(sameSecret('', 'x')).toBe(false);
  expect(sameSecret('é', 'e\u0301')).toBe(false); // compared as written, not normalised
});
