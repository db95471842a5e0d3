import type { Clock } from '../clock.js';
import { CREATE_OR_UPDATE_ATTEMPTS, storeInconsistent, type Store } from '../store/index.js';

/** Attempt times inside the window, stored whole and changed only by compare-and-swap. */
interface Window {
  times: number[];
}

/** A slot taken by `take`: its key and time, so it can be given back. */
export interface Slot {
  key: string;
  time: number;
}

/**
 * A counter of events per key over a sliding time window, in the shared store. Each event takes
 * a slot atomically before the action it guards, so a burst of parallel requests cannot all pass
 * a check made before any of them was counted.
 */
export class SlidingWindow {
  constructor(private readonly deps: { store: Store; clock: Clock }) {}

  /** Takes a slot, or returns undefined when `limit` events already happened in the window. */
  async take(key: string, limit: number, windowSeconds: number, attempt = 1): Promise<Slot | undefined> {
    const { store, clock } = this.deps;
    const now = clock.now();
    if (await store.insert(key, { times: [now] } satisfies Window, windowSeconds)) return { key, time: now };
    let taken = false as boolean;
    const updated = await store.update<Window>(
      key,
      (w) => {
        const live = w.times.filter((t) => now - t < windowSeconds * 1000);
        taken = live.length < limit;
        return { times: taken ? [...live, now] : live };
      },
      windowSeconds,
    );
    // The window expired (or could not be read) between insert and update: start it afresh, a
    // bounded number of times: a store that keeps answering both "present" and "absent" is broken.
    if (!updated) {
      if (attempt >= CREATE_OR_UPDATE_ATTEMPTS) throw storeInconsistent(key);
      return this.take(key, limit, windowSeconds, attempt + 1);
    }
    return taken ? { key, time: now } : undefined;
  }

  /** How many events the window holds now. */
  async count(key: string, windowSeconds: number): Promise<number> {
    const now = this.deps.clock.now();
    const window = await this.deps.store.find<Window>(key);
    return window?.times.filter((t) => now - t < windowSeconds * 1000).length ?? 0;
  }

  /** Gives slots back (the event turned out not to count). */
  async release(slots: Slot[]): Promise<void> {
    for (const slot of slots) {
      await this.deps.store.update<Window>(slot.key, (w) => {
        const i = w.times.lastIndexOf(slot.time);
        return i < 0 ? w : { times: [...w.times.slice(0, i), ...w.times.slice(i + 1)] };
      });
    }
  }
}
