import { BridgeError, sentence } from '../../errors.js';

/**
 * Times openid-client leaves unchecked. It bounds `iat` only in the hybrid flow and `auth_time`
 * only from below (max_age), so an IdP clock running ahead would hand us a token "issued" in
 * the future, and an `auth_time` in the future makes every age computed from it negative: an
 * elevated role would see a "recent" second factor for as long as the IdP's clock is ahead.
 */
export function refuseFutureTimes(claims: Record<string, unknown>, now: number, toleranceSeconds: number): void {
  const latest = now / 1000 + toleranceSeconds;
  for (const name of ['iat', 'auth_time'] as const) {
    const value = claims[name];
    if (value === undefined && name === 'auth_time') continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value > latest) {
      throw new BridgeError('ERR_AUTH_TOKEN_INVALID', {
        hint: sentence('hint.clock'),
        detail: { reason: `${name} is missing or in the future`, [name]: value, now: Math.floor(now / 1000), toleranceSeconds },
      });
    }
  }
}
