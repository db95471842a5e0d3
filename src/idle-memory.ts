import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * How often the bridge looks at whether it went idle: long enough that a lull in steady traffic
 * does not count (a collection shrinks V8's young generation, so the next requests run a little
 * slower while it grows back), short enough that memory is back within a minute of a burst.
 */
const CHECK_INTERVAL_MS = 20_000;
/** How much the V8 heap must have grown since the last collection for one to be worth it. */
const GROWTH_BYTES = 16 * 1024 * 1024;

export interface IdleCollectorOptions {
  /** The V8 heap's size now (tests pass their own). */
  heapSize?: () => number;
  /** A full, blocking garbage collection (tests pass a counter). */
  collect?: () => void;
  intervalMs?: number;
  growthBytes?: number;
  /** Told after each collection (the bridge logs it at debug). */
  onCollected?: (heap: { beforeBytes: number; afterBytes: number; ms: number }) => void;
}

/**
 * Gives back the memory a burst of traffic used, once the traffic stops.
 *
 * Under load V8 grows its heap (mostly garbage: parsed requests, signed XML, JSON); when the load
 * ends, it keeps those pages until its own memory reducer runs, which on this bridge takes a minute
 * or more after the last request (bench/README.md, round 5). A bridge sized by its steady RSS
 * would sit at twice that for no reason. So: every `intervalMs`, if no request arrived since the
 * last look and the heap grew by `growthBytes` since the last collection, collect once. Idle means
 * nobody waits for the few milliseconds a full collection blocks; a steady trickle of requests or
 * a heap that did not grow never triggers one.
 */
export class IdleCollector {
  private requestsSinceCheck = 0;
  private baseline: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly heapSize: () => number;
  private readonly collect: () => void;
  private readonly growthBytes: number;

  constructor(private readonly options: IdleCollectorOptions = {}) {
    this.heapSize = options.heapSize ?? (() => getHeapStatistics().total_heap_size);
    this.collect = options.collect ?? fullCollection;
    this.growthBytes = options.growthBytes ?? GROWTH_BYTES;
    this.baseline = this.heapSize();
  }

  /** Called for every request the server receives. */
  requestSeen(): void {
    this.requestsSinceCheck++;
  }

  /** Looks every `intervalMs` until `stop()`; the timer never keeps the process alive. */
  start(): this {
    this.timer ??= setInterval(() => this.check(), this.options.intervalMs ?? CHECK_INTERVAL_MS).unref();
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** One look: collects when the bridge was idle since the last look and the heap grew. Returns whether it did. */
  check(): boolean {
    const idle = this.requestsSinceCheck === 0;
    this.requestsSinceCheck = 0;
    const size = this.heapSize();
    if (!idle || size - this.baseline < this.growthBytes) {
      // A heap that shrank by itself (V8's own reducer) is the new starting point.
      this.baseline = Math.min(this.baseline, size);
      return false;
    }
    const started = performance.now();
    this.collect();
    this.baseline = this.heapSize();
    this.options.onCollected?.({ beforeBytes: size, afterBytes: this.baseline, ms: performance.now() - started });
    return true;
  }
}

let gc: (() => void) | undefined;

/**
 * V8's full collection, which also returns emptied pages to the system. Node offers it only behind
 * `--expose-gc`; the flag set at run time applies to contexts created afterwards, so the function
 * comes from a fresh context and the bridge's own global scope gains no `gc`.
 */
export function fullCollection(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
