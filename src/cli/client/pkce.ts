import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636, S256). Binding the device code to a secret only this process knows means
 * a device code seen elsewhere (logs, a shoulder-surfer) cannot be redeemed by anyone else. */
export interface Pkce {
  verifier: string;
  challenge: string;
}

export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
