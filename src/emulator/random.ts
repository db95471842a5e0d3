import { randomBytes } from 'node:crypto';

/** Randomness is injected so tests can make identifiers predictable when they need to. */
export interface Random {
  bytes(size: number): Buffer;
}

export const cryptoRandom: Random = { bytes: (size) => randomBytes(size) };

/** An Alibaba-style RequestId: an upper-case UUID v4 (`6894B13B-6D71-4EF5-88FA-F32781734A7F`). */
export function newRequestId(random: Random): string {
  const b = random.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex').toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An unguessable opaque value (256 bits unless told otherwise), URL-safe. */
export function newSecret(random: Random, bytes = 32): string {
  return random.bytes(bytes).toString('base64url');
}

const KEY_ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** An STS AccessKeyId: `STS.` and 24 alphanumerics, like the real ones. */
export function newStsAccessKeyId(random: Random): string {
  // 256 is not a multiple of the alphabet size; rejection sampling keeps every symbol equally likely.
  const limit = 256 - (256 % KEY_ID_ALPHABET.length);
  let id = '';
  while (id.length < 24) {
    for (const byte of random.bytes(32)) {
      if (byte < limit && id.length < 24) id += KEY_ID_ALPHABET[byte % KEY_ID_ALPHABET.length];
    }
  }
  return `STS.${id}`;
}
