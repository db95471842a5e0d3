import { BridgeError, sentence } from '../errors.js';

/**
 * Short-lived server-side state: login flows, browser sessions, replay caches, device codes.
 *
 * Modelled on oidc-provider's adapter (upsert/find/consume/destroy) plus dex's compare-and-swap
 * `update`. Every entry has a TTL measured on the injected clock, so expiry is testable and every
 * implementation expires entries at the same instant. Values are JSON: nothing shares references
 * with the caller, exactly as with a networked store (what `find` returns is frozen, not shared mutable).
 */
export interface Store {
  /** Creates or replaces `key`, living `ttlSeconds` from now. */
  upsert(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** Creates `key` only if absent; false when it already exists (one-time-use markers). Atomic. */
  insert(key: string, value: unknown, ttlSeconds: number): Promise<boolean>;
  /**
   * The value, or undefined when missing or expired (never throws for a missing key). Read-only:
   * the memory store hands every reader the same deep-frozen value (change it through `update`).
   */
  find<T>(key: string): Promise<T | undefined>;
  /**
   * Atomically replaces the value with `updater(current)`, keeping the remaining TTL unless
   * `ttlSeconds` is given. Returns the new value, or undefined (and calls nothing) when missing.
   * An entry whose value cannot be read (sealed under a key no longer configured) is missing for
   * `update` too, and is removed, so that a following `insert` can recreate it.
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

/**
 * Rounds of "insert, else update" a caller makes before giving up. A round is lost only when the
 * entry vanishes between the two calls (it expired, or could not be read and was removed), so a
 * third loss means the store keeps answering "present" and "absent" in turn.
 */
export const CREATE_OR_UPDATE_ATTEMPTS = 3;

/** What a caller throws when CREATE_OR_UPDATE_ATTEMPTS rounds were all lost. */
export function storeInconsistent(key: string): BridgeError {
  return new BridgeError('ERR_UNAVAILABLE', {
    userMessage: sentence('err.ERR_UNAVAILABLE.busy'),
    detail: { reason: 'an entry kept appearing and disappearing between insert and update', key },
  });
}
