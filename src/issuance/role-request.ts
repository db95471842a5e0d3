import type { Context } from 'koa';
import { CHAIN_MAX_SECONDS, JUSTIFICATION_MAX_LENGTH, type BridgeConfig, type Role } from '../config/index.js';
import { BridgeError } from '../errors.js';
import { authAgeSeconds, hasMfa, type Identity } from '../idp/identity.js';
import type { RoleChoice } from '../mapping/index.js';
import { parseDuration } from '../web/durations.js';
import type { RoleRequest } from '../web/role-actions.js';

/**
 * The longest session a role can get — what the picker and `/api/roles` offer, and what a request
 * is checked against: its own maximum, capped by STS for a chained role and by policy when elevated.
 */
export function maxDuration(role: Role, elevation: BridgeConfig['elevation']): number {
  return Math.min(
    role.maxSessionDuration,
    role.via === 'chain' ? CHAIN_MAX_SECONDS : Infinity,
    role.elevated ? elevation.maxSessionDuration : Infinity,
  );
}

/**
 * Turns a posted role choice into a checked request. Nothing posted is trusted: the role must be
 * among those computed for this user now (a forged id or ARN is refused), the duration within the
 * role's bounds, and an elevated role needs a recent second factor and a written justification.
 */
export function checkRoleRequest(
  body: Record<string, unknown>,
  identity: Identity,
  choices: RoleChoice[],
  config: BridgeConfig,
  now: number,
  log: { warn(obj: object, msg: string): void },
): RoleRequest {
  // A JSON body can send anything as `role`; only a string names a role (String() of an object
  // can throw, and would make a 500 of a bad request).
  if (typeof body.role !== 'string') throw new BridgeError('ERR_BAD_REQUEST', { userMessage: 'Say which role you want.' });
  const requested = body.role;
  const choice = choices.find((c) => c.role.id === requested);
  if (!choice) {
    log.warn({ event: 'role-refused', requested: requested.slice(0, 200) }, 'role not granted');
    throw roleNotGranted();
  }
  const { role } = choice;
  const durationSeconds = parseDuration(body.duration, maxDuration(role, config.elevation));
  const request: RoleRequest = { identity, choice, durationSeconds };
  if (role.elevated) {
    const authAge = authAgeSeconds(identity, now);
    if (!hasMfa(identity) || authAge > config.elevation.mfaMaxAgeSeconds) {
      throw new BridgeError('ERR_ELEVATION_MFA_REQUIRED', {
        userMessage: 'This role needs a recent sign-in with a second factor.',
        hint: `Sign in again with MFA (within the last ${Math.round(config.elevation.mfaMaxAgeSeconds / 60)} minutes), then retry.`,
        detail: { amr: identity.amr, authAgeSeconds: authAge },
      });
    }
    const justification = typeof body.justification === 'string' ? body.justification.trim() : '';
    if (justification.length < config.elevation.minJustificationLength) {
      throw new BridgeError('ERR_JUSTIFICATION_REQUIRED', {
        userMessage: `Say why you need this elevated role (at least ${config.elevation.minJustificationLength} characters).`,
      });
    }
    if (justification.length > JUSTIFICATION_MAX_LENGTH) {
      throw new BridgeError('ERR_JUSTIFICATION_TOO_LONG', {
        userMessage: `Keep the reason for this elevated role to at most ${JUSTIFICATION_MAX_LENGTH} characters.`,
        detail: { length: justification.length },
      });
    }
    request.justification = justification;
  }
  return request;
}

export function roleNotGranted(): BridgeError {
  return new BridgeError('ERR_ROLE_NOT_GRANTED', {
    userMessage: 'You do not have this role.',
    hint: 'Pick one of the roles on your role page, or ask your administrator for access.',
  });
}

/** The client address for audit records (behind a proxy only when `trustProxy` is on). */
export function clientIp(ctx: Context): string {
  return ctx.ip;
}
