/**
 * Retries with "full jitter" exponential backoff: before attempt n+1 wait a uniformly random time
 * in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))). Only for failures the caller marks retryable
 * (STS throttling and 5xx): a refusal does not change by asking again.
 */

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

export interface RetryDeps {
  /** Injected so tests run instantly. */
  sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1); injected so tests can pin the jitter. */
  random: () => number;
}

export const realRetryDeps: RetryDeps = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** Calls `call` until it succeeds, fails in a way `retryable` rejects, or attempts run out. */
export async function withRetry<T>(
  call: () => Promise<T>,
  retryable: (err: unknown) => boolean,
  policy: RetryPolicy,
  deps: RetryDeps,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= policy.maxAttempts || !retryable(err)) throw err;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await deps.sleep(Math.floor(deps.random() * ceiling));
    }
  }
}
