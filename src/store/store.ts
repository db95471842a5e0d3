/**
 * Short-lived server-side state: login flows, browser sessions, replay caches, device codes.
 *
 * Modelled on oidc-provider's adapter (upsert/find/consume/destroy) plus dex's compare-and-swap
 * `update`. Every entry has a TTL measured on the injected clock, so expiry is testable and every
 * implementation expires entries at the same instant. Values are JSON: nothing shares references
 * with the caller, exactly as with a networked store.
 */
export interface Store {
  /** Creates or replaces `key`, living `ttlSeconds` from now. */
  upsert(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** Creates `key` only if absent; false when it already exists (one-time-use markers). Atomic. */
  insert(key: string, value: unknown, ttlSeconds: number): Promise<boolean>;
  /** The value, or undefined when missing or expired (never throws for a missing key). */
  find<T>(key: string): Promise<T | undefined>;
  /**
   * Atomically replaces the value with `updater(current)`, keeping the remaining TTL unless
   * `ttlSeconds` is given. Returns the new value, or undefined (and calls nothing) when missing.
   */
  update<T>(key: string, updater: (current: T) => T, ttlSeconds?: number): Promise<T | undefined>;
  /** Atomically reads and deletes: of two concurrent calls exactly one gets the value. */
  consume<T>(key: string): Promise<T | undefined>;
  destroy(key: string): Promise<void>;
  /** Resolves when the backing service answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Stored form shared by implementations: the JSON value and its absolute expiry (ms). */
export interface StoredEntry {
  v: string;
  exp: number;
}
