import { CHAIN_MAX_SECONDS, DURATION_BOUNDS, JUSTIFICATION_MAX_LENGTH, type BridgeConfig, type Role } from '../config/index.js';
import { BridgeError, sentence } from '../errors.js';
import { authAgeSeconds, hasMfa, type Identity } from '../idp/identity.js';
import type { RoleChoice } from '../mapping/index.js';
import { checkDuration } from './durations.js';

type ElevationSettings = BridgeConfig['elevation'];

/**
 * What a user asks for, from the picker's form (src/web/role-form.ts) or the API's JSON
 * (src/web/routes/api.ts): typed, but not yet checked against anything.
 */
export interface RoleRequest {
  roleId: string;
  /** Missing, or not a whole number of seconds, when the caller sent no usable length. */
  durationSeconds?: number;
  justification?: string;
}

/** A role request that passed every check: role held now, duration in range, elevation rules met. */
export interface CheckedRoleRequest {
  identity: Identity;
  choice: RoleChoice;
  /** What STS is asked for: the duration requested, cut short where the session that asks ends sooner. */
  durationSeconds: number;
  /** The duration requested, when the session's end cut it short (kept in the audit record and as the user's last duration). */
  requestedDurationSeconds?: number;
  /** Required for elevated roles; kept in the audit record. */
  justification?: string;
}

/**
 * The longest session a role can get, what a request is checked against: its own maximum, capped by
 * STS for a chained role and by policy when elevated. What the picker offers is this, cut to what is
 * left of the session that asks (less OFFER_MARGIN_SECONDS), as `maxDurationNow` is.
 */
export function maxDuration(role: Role, elevation: ElevationSettings): number {
  return Math.min(
    role.maxSessionDuration,
    role.via === 'chain' ? CHAIN_MAX_SECONDS : Infinity,
    role.elevated ? elevation.maxSessionDuration : Infinity,
  );
}

/** What is left of the session that asks (`endsAt`, ms), in whole seconds: nothing issued outlives it. */
export function secondsLeft(session: { now: number; endsAt: number }): number {
  return Math.floor((session.endsAt - session.now) / 1000);
}

/**
 * How far short of what is left of the session the lengths offered stop (the picker, the launch
 * page, `/api/roles`' `maxDurationNow`). What is left shrinks by the second: a length equal to it
 * would already be cut when the user presses the button (or the CLI asks) a moment later, or
 * refused at 900 s, so what is offered leaves a minute.
 */
export const OFFER_MARGIN_SECONDS = 60;

/** The longest length to offer now: what is left of the session, less OFFER_MARGIN_SECONDS (under 900 s: none). */
export function offerableSeconds(session: { now: number; endsAt: number }): number {
  return secondsLeft(session) - OFFER_MARGIN_SECONDS;
}

/**
 * The most the session that asks can get of a role now, as offered: its `maxDuration`, cut to what
 * is left of the session less OFFER_MARGIN_SECONDS; 0 when that is under STS's minimum (900 s) and
 * only a new sign-in helps (`maxDurationNow` in `GET /api/roles`).
 */
export function maxDurationNow(role: Role, elevation: ElevationSettings, session: { now: number; endsAt: number }): number {
  const offerable = offerableSeconds(session);
  return offerable < DURATION_BOUNDS.min ? 0 : Math.min(maxDuration(role, elevation), offerable);
}

/** ERR_NOT_SIGNED_IN for a session with under STS's minimum (900 s) left, `leftSeconds`: too soon for anything. */
export function sessionEnding(leftSeconds: number): BridgeError {
  return new BridgeError('ERR_NOT_SIGNED_IN', {
    userMessage: sentence('err.ERR_NOT_SIGNED_IN.sessionEnding', { minutes: Math.max(1, Math.floor(leftSeconds / 60)) }),
    hint: sentence('hint.signOutIn'),
    detail: { reason: 'session-ending', leftSeconds },
  });
}

/**
 * What the picker and the launch page say when under STS's minimum (900 s) may be offered of the
 * session (what is left less OFFER_MARGIN_SECONDS): `sessionEnding` once under 900 s are left. In
 * the minute before (900–959 s left) a request sent at once is still granted (`checkRoleRequest`),
 * but nothing is offered, and the sentence says that, not "ends in 15 min: too soon for credentials,
 * which last at least 15 min".
 */
export function nothingToOffer(leftSeconds: number): BridgeError {
  if (leftSeconds < DURATION_BOUNDS.min) return sessionEnding(leftSeconds);
  return new BridgeError('ERR_NOT_SIGNED_IN', {
    userMessage: sentence('err.ERR_NOT_SIGNED_IN.sessionEndingOffer', { minutes: Math.floor(leftSeconds / 60) + 1 }),
    hint: sentence('hint.signOutIn'),
    detail: { reason: 'session-ending', leftSeconds },
  });
}

/**
 * Checks a role request. Nothing sent is trusted: the role must be among those computed for this
 * user now (a forged id or ARN is refused), the duration within the role's bounds, and an elevated
 * role needs a recent second factor and a written justification.
 *
 * Credentials never outlive the session that asks for them (`sessionEndsAt`: the browser session's
 * or the CLI session's end, which an IdP's SessionNotOnOrAfter brings forward): the duration is cut
 * to what is left of it. Less than STS's minimum (900 s) left is refused as ERR_NOT_SIGNED_IN, as a
 * pass-through role's spent ID token is: only a new sign-in helps, and the CLI offers one. That
 * comes before the duration's check, so a client that asks for what it was offered
 * (`maxDurationNow` 0) hears why, not that its duration is invalid.
 */
export function checkRoleRequest(
  request: RoleRequest,
  identity: Identity,
  choices: readonly RoleChoice[],
  elevation: ElevationSettings,
  session: { now: number; endsAt: number },
  log: { warn(obj: object, msg: string): void },
): CheckedRoleRequest {
  const { now } = session;
  const choice = choices.find((c) => c.role.id === request.roleId);
  if (!choice) throw refuseRole(request.roleId, log);
  const { role } = choice;
  const leftSeconds = secondsLeft(session);
  if (leftSeconds < DURATION_BOUNDS.min) throw sessionEnding(leftSeconds);
  const requested = checkDuration(request.durationSeconds, maxDuration(role, elevation));
  const durationSeconds = Math.min(requested, leftSeconds);
  const checked: CheckedRoleRequest = {
    identity,
    choice,
    durationSeconds,
    ...(durationSeconds < requested ? { requestedDurationSeconds: requested } : {}),
  };
  if (role.elevated) {
    const authAge = authAgeSeconds(identity, now);
    if (!hasMfa(identity) || authAge > elevation.mfaMaxAgeSeconds) {
      throw new BridgeError('ERR_ELEVATION_MFA_REQUIRED', {
        userMessage: sentence('err.ERR_ELEVATION_MFA_REQUIRED'),
        hint: sentence('hint.mfa', { minutes: Math.round(elevation.mfaMaxAgeSeconds / 60) }),
        detail: { amr: identity.amr, authAgeSeconds: authAge },
      });
    }
    const justification = request.justification?.trim() ?? '';
    // The cap first: it is cheap, and what follows reads the text character by character.
    if (justification.length > JUSTIFICATION_MAX_LENGTH) {
      throw new BridgeError('ERR_JUSTIFICATION_TOO_LONG', {
        userMessage: sentence('err.ERR_JUSTIFICATION_TOO_LONG', { count: JUSTIFICATION_MAX_LENGTH }),
        detail: { length: justification.length },
      });
    }
    if (MISLEADING.test(justification)) {
      throw new BridgeError('ERR_JUSTIFICATION_REQUIRED', {
        userMessage: sentence('err.ERR_JUSTIFICATION_REQUIRED.plain'),
      });
    }
    if (visibleLength(justification) < elevation.minJustificationLength) {
      throw new BridgeError('ERR_JUSTIFICATION_REQUIRED', {
        userMessage: sentence('err.ERR_JUSTIFICATION_REQUIRED', { count: elevation.minJustificationLength }),
      });
    }
    checked.justification = justification;
  }
  return checked;
}

/**
 * What a reader cannot trust on a terminal, where reasons are read back from the audit stream: C0
 * and C1 controls other than tab and line breaks (an escape sequence rewrites what is shown), the
 * bidi controls and line separators that reorder or split it, and the invisible format characters
 * (\p{Cf}: zero-width spaces and joiners, BOM, soft hyphen, tag characters) and blank fillers that
 * make two reasons look alike (the set the CLI's `printable` and the device page's
 * `cleanClientText` remove). Refused, so a stored reason never holds one; but for the zero-width
 * joiner and non-joiner where they join (between letters, as Persian and Indic scripts write them, or
 * within an emoji sequence): there they are part of what is drawn.
 */
const MISLEADING =
  /(?![\t\n\r])\p{Cc}|(?![\u200c\u200d])[\p{Cf}\u00ad\u115f\u1160\u2028\u2029\u3164\uffa0\u{e0000}-\u{e007f}]|(?<!\p{L}|\p{M}|\p{Extended_Pictographic}|\p{Emoji_Modifier})[\u200c\u200d]|[\u200c\u200d](?!\p{L}|\p{Extended_Pictographic})/u;
/** A character a reader sees: a letter, digit, symbol or punctuation, but not the blanks among them (Braille blank, Hangul fillers). */
const VISIBLE = /(?![\u2800\p{Default_Ignorable_Code_Point}])[\p{L}\p{N}\p{S}\p{P}]/u;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The length a reader sees, in characters as they are drawn (grapheme clusters: a letter with its
 * accents, an emoji sequence, a CJK character each count once), each run of spaces counting once and
 * anything invisible (zero-width, soft hyphen, fillers, a letter's marks on their own) not at all,
 * so ten zero-width spaces, or one letter under nine accents, are not a reason of ten characters.
 */
function visibleLength(text: string): number {
  let length = 0;
  let afterSpace = false;
  for (const { segment } of graphemes.segment(text)) {
    if (VISIBLE.test(segment)) {
      length += 1;
      afterSpace = false;
    } else if (/^\s+$/.test(segment) && !afterSpace) {
      length += 1;
      afterSpace = true;
    }
  }
  return length;
}

/** A request that names no role (a form or JSON body without a string `role`). */
export function roleNotNamed(): BridgeError {
  return new BridgeError('ERR_BAD_REQUEST', { userMessage: sentence('err.ERR_BAD_REQUEST.role') });
}

/**
 * A role asked for by name that the user is not granted: logged (`role-refused`, what was asked,
 * cut to 200 characters, for an administrator to see what people look for) and answered
 * ERR_ROLE_NOT_GRANTED, which never says whether such a role exists.
 */
export function refuseRole(requested: string, log: { warn(obj: object, msg: string): void }): BridgeError {
  log.warn({ event: 'role-refused', requested: requested.slice(0, 200) }, 'role not granted');
  return roleNotGranted();
}

export function roleNotGranted(): BridgeError {
  return new BridgeError('ERR_ROLE_NOT_GRANTED', {
    userMessage: sentence('err.ERR_ROLE_NOT_GRANTED'),
    hint: sentence('hint.pickRole'),
  });
}
