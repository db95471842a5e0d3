import { createCipheriv } from 'node:crypto';
import { ValueSealer } from '../../../src/store/sealed-values.js';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const OLD = { id: '2026-01', key: key(1) };
const NEW = { id: '2026-07', key: key(2) };

describe('ValueSealer (AES-256-GCM values at rest)', () => {
  test('seals with the first key, hides the plaintext, and opens again', () => {
    const sealer = new ValueSealer([NEW, OLD]);
    const sealed = sealer.seal('cli:session:abc', '{"email":"alice@example.com"}');
    expect(sealed).toMatch(/^\$rb2\.2026-07\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('alice');
    expect(sealer.open('cli:session:abc', sealed)).toBe('{"email":"alice@example.com"}');
  });

  test('a key id with dots (as the configuration allows) opens what it sealed', () => {
    const sealer = new ValueSealer([{ id: '2026.12', key: key(3) }]);
    expect(sealer.open('k', sealer.seal('k', 'v'))).toBe('v');
  });

  test('two seals of one value differ (a fresh nonce each time)', () => {
    const sealer = new ValueSealer([NEW]);
    expect(sealer.seal('k', 'v')).not.toBe(sealer.seal('k', 'v'));
  });

  test('rotation: a value sealed with the old key opens while the old key is still listed, not after', () => {
    const sealedBefore = new ValueSealer([OLD]).seal('k', 'v');
    expect(new ValueSealer([NEW, OLD]).open('k', sealedBefore)).toBe('v');
    expect(new ValueSealer([NEW]).open('k', sealedBefore)).toBeUndefined();
  });

  test.each([
    ['moved under another store key', (s: string) => s, 'other-key'],
    ['one ciphertext byte flipped', (s: string) => s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1)!, 'k'],
    ['truncated', (s: string) => s.slice(0, s.lastIndexOf('.') + 4), 'k'],
    ['an unknown key id', (s: string) => s.replace('.2026-07.', '.2099-01.'), 'k'],
    ['a short nonce', (s: string) => s.replace(/\.([^.]+)\.([^.]+)$/, '.AAAA.$2'), 'k'],
    ['plain JSON (written before encryption was on)', () => '{"email":"alice@example.com"}', 'k'],
  ])('%s: does not open', (_name, tamper, storeKey) => {
    const sealer = new ValueSealer([NEW]);
    expect(sealer.open(storeKey, tamper(sealer.seal('k', '{"sid":"x"}')))).toBeUndefined();
  });

  test('the namespace (the Redis key prefix) is authenticated: a value moved to another store on the same key does not open', () => {
    const staging = new ValueSealer([NEW], 'staging:');
    const production = new ValueSealer([NEW], 'prod:');
    const sealed = staging.seal('session:x', '{"subject":"staging-admin"}');
    expect(staging.open('session:x', sealed)).toBe('{"subject":"staging-admin"}');
    expect(production.open('session:x', sealed)).toBeUndefined();
  });

  test('a value sealed before the namespace was authenticated ($rb1) still opens, with its key alone authenticated', () => {
    // What the previous version wrote: the same form, AAD the store key alone.
    const iv = Buffer.alloc(12, 9);
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(NEW.key, 'base64'), iv);
    cipher.setAAD(Buffer.from('prefs:user:alice'));
    const body = Buffer.concat([cipher.update('{"favourites":["dev"]}', 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const legacy = `$rb1.${NEW.id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    const sealer = new ValueSealer([NEW], 'rambridge:');
    expect(sealer.open('prefs:user:alice', legacy)).toBe('{"favourites":["dev"]}');
    expect(sealer.open('prefs:user:mallory', legacy)).toBeUndefined();
  });

  test('a key that is not 32 bytes is a programming error', () => {
    expect(() => new ValueSealer([{ id: 'x', key: Buffer.alloc(16).toString('base64') }])).toThrow(TypeError);
    expect(() => new ValueSealer([])).toThrow(TypeError);
  });
});
