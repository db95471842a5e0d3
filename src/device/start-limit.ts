import type { Clock } from '../clock.js';
import type { BridgeConfig } from '../config/index.js';
import { BridgeError } from '../errors.js';
import type { Store } from '../store/index.js';
import { secretHash } from './secrets.js';
import { SlidingWindow } from './sliding-window.js';

/** The window `device.maxStartsPerIpPer10Minutes` counts in (its name says it: ten minutes). */
const START_WINDOW_SECONDS = 10 * 60;

/**
 * `POST /oauth/device_authorization` needs no sign-in and stores a grant per call: without a cap,
 * one client could fill the store (and the user-code space) with pending grants. Counted per client
 * IP over ten minutes; a real CLI starts one login at a time.
 */
export class DeviceStartLimit {
  private readonly window: SlidingWindow;

  constructor(private readonly deps: { store: Store; clock: Clock; settings: BridgeConfig['device'] }) {
    this.window = new SlidingWindow(deps);
  }

  /** Counts one start from `ip`, or throws ERR_RATE_LIMITED (429). */
  async admit(ip: string): Promise<void> {
    const slot = await this.window.take(
      `device:starts:ip:${secretHash(ip)}`,
      this.deps.settings.maxStartsPerIpPer10Minutes,
      START_WINDOW_SECONDS,
    );
    if (!slot) {
      throw new BridgeError('ERR_RATE_LIMITED', {
        userMessage: 'Too many sign-ins were started from this address. Please wait a few minutes.',
        hint: 'Finish or cancel the `rambridge login` already running.',
      });
    }
  }
}
