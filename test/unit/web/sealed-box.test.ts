import { SealedBox } from '../../../src/web/sealed-box.js';

const OLD = 'o'.repeat(32);
const NEW = 'n'.repeat(32);

describe('SealedBox', () => {
  test('opens what it sealed, and the token does not show the value', () => {
    const box = new SealedBox([NEW], 'login-flow');
    const token = box.seal({ nonce: 'secret-nonce' });
    expect(token).not.toContain('secret-nonce');
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('secret-nonce');
    expect(box.open(token)).toEqual({ nonce: 'secret-nonce' });
  });

  test('an altered token, garbage, or a token sealed for another purpose does not open', () => {
    const box = new SealedBox([NEW], 'login-flow');
    const token = box.seal({ idp: 'corp' });
    const raw = Buffer.from(token, 'base64url');
    raw[raw.length - 20]! ^= 1;
    expect(box.open(raw.toString('base64url'))).toBeUndefined();
    expect(box.open('')).toBeUndefined();
    expect(box.open('not a token at all')).toBeUndefined();
    expect(new SealedBox([NEW], 'something-else').open(token)).toBeUndefined();
  });

  test('rotation: the first secret seals, every listed one opens, a dropped one no longer does', () => {
    const sealedWithOld = new SealedBox([OLD], 'login-flow').seal({ n: 1 });
    expect(new SealedBox([NEW, OLD], 'login-flow').open(sealedWithOld)).toEqual({ n: 1 });
    expect(new SealedBox([NEW], 'login-flow').open(sealedWithOld)).toBeUndefined();
  });
});
