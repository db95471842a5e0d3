import { sign } from 'node:crypto';
import { promisify } from 'node:util';
import type { SigningKey } from './keys.js';

/** crypto.sign with a callback runs in libuv's thread pool: RSA no longer blocks the event loop. */
export const signAsync = promisify(sign);

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A JWS compact serialisation (RFC 7515 §7.1) signed with node:crypto and the key's own KeyObject.
 * jose's SignJWT goes through WebCrypto, whose per-call key import and job dispatch cost as much as
 * the RSA signature itself (bench/REPORT.md, "mint ID token"); verifiers are unaffected: the bytes
 * are the same JWS. ES256 signatures are the raw r‖s form JWS requires (RFC 7518 §3.4), not DER.
 * Signing runs in the thread pool, so concurrent requests sign on every core.
 */
export async function signJwt(key: SigningKey, header: Record<string, unknown>, payload: Record<string, unknown>): Promise<string> {
  const input = `${b64url({ ...header, alg: key.alg, kid: key.kid })}.${b64url(payload)}`;
  const signature =
    key.alg === 'ES256'
      ? await signAsync('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : await signAsync('sha256', Buffer.from(input), key.privateKey);
  return `${input}.${signature.toString('base64url')}`;
}
