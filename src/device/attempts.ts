import type { Clock } from '../clock.js';
import type { BridgeConfig } from '../config/index.js';
import { BridgeError, sentence } from '../errors.js';
import type { Store } from '../store/index.js';
import { secretHash } from './secrets.js';
import { SlidingWindow, type Slot } from './sliding-window.js';

/** The window `device.globalFailedUserCodesPerMinute` counts in. */
const GLOBAL_WINDOW_SECONDS = 60;

/**
 * Limits how many user codes can be guessed (RFC 8628 §5.1): per user (any browser session of
 * theirs, so signing in again resets nothing) and across all users. Every submitted code first
 * reserves a slot atomically, before it is looked up, so a burst of parallel guesses cannot all
 * pass a check made before any of them was counted; a code that names a real grant gives its slot
 * back. Wrong, malformed and unknown codes keep theirs.
 */
export class UserCodeAttempts {
  private readonly window: SlidingWindow;

  constructor(private readonly deps: { store: Store; clock: Clock; settings: BridgeConfig['device'] }) {
    this.window = new SlidingWindow(deps);
  }

  /** Takes a slot for one attempt by `user`, or throws ERR_DEVICE_TOO_MANY_ATTEMPTS (429). */
  async reserve(userKey: string): Promise<Slot[]> {
    const { settings } = this.deps;
    const mine = await this.window.take(
      `device:attempts:user:${secretHash(userKey)}`,
      settings.maxFailedUserCodes,
      settings.failedUserCodesWindowSeconds,
    );
    if (!mine) throw tooMany('user');
    const everyone = await this.window.take('device:attempts:global', settings.globalFailedUserCodesPerMinute, GLOBAL_WINDOW_SECONDS);
    if (!everyone) {
      await this.window.release([mine]);
      throw tooMany('global');
    }
    return [mine, everyone];
  }

  /** Gives slots back: the code was right, so it was no guess. */
  release(slots: Slot[]): Promise<void> {
    return this.window.release(slots);
  }
}

function tooMany(scope: 'user' | 'global'): BridgeError {
  return new BridgeError('ERR_DEVICE_TOO_MANY_ATTEMPTS', {
    userMessage: scope === 'user' ? sentence('err.ERR_DEVICE_TOO_MANY_ATTEMPTS.user') : sentence('err.ERR_DEVICE_TOO_MANY_ATTEMPTS.global'),
    hint: sentence('hint.wrongCodes'),
    detail: { scope },
  });
}
