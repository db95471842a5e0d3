import type { Clock } from '../clock.js';
import type { BridgeConfig } from '../config/index.js';
import { BridgeError } from '../errors.js';
import type { Store } from '../store/index.js';
import { secretHash } from './secrets.js';

/** A sliding window of attempt times, stored whole and changed only by compare-and-swap. */
interface Window {
  times: number[];
}

/** A slot taken by `reserve`: its key and time, so a correct code can give it back. */
interface Slot {
  key: string;
  time: number;
}

/**
 * Limits how many user codes can be guessed (RFC 8628 §5.1): per user (any browser session of
 * theirs, so signing in again resets nothing) and across all users. Every submitted code first
 * reserves a slot atomically, before it is looked up, so a burst of parallel guesses cannot all
 * pass a check made before any of them was counted; a code that names a real grant gives its slot
 * back. Wrong, malformed and unknown codes keep theirs.
 */
export class UserCodeAttempts {
  constructor(private readonly deps: { store: Store; clock: Clock; settings: BridgeConfig['device'] }) {}

  /** Takes a slot for one attempt by `user`, or throws ERR_DEVICE_TOO_MANY_ATTEMPTS (429). */
  async reserve(userKey: string): Promise<Slot[]> {
    const { settings } = this.deps;
    const mine = await this.take(`device:attempts:user:${secretHash(userKey)}`, settings.maxFailedUserCodes, settings.failedUserCodesWindowSeconds);
    if (!mine) throw tooMany('user');
    const everyone = await this.take('device:attempts:global', settings.globalFailedUserCodesPerMinute, 60);
    if (!everyone) {
      await this.release([mine]);
      throw tooMany('global');
    }
    return [mine, everyone];
  }

  /** Gives slots back: the code was right, so it was no guess. */
  async release(slots: Slot[]): Promise<void> {
    for (const slot of slots) {
      await this.deps.store.update<Window>(slot.key, (w) => {
        const i = w.times.lastIndexOf(slot.time);
        return i < 0 ? w : { times: [...w.times.slice(0, i), ...w.times.slice(i + 1)] };
      });
    }
  }

  private async take(key: string, limit: number, windowSeconds: number): Promise<Slot | undefined> {
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
    // The window expired between insert and update: start it afresh.
    if (!updated) return this.take(key, limit, windowSeconds);
    return taken ? { key, time: now } : undefined;
  }
}

function tooMany(scope: 'user' | 'global'): BridgeError {
  return new BridgeError('ERR_DEVICE_TOO_MANY_ATTEMPTS', {
    userMessage:
      scope === 'user'
        ? 'Too many wrong codes. For your protection, code entry is paused for a while.'
        : 'Too many wrong codes are being entered on rambridge right now. Please wait a minute.',
    hint: 'Check the code your terminal shows, or run `rambridge login` again to get a new one.',
    detail: { scope },
  });
}
