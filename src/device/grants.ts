import type { Clock } from '../clock.js';
import type { BridgeConfig } from '../config/index.js';
import { BridgeError, sentence } from '../errors.js';
import type { Store } from '../store/index.js';
import type { DeviceClient } from './client.js';
import {
  judgeDecision,
  judgePoll,
  type ApprovedGrant,
  type Decision,
  type DecisionRefusal,
  type DeviceGrant,
  type PollVerdict,
} from './grant.js';
import { pkceMatches } from './pkce.js';
import { newSecret, secretHash } from './secrets.js';
import { claimUpstreamRefreshToken, releaseUpstreamRefreshToken } from './upstream-refresh.js';
import { newUserCode } from './user-code.js';

/**
 * Stored grants outlive their codes by this much, so a CLI polling just after expiry hears
 * `expired_token` (and stops) rather than the puzzling `invalid_grant`.
 */
const EXPIRED_GRACE_SECONDS = 300;
const USER_CODE_TRIES = 5;

const grantKey = (deviceCodeHash: string) => `device:grant:${deviceCodeHash}`;
const userCodeKey = (userCodeHash: string) => `device:user-code:${userCodeHash}`;

/** The user code's entry: which grant it names (by the device code's hash, never the code). */
interface UserCodeEntry {
  deviceCodeHash: string;
}

/** What the CLI is told once (RFC 8628 §3.2); only hashes of the two codes are stored. */
export interface StartedAuthorization {
  deviceCode: string;
  userCode: string;
  expiresIn: number;
  interval: number;
}

export type UserCodeOutcome = { ok: true; grant: DeviceGrant } | { ok: false; why: 'unknown' | DecisionRefusal };
/**
 * A real user code whose grant is gone: the CLI redeemed it (the code's entry outlives its grant).
 * "Already used", which gives the attempt back: only a code the bridge never issued is a guess.
 */
const REDEEMED: UserCodeOutcome = { ok: false, why: 'already-decided' };

/** Device authorizations over the store: started by the CLI, decided in the browser, redeemed once. */
export class DeviceGrants {
  constructor(private readonly deps: { store: Store; clock: Clock; settings: BridgeConfig['device'] }) {}

  async start(client: DeviceClient, codeChallenge: string | undefined): Promise<StartedAuthorization> {
    const { store, clock, settings } = this.deps;
    const deviceCode = newSecret();
    const deviceCodeHash = secretHash(deviceCode);
    const ttl = settings.userCodeTtlSeconds + EXPIRED_GRACE_SECONDS;
    // Two live grants must never share a user code; `insert` claims one atomically.
    for (let i = 0; i < USER_CODE_TRIES; i++) {
      const userCode = newUserCode();
      const userCodeHash = secretHash(userCode);
      if (!(await store.insert(userCodeKey(userCodeHash), { deviceCodeHash } satisfies UserCodeEntry, ttl))) continue;
      const now = clock.now();
      const grant: DeviceGrant = {
        client,
        codeChallenge,
        userCodeHash,
        createdAt: now,
        expiresAt: now + settings.userCodeTtlSeconds * 1000,
        interval: settings.interval,
        status: 'pending',
      };
      await store.upsert(grantKey(deviceCodeHash), grant, ttl);
      return { deviceCode, userCode, expiresIn: settings.userCodeTtlSeconds, interval: settings.interval };
    }
    // Only reachable when a large share of all codes is live at once: a flood, not a user.
    throw new BridgeError('ERR_UNAVAILABLE', { detail: { reason: 'no free user code' } });
  }

  /** The pending grant a (canonical) user code names, for the confirmation page. */
  async lookup(userCode: string): Promise<UserCodeOutcome> {
    const entry = await this.deps.store.find<UserCodeEntry>(userCodeKey(secretHash(userCode)));
    if (!entry) return { ok: false, why: 'unknown' };
    const grant = await this.deps.store.find<DeviceGrant>(grantKey(entry.deviceCodeHash));
    if (!grant) return REDEEMED;
    if (this.deps.clock.now() >= grant.expiresAt) return { ok: false, why: 'expired' };
    if (grant.status !== 'pending') return { ok: false, why: 'already-decided' };
    return { ok: true, grant };
  }

  /** Records the signed-in user's approval (binding their identity to the grant) or denial. */
  async decide(userCode: string, decision: Decision): Promise<UserCodeOutcome> {
    const entry = await this.deps.store.find<UserCodeEntry>(userCodeKey(secretHash(userCode)));
    if (!entry) return { ok: false, why: 'unknown' };
    const now = this.deps.clock.now();
    let refusal: DecisionRefusal | undefined;
    const grant = await this.deps.store.update<DeviceGrant>(grantKey(entry.deviceCodeHash), (current) => {
      const judged = judgeDecision(current, decision, now);
      refusal = typeof judged === 'string' ? judged : undefined;
      return typeof judged === 'string' ? current : judged;
    });
    if (!grant) return REDEEMED;
    return refusal ? { ok: false, why: refusal } : { ok: true, grant };
  }

  /**
   * Claims an IdP refresh token for one approval. Each CLI session needs one of its own (IdPs that
   * rotate them revoke a token used twice), and the browser session that holds it is read by every
   * request before any of them saves it: two approvals posted at once would both take it, and a
   * request that read it before an approval may save it back after. The claim lasts as long as the
   * browser session that holds the token may (`holderSeconds`); false when another approval of the
   * same browser sign-in (`signInId`) has it. The same token from another sign-in is the IdP
   * handing out one token per user, not per sign-in: sharing it is the IdP's choice, and refusing
   * would send the user through the IdP for the same token again and again.
   */
  claimUpstreamRefreshToken(token: string, signInId: string, holderSeconds: number): Promise<boolean> {
    return claimUpstreamRefreshToken(this.deps.store, token, signInId, holderSeconds);
  }

  /** Gives a claimed token back when the approval it was claimed for did not happen. */
  releaseUpstreamRefreshToken(token: string, signInId: string): Promise<void> {
    return releaseUpstreamRefreshToken(this.deps.store, token, signInId);
  }

  /**
   * One poll of the token endpoint. Returns the approved grant to exactly one caller (the store's
   * atomic consume decides between concurrent polls); every other outcome throws its RFC 8628 error.
   */
  async redeem(input: { deviceCode: string; clientId: string; codeVerifier?: string }): Promise<ApprovedGrant> {
    const key = grantKey(secretHash(input.deviceCode));
    const stored = await this.deps.store.find<DeviceGrant>(key);
    if (!stored || stored.client.clientId !== input.clientId) throw deviceCodeInvalid();
    // Checked before anything is recorded: a poller without the verifier cannot even slow the real one down.
    if (!pkceMatches(stored.codeChallenge, input.codeVerifier)) {
      throw new BridgeError('ERR_DEVICE_PKCE_MISMATCH', { userMessage: sentence('err.ERR_DEVICE_PKCE_MISMATCH') });
    }
    const now = this.deps.clock.now();
    let verdict = 'authorization_pending' as PollVerdict;
    const polled = await this.deps.store.update<DeviceGrant>(key, (current) => {
      const judged = judgePoll(current, now);
      verdict = judged.verdict;
      return judged.next;
    });
    if (!polled) throw deviceCodeInvalid();
    if (verdict !== 'approved') throw pollError(verdict, polled.interval);
    const consumed = await this.deps.store.consume<DeviceGrant>(key);
    if (consumed?.status !== 'approved' || !consumed.identity) throw deviceCodeInvalid();
    return consumed as ApprovedGrant;
  }
}

function deviceCodeInvalid(): BridgeError {
  return new BridgeError('ERR_DEVICE_CODE_INVALID', {
    userMessage: sentence('err.ERR_DEVICE_CODE_INVALID'),
    hint: sentence('hint.runLoginAgain'),
  });
}

function pollError(verdict: Exclude<PollVerdict, 'approved'>, interval: number): BridgeError {
  switch (verdict) {
    case 'authorization_pending':
      return new BridgeError('ERR_DEVICE_AUTHORIZATION_PENDING', { userMessage: sentence('err.ERR_DEVICE_AUTHORIZATION_PENDING') });
    case 'slow_down':
      return new BridgeError('ERR_DEVICE_SLOW_DOWN', {
        userMessage: sentence('err.ERR_DEVICE_SLOW_DOWN', { seconds: interval }),
      });
    case 'access_denied':
      return new BridgeError('ERR_DEVICE_ACCESS_DENIED', { userMessage: sentence('err.ERR_DEVICE_ACCESS_DENIED') });
    case 'expired_token':
      return new BridgeError('ERR_DEVICE_CODE_EXPIRED', {
        userMessage: sentence('err.ERR_DEVICE_CODE_EXPIRED'),
        hint: sentence('hint.runLoginAgain'),
      });
  }
}
