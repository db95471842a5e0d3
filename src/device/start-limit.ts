import type { Clock } from '../clock.js';
import type { BridgeConfig } from '../config/index.js';
import { BridgeError, sentence } from '../errors.js';
import type { Store } from '../store/index.js';
import { secretHash } from './secrets.js';
import { SlidingWindow } from './sliding-window.js';

/** The window both limits count in (the settings' names say it: ten minutes). */
const START_WINDOW_SECONDS = 10 * 60;

/**
 * `POST /oauth/device_authorization` needs no sign-in and stores a grant per call: without a cap,
 * clients could fill the store (and the user-code space) with pending grants, and a full store
 * refuses every sign-in. Counted per client address over ten minutes (a real CLI starts one login
 * at a time), then across all addresses, so that many addresses together are bounded too: at worst
 * they hold up new CLI logins for a few minutes, never the store.
 */
export class DeviceStartLimit {
  private readonly window: SlidingWindow;

  constructor(private readonly deps: { store: Store; clock: Clock; settings: BridgeConfig['device'] }) {
    this.window = new SlidingWindow(deps);
  }

  /**
   * Counts one start from `address` (what rate limits count against: an IPv6 /64), or throws
   * ERR_RATE_LIMITED (429). The address is counted first: one client past its own limit never
   * uses up the others' shared budget.
   */
  async admit(address: string): Promise<void> {
    const { settings } = this.deps;
    // Once all addresses together are at their limit, a new address must not even get a window of
    // its own: every such window is an entry, and addresses are plenty.
    if ((await this.window.count(EVERYONE, START_WINDOW_SECONDS)) >= settings.maxStartsPer10Minutes) throw tooManyEverywhere();
    const own = await this.window.take(
      `device:starts:ip:${secretHash(address)}`,
      settings.maxStartsPerIpPer10Minutes,
      START_WINDOW_SECONDS,
    );
    if (!own) {
      throw new BridgeError('ERR_RATE_LIMITED', {
        userMessage: sentence('err.ERR_RATE_LIMITED'),
        hint: sentence('hint.startLimit'),
        detail: { reason: 'device starts from this address' },
      });
    }
    if (!(await this.window.take(EVERYONE, settings.maxStartsPer10Minutes, START_WINDOW_SECONDS))) throw tooManyEverywhere();
  }
}

/** The window of all addresses' starts together. */
const EVERYONE = 'device:starts:all';

const tooManyEverywhere = () =>
  new BridgeError('ERR_RATE_LIMITED', {
    userMessage: sentence('err.ERR_RATE_LIMITED.everyone'),
    detail: { reason: 'device starts from all addresses' },
  });
