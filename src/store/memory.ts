import type { Clock } from '../clock.js';
import { DEFAULTS } from '../config/defaults.js';
import { BridgeError, sentence } from '../errors.js';
import { deepFreeze } from '../frozen.js';
import type { Store } from './store.js';

export interface MemoryStoreOptions {
  /** Entries held at most (store.maxEntries); default DEFAULTS.store.memoryMaxEntries. */
  maxEntries?: number;
}

/**
 * An entry as held: its value as a JSON round trip makes it (what a networked store would hand
 * back), deep-frozen, and its absolute expiry (ms). One copy: the JSON text is not kept beside it.
 */
interface HeldEntry {
  value: unknown;
  exp: number;
}

/** While full, expired entries are swept at most this often (a sweep walks every entry). */
const FULL_SWEEP_INTERVAL_MS = 1000;

/**
 * The in-process reference implementation. Single-threaded JavaScript makes every method atomic
 * as long as it does not await between reading and writing, which none of them does.
 *
 * Bounded: a write that would add an entry beyond `maxEntries` is refused with ERR_STORE_FULL
 * (503) once expired entries are swept. It fails closed: nothing live is evicted, since an entry
 * may be someone's session or the marker that refuses a replayed assertion or a spent code.
 * Overwriting or updating an entry that exists is always allowed: it adds nothing.
 */
export class MemoryStore implements Store {
  private readonly entries = new Map<string, HeldEntry>();
  private readonly maxEntries: number;
  private writesSinceSweep = 0;
  private lastFullSweep = -Infinity;

  constructor(
    private readonly clock: Clock,
    options: MemoryStoreOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? DEFAULTS.store.memoryMaxEntries;
  }

  async upsert(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    this.write(key, value, ttlSeconds);
  }

  async insert(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.write(key, value, ttlSeconds);
    return true;
  }

  /**
   * Sessions are read on every request and written seldom, so the value is copied once per write
   * and handed out deep-frozen: no caller can change what another reads (a write replaces the entry).
   */
  async find<T>(key: string): Promise<T | undefined> {
    return this.live(key)?.value as T | undefined;
  }

  async update<T>(key: string, updater: (current: T) => T, ttlSeconds?: number): Promise<T | undefined> {
    const entry = this.live(key);
    if (!entry) return undefined;
    const next = updater(structuredClone(entry.value) as T);
    const exp = ttlSeconds === undefined ? entry.exp : this.clock.now() + ttlSeconds * 1000;
    this.entries.set(key, { value: frozenCopy(next), exp });
    return next;
  }

  async consume<T>(key: string): Promise<T | undefined> {
    const entry = this.live(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    return structuredClone(entry.value) as T;
  }

  async destroy(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }

  private live(key: string): HeldEntry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.exp <= this.clock.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private write(key: string, value: unknown, ttlSeconds: number): void {
    if (!(ttlSeconds > 0)) throw new TypeError(`ttlSeconds must be positive, got ${ttlSeconds}`);
    if (!this.entries.has(key)) this.makeRoom();
    this.entries.set(key, { value: frozenCopy(value), exp: this.clock.now() + ttlSeconds * 1000 });
    // Expired entries nobody reads again would pile up; sweep now and then rather than per write.
    if (++this.writesSinceSweep >= 1000) this.sweep();
  }

  /** Throws ERR_STORE_FULL when one more entry would pass the cap, after sweeping what expired. */
  private makeRoom(): void {
    if (this.entries.size < this.maxEntries) return;
    const now = this.clock.now();
    if (now - this.lastFullSweep >= FULL_SWEEP_INTERVAL_MS) {
      this.lastFullSweep = now;
      this.sweep();
    }
    if (this.entries.size < this.maxEntries) return;
    throw new BridgeError('ERR_STORE_FULL', {
      userMessage: sentence('err.ERR_STORE_FULL'),
      hint: sentence('hint.storeFull'),
      detail: { store: 'memory', maxEntries: this.maxEntries },
    });
  }

  private sweep(): void {
    this.writesSinceSweep = 0;
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (entry.exp <= now) this.entries.delete(key);
  }
}

/** What reading `value` back from a networked store gives (a JSON round trip), deep-frozen. */
function frozenCopy(value: unknown): unknown {
  return deepFreeze(JSON.parse(JSON.stringify(value)));
}
