import { judgeDecision, judgePoll, type DeviceGrant } from '../../../src/device/grant.js';
import type { Identity } from '../../../src/idp/identity.js';

const T0 = Date.UTC(2026, 0, 1);
const alice: Identity = { idp: 'demo', issuer: 'https://idp', subject: 'alice', groups: [], amr: ['pwd'] };
const pending: DeviceGrant = {
  client: { clientId: 'rambridge-cli', ip: '10.0.0.1' },
  userCodeHash: 'h',
  createdAt: T0,
  expiresAt: T0 + 600_000,
  interval: 5,
  status: 'pending',
};

/** Polls at the given second offsets, returning each verdict and the final grant. */
function pollAt(seconds: number[], grant = pending) {
  const verdicts: string[] = [];
  for (const s of seconds) {
    const judged = judgePoll(grant, T0 + s * 1000);
    verdicts.push(judged.verdict);
    grant = judged.next;
  }
  return { verdicts, grant };
}

describe('the device grant state machine', () => {
  test('pending answers authorization_pending and records the poll', () => {
    const { verdicts, grant } = pollAt([0, 5, 10]);
    expect(verdicts).toEqual(['authorization_pending', 'authorization_pending', 'authorization_pending']);
    expect(grant).toMatchObject({ lastPollAt: T0 + 10_000, interval: 5 });
  });

  test('docs/security-reference.md §4.3.3: t=0 pending, t=2 slow_down (10 s), t=7 slow_down (15 s), t=22 pending again', () => {
    const { verdicts, grant } = pollAt([0, 2, 7, 22]);
    expect(verdicts).toEqual(['authorization_pending', 'slow_down', 'slow_down', 'authorization_pending']);
    expect(grant.interval).toBe(15);
  });

  test('the grown interval stays: polling at the old 5 s pace keeps being slowed down', () => {
    const { verdicts } = pollAt([0, 2, 12, 17]);
    expect(verdicts).toEqual(['authorization_pending', 'slow_down', 'authorization_pending', 'slow_down']);
  });

  test('approved, denied and expired answer without throttling', () => {
    const approved = judgeDecision(pending, { approve: true, identity: alice }, T0 + 1000) as DeviceGrant;
    expect(approved).toMatchObject({ status: 'approved', identity: alice, decidedAt: T0 + 1000 });
    expect(judgePoll({ ...approved, lastPollAt: T0 + 1000 }, T0 + 1000).verdict).toBe('approved');
    const denied = judgeDecision(pending, { approve: false }, T0) as DeviceGrant;
    expect(denied.identity).toBeUndefined();
    expect(judgePoll(denied, T0).verdict).toBe('access_denied');
    expect(judgePoll(approved, T0 + 600_000).verdict).toBe('expired_token');
    expect(judgePoll(pending, T0 + 600_000).verdict).toBe('expired_token');
  });

  test('a decision needs a pending, unexpired grant', () => {
    const approved = judgeDecision(pending, { approve: true, identity: alice }, T0) as DeviceGrant;
    expect(judgeDecision(approved, { approve: false }, T0)).toBe('already-decided');
    expect(judgeDecision(pending, { approve: true, identity: alice }, T0 + 600_000)).toBe('expired');
  });
});
