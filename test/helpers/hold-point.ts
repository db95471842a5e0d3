import type { Clock } from '../../src/clock.js';
import { MemoryStore } from '../../src/store/index.js';

/**
 * A place a test holds one operation at (a store call, say) while others run: `hold()` waits there
 * until `release()`, and `reached` resolves once something waits. Races between requests become
 * an order the test writes down instead of timings it hopes for.
 */
export class HoldPoint {
  readonly reached: Promise<void>;
  private arrive!: () => void;
  private readonly released: Promise<void>;
  private releaseAll!: () => void;

  constructor() {
    this.reached = new Promise((resolve) => (this.arrive = resolve));
    this.released = new Promise((resolve) => (this.releaseAll = resolve));
  }

  hold(): Promise<void> {
    this.arrive();
    return this.released;
  }

  release(): void {
    this.releaseAll();
  }
}

/**
 * A memory store whose next browser-session save, once `holdNextSave()` is called, waits at `point`:
 * a request that read the session earlier saves it only when the test says (another tab, a
 * background fetch), so what a stale save does can be written down.
 */
export function heldSessionSaves() {
  const point = new HoldPoint();
  let armed = false;
  class HeldSessionSaves extends MemoryStore {
    override async update<T>(key: string, updater: (current: T) => T, ttlSeconds?: number): Promise<T | undefined> {
      if (armed && key.startsWith('session:')) {
        armed = false;
        await point.hold();
      }
      return super.update(key, updater, ttlSeconds);
    }
  }
  return {
    point,
    holdNextSave: () => void (armed = true),
    store: (clock: Clock) => new HeldSessionSaves(clock),
  };
}
