import { hash, randomBytes } from 'node:crypto';

/**
 * A bearer secret for the device flow (device_code, refresh token): 256 bits from the CSPRNG,
 * base64url. RFC 8628 §5.2 asks for a device code that cannot be guessed; 128 bits is the floor.
 */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The store key for a secret: its SHA-256, so a copy of the store (a backup, a Redis replica)
 * yields no working device code, user code or refresh token (fosite does the same). The secrets
 * hashed here have 256 bits of entropy, except user codes, which are worth nothing once their ten
 * minutes are up and can only ever be used by someone signed in to approve them.
 */
export function secretHash(secret: string): string {
  return hash('sha256', secret, 'base64url');
}
