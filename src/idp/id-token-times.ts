import { decodeJwt } from 'jose';

/**
 * The `iat` and `exp` (epoch seconds) of an upstream ID token kept for pass-through roles, read
 * without verifying it: it was verified at sign-in, and STS verifies it again. Undefined when it is
 * not a JWT or has no `exp`.
 */
export function idTokenTimes(token: string): { iat?: number; exp: number } | undefined {
  try {
    const { iat, exp } = decodeJwt(token);
    return typeof exp === 'number' ? { iat: typeof iat === 'number' ? iat : undefined, exp } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a kept ID token, received at `receivedAt`, has spent half its lifetime or more (or cannot
 * be read): too old to hand to a new CLI session, which would find it expired soon after. A new
 * sign-in at the IdP brings a fresh one. The lifetime is the token's own (`exp - iat`) and the time
 * spent is counted on this clock, so an IdP whose clock differs from ours cannot make every token
 * look spent on arrival; without `iat`, it counts as spent once `exp` has passed.
 */
export function idTokenHalfSpent(token: string, receivedAt: number, now: number): boolean {
  const times = idTokenTimes(token);
  if (!times) return true;
  if (times.iat === undefined) return now >= times.exp * 1000;
  return now - receivedAt >= ((times.exp - times.iat) * 1000) / 2;
}
