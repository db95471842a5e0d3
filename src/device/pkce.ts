import { createHash } from 'node:crypto';
import { sameSecret } from '../secret-compare.js';

/**
 * PKCE (RFC 7636) bound to a device authorization: the CLI sends an S256 challenge when it starts,
 * and must show the verifier when it redeems the device code. A device code that leaks (a shell
 * history, a log) is then worthless without the verifier, which never left the CLI's memory.
 */

/** RFC 7636 §4.1/§4.2: 43–128 unreserved characters; an S256 challenge is exactly 43. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export function isS256Challenge(value: string): boolean {
  return S256_CHALLENGE.test(value);
}

/** Whether `verifier` matches the stored challenge; with no challenge stored, no verifier may be sent. */
export function pkceMatches(challenge: string | undefined, verifier: string | undefined): boolean {
  if (challenge === undefined) return verifier === undefined;
  if (verifier === undefined || !VERIFIER.test(verifier)) return false;
  return sameSecret(createHash('sha256').update(verifier).digest('base64url'), challenge);
}
