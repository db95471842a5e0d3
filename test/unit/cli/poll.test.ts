import { ManualClock } from '../../../src/clock.js';
import type { PollAnswer } from '../../../src/cli/client/oauth.js';
import { parseRetryAfter } from '../../../src/cli/client/oauth.js';
import { pollForTokens } from '../../../src/cli/client/poll.js';

const tokens = { access_token: 'at', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt' };
const pending: PollAnswer = { kind: 'error', error: 'authorization_pending' };
const slowDown: PollAnswer = { kind: 'error', error: 'slow_down' };

/** Runs the poller against scripted answers with a clock that moves only by the sleeps. */
async function schedule(
  answers: PollAnswer[],
  authorization: { interval?: number; expires_in: number } = { interval: 5, expires_in: 600 },
) {
  const clock = new ManualClock();
  const sleeps: number[] = [];
  const queue = [...answers];
  const outcome = await pollForTokens(authorization, {
    attempt: async () => queue.shift() ?? pending,
    sleep: async (seconds) => {
      sleeps.push(seconds);
      clock.advance(seconds * 1000);
    },
    now: () => clock.now(),
  }).then(
    (value) => ({ value }),
    (error: { code: string }) => ({ error: error.code }),
  );
  return { sleeps, outcome, left: queue.length };
}

test('waits the interval before each poll, then returns the tokens', async () => {
  const run = await schedule([pending, pending, { kind: 'tokens', tokens }]);
  expect(run.sleeps).toEqual([5, 5, 5]);
  expect(run.outcome).toEqual({ value: tokens });
});

test('no interval from the server: 5 seconds', async () => {
  const run = await schedule([{ kind: 'tokens', tokens }], { expires_in: 600 });
  expect(run.sleeps).toEqual([5]);
});

test.each([0, -3, 0.01, Number.NaN])(
  'an interval of %d from the server is none: 5 seconds, never a poll without delay',
  async (interval) => {
    const run = await schedule([pending, { kind: 'tokens', tokens }], { interval, expires_in: 600 });
    expect(run.sleeps).toEqual([5, 5]);
  },
);

test('an interval or a Retry-After too long for a timer is 300 seconds, never a poll without delay', async () => {
  const huge = { interval: 3_000_000, expires_in: 1e9 };
  const run = await schedule([slowDown, { kind: 'transient', retryAfterSeconds: 1e20 }, { kind: 'tokens', tokens }], huge);
  expect(run.sleeps).toEqual([300, 300, 300]);
  // Nor past the code's expiry: a Retry-After beyond it ends the login at once.
  const late = await schedule([{ kind: 'error', error: 'authorization_pending', retryAfterSeconds: 250 }], {
    interval: 5,
    expires_in: 200,
  });
  expect(late).toMatchObject({ sleeps: [5], outcome: { error: 'ERR_CLI_LOGIN_EXPIRED' } });
});

test('slow_down adds 5 seconds, for good', async () => {
  const run = await schedule([pending, slowDown, pending, slowDown, pending, { kind: 'tokens', tokens }]);
  expect(run.sleeps).toEqual([5, 5, 10, 10, 15, 15]);
});

test('Retry-After postpones the next poll without lowering the interval', async () => {
  const run = await schedule([
    { kind: 'error', error: 'authorization_pending', retryAfterSeconds: 30 },
    { kind: 'error', error: 'authorization_pending', retryAfterSeconds: 2 },
    { kind: 'tokens', tokens },
  ]);
  expect(run.sleeps).toEqual([5, 30, 5]);
});

test('network errors and 5xx are ridden out, honouring their Retry-After', async () => {
  const run = await schedule([{ kind: 'transient' }, { kind: 'transient', retryAfterSeconds: 20 }, { kind: 'tokens', tokens }]);
  expect(run.sleeps).toEqual([5, 5, 20]);
  expect(run.outcome).toEqual({ value: tokens });
});

test('denied: ERR_CLI_LOGIN_DENIED at once', async () => {
  const run = await schedule([pending, { kind: 'error', error: 'access_denied' }, { kind: 'tokens', tokens }]);
  expect(run.outcome).toEqual({ error: 'ERR_CLI_LOGIN_DENIED' });
  expect(run.left).toBe(1);
});

test('expired_token from the server, or the local deadline, end the login', async () => {
  expect((await schedule([pending, { kind: 'error', error: 'expired_token' }])).outcome).toEqual({ error: 'ERR_CLI_LOGIN_EXPIRED' });
  const run = await schedule([], { interval: 5, expires_in: 22 });
  expect(run.outcome).toEqual({ error: 'ERR_CLI_LOGIN_EXPIRED' });
  // Polls at 5, 10, 15 and 20 s; the one at 25 s would be past expires_in.
  expect(run.sleeps).toEqual([5, 5, 5, 5]);
});

test('an unexpected OAuth error is reported with its code', async () => {
  expect((await schedule([{ kind: 'error', error: 'invalid_grant', description: 'PKCE mismatch' }])).outcome).toEqual({
    error: 'ERR_CLI_SERVER_ERROR',
  });
});

test('parseRetryAfter: seconds or an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  expect(parseRetryAfter('12', now)).toBe(12);
  expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
  expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  expect(parseRetryAfter('soon', now)).toBeUndefined();
  expect(parseRetryAfter(null, now)).toBeUndefined();
});
