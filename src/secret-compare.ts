import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Whether two secrets (a token, a password, a PKCE challenge) are equal, in time that depends on
 * neither: both are hashed first, so not even their lengths can be told apart by timing.
 */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => hash('sha256', s, 'buffer');
  return timingSafeEqual(digest(a), digest(b));
}
