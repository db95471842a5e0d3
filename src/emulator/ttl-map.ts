import type { Clock } from '../clock.js';

/**
 * A map whose entries vanish at their expiry time, on the injected clock. Expired entries are
 * swept at most once a minute on write, so memory stays bounded by what is still live.
 */
export class TtlMap<K, V> {
  private readonly entries = new Map<K, { value: V; expiresAt: number }>();
  private lastSweep = 0;

  constructor(private readonly clock: Clock) {}

  set(key: K, value: V, expiresAt: number): void {
    this.sweep();
    this.entries.set(key, { value, expiresAt });
  }

  /** Adds the key unless it is already present: false means "seen before" (replay). */
  add(key: K, value: V, expiresAt: number): boolean {
    if (this.get(key) !== undefined) return false;
    this.set(key, value, expiresAt);
    return true;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Returns the value and removes it: one-time use. */
  take(key: K): V | undefined {
    const value = this.get(key);
    this.entries.delete(key);
    return value;
  }

  private sweep(): void {
    const now = this.clock.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
