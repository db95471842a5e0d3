import type { Clock } from '../clock.js';
import { toBridgeError, type BridgeError } from '../errors.js';

/**
 * Something an IdP publishes that the bridge loads and keeps (OIDC discovery, SAML metadata),
 * read again on a schedule. A failed load is never kept for good: it is retried after a backoff
 * that doubles from `minRetryMs` to `maxRetryMs`, so a down IdP is asked about once a minute, not
 * by every sign-in, and is used again as soon as it answers. Time comes from the injected clock.
 */
export interface ReloadPolicy {
  /** A good value is loaded again once it is this old (on next use or readiness check). */
  refreshMs: number;
  minRetryMs: number;
  maxRetryMs: number;
  /**
   * While reloads fail, keep answering with the last good value (SAML metadata: its certificates
   * are still right) instead of the failure (OIDC discovery: a down IdP cannot sign anyone in).
   */
  keepLastGood: boolean;
}

export class Reloading<T> {
  private value: T | undefined;
  private loadedAt = 0;
  private failure: { error: BridgeError; retryAt: number; delayMs: number } | undefined;
  private inFlight: Promise<T> | undefined;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly clock: Clock,
    private readonly policy: ReloadPolicy,
  ) {}

  /** The value to use now: loaded when there is none or it is due, the last failure while backing off. */
  async get(): Promise<T> {
    const now = this.clock.now();
    if (this.failure && now < this.failure.retryAt) return this.fallback(this.failure.error);
    if (this.value !== undefined && !this.failure && now - this.loadedAt < this.policy.refreshMs) return this.value;
    try {
      return await this.reload();
    } catch (err) {
      return this.fallback(toBridgeError(err));
    }
  }

  /**
   * Readiness: loads again when due (or when the backoff allows a retry), then throws the current
   * failure, if any, even while the last good value is still in use.
   */
  async check(): Promise<void> {
    await this.get().catch(() => undefined);
    if (this.failure) throw this.failure.error;
  }

  /** Loads now, whatever the schedule (SIGHUP); concurrent callers share one load. */
  reload(): Promise<T> {
    this.inFlight ??= this.load()
      .then(
        (value) => {
          this.value = value;
          this.loadedAt = this.clock.now();
          this.failure = undefined;
          return value;
        },
        (err: unknown) => {
          const delayMs = this.failure ? Math.min(this.policy.maxRetryMs, this.failure.delayMs * 2) : this.policy.minRetryMs;
          this.failure = { error: toBridgeError(err), retryAt: this.clock.now() + delayMs, delayMs };
          throw this.failure.error;
        },
      )
      .finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  /** The last value loaded, if any (whether due or not). */
  lastGood(): T | undefined {
    return this.value;
  }

  /**
   * Starts from a value a predecessor loaded from the same source (a configuration reload): due
   * at once, so the first use loads afresh, and the fallback meanwhile when `keepLastGood`.
   */
  startFrom(value: T): void {
    this.value = value;
    this.loadedAt = -Infinity;
  }

  private fallback(error: BridgeError): T {
    if (this.policy.keepLastGood && this.value !== undefined) return this.value;
    throw error;
  }
}
