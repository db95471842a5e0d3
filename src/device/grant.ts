import type { ConnectorData } from '../idp/connector.js';
import type { Identity } from '../idp/identity.js';
import type { DeviceClient } from './client.js';

/**
 * One device authorization (RFC 8628) as stored, under the hash of its device code:
 *
 *   pending ──approve──▶ approved ──first poll──▶ (consumed: tokens issued, record gone)
 *      │  └───deny────▶ denied
 *      └── expiresAt passes in any state ──▶ expired
 *
 * Polls while pending record their time; a poll sooner than `interval` after the last one is
 * answered `slow_down` and adds 5 seconds to the interval (§3.5), enforced here rather than
 * trusted to the client (as dex does).
 */
export interface DeviceGrant {
  client: DeviceClient;
  /** PKCE S256 challenge sent at the start, if any. */
  codeChallenge?: string;
  /** Hash of the user code, so the code can be retired once the user decides. */
  userCodeHash: string;
  createdAt: number;
  expiresAt: number;
  /** Seconds the client must leave between polls; grows by 5 with every `slow_down`. */
  interval: number;
  lastPollAt?: number;
  status: 'pending' | 'approved' | 'denied';
  /** Who approved: the identity the CLI session will act as. */
  identity?: Identity;
  /** The connector's data from the approver's sign-in (the IdP refresh token moves to the CLI session). */
  connectorData?: ConnectorData;
  decidedAt?: number;
}

/** The signed-in user's decision on a device grant. */
export type Decision = { approve: true; identity: Identity; connectorData?: ConnectorData } | { approve: false };

/** The answer to one poll; all but `approved` are RFC 8628 §3.5 error codes. */
export type PollVerdict = 'authorization_pending' | 'slow_down' | 'access_denied' | 'expired_token' | 'approved';

/** RFC 8628 §3.5: "the interval MUST be increased by 5 seconds for all subsequent requests". */
export const SLOW_DOWN_STEP_SECONDS = 5;

/** Decides one poll on the stored grant and returns the grant to store back. Pure. */
export function judgePoll(grant: DeviceGrant, now: number): { verdict: PollVerdict; next: DeviceGrant } {
  if (now >= grant.expiresAt) return { verdict: 'expired_token', next: grant };
  if (grant.status === 'denied') return { verdict: 'access_denied', next: grant };
  // Once approved there is nothing left to throttle: the next poll redeems the grant.
  if (grant.status === 'approved') return { verdict: 'approved', next: grant };
  const tooSoon = grant.lastPollAt !== undefined && now - grant.lastPollAt < grant.interval * 1000;
  if (tooSoon) return { verdict: 'slow_down', next: { ...grant, interval: grant.interval + SLOW_DOWN_STEP_SECONDS, lastPollAt: now } };
  return { verdict: 'authorization_pending', next: { ...grant, lastPollAt: now } };
}

/** Why a user's decision could not be recorded. */
export type DecisionRefusal = 'expired' | 'already-decided';

/** Records the user's approval or denial on a pending, unexpired grant. Pure. */
export function judgeDecision(grant: DeviceGrant, decision: Decision, now: number): DeviceGrant | DecisionRefusal {
  if (now >= grant.expiresAt) return 'expired';
  if (grant.status !== 'pending') return 'already-decided';
  return decision.approve
    ? { ...grant, status: 'approved', identity: decision.identity, connectorData: decision.connectorData, decidedAt: now }
    : { ...grant, status: 'denied', decidedAt: now };
}

/** A grant the user approved: it names who (the identity the CLI session will act as). */
export type ApprovedGrant = DeviceGrant & { status: 'approved'; identity: Identity };
