import type { ConnectorData } from '../idp/connector.js';
import { identityKey, type Identity } from '../idp/identity.js';
import type { UserCodeAttempts } from './attempts.js';
import type { DeviceGrant } from './grant.js';
import type { DeviceGrants, UserCodeOutcome } from './grants.js';
import { normalizeUserCode } from './user-code.js';

/** Why a submitted user code was refused; `unknown` covers wrong and malformed alike. */
export type ApprovalRefusal = Exclude<UserCodeOutcome, { ok: true }>['why'];

/** What the browser posted to the verification page: a code alone, or a code with a decision. */
export interface ApprovalInput {
  user: Identity;
  userCode: unknown;
  decision: 'approve' | 'deny' | undefined;
  /** The browser session's connector data: an approval hands its IdP refresh token to the grant. */
  connectorData?: ConnectorData;
  /** The browser sign-in's random id, which the IdP refresh token is claimed under. */
  signInId: string;
}

export type ApprovalResult =
  | { kind: 'refused'; why: ApprovalRefusal }
  /** A code alone names a pending grant: the page asks the user to confirm (`userCode` is canonical). */
  | { kind: 'confirm'; grant: DeviceGrant; userCode: string }
  | { kind: 'decided'; approved: boolean; grant: DeviceGrant }
  /** Another approval of this sign-in took its IdP refresh token: the browser must fetch a new one at the IdP. */
  | { kind: 'refresh-token-taken' };

/**
 * The verification page's use case (RFC 8628 §3.3): every submitted code, on the entry form or
 * with a decision, first reserves a guessing slot; a code that names a real grant gives it back.
 * An approval claims the browser sign-in's IdP refresh token for the grant it creates, and gives
 * it back when the approval does not happen.
 */
export class DeviceApprovals {
  constructor(
    private readonly deps: {
      grants: DeviceGrants;
      attempts: UserCodeAttempts;
      /** How long a browser session that holds an IdP refresh token may live (the claim lasts as long). */
      browserSessionSeconds: number;
    },
  ) {}

  async submit(input: ApprovalInput): Promise<ApprovalResult> {
    const { grants, attempts, browserSessionSeconds } = this.deps;
    const { user, decision, signInId } = input;
    const slots = await attempts.reserve(identityKey(user));
    const code = normalizeUserCode(input.userCode);
    if (!code) return { kind: 'refused', why: 'unknown' };
    const refreshToken = decision === 'approve' ? input.connectorData?.refreshToken : undefined;
    const claimed = refreshToken === undefined || (await grants.claimUpstreamRefreshToken(refreshToken, signInId, browserSessionSeconds));
    if (!claimed) {
      await attempts.release(slots);
      return { kind: 'refresh-token-taken' };
    }
    const outcome =
      decision === undefined
        ? await grants.lookup(code)
        : await grants.decide(
            code,
            decision === 'approve' ? { approve: true, identity: user, connectorData: input.connectorData } : { approve: false },
          );
    // Only a code that names no grant was a guess; a real one gives its attempt back.
    if (outcome.ok || outcome.why !== 'unknown') await attempts.release(slots);
    if (!outcome.ok) {
      if (refreshToken) await grants.releaseUpstreamRefreshToken(refreshToken, signInId);
      return { kind: 'refused', why: outcome.why };
    }
    if (decision === undefined) return { kind: 'confirm', grant: outcome.grant, userCode: code };
    return { kind: 'decided', approved: decision === 'approve', grant: outcome.grant };
  }
}
