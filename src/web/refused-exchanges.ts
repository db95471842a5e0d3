import type { Clock } from '../clock.js';
import { SlidingWindow, secretHash } from '../device/index.js';
import { BridgeError, isBridgeError } from '../errors.js';
import type { Store } from '../store/index.js';

/** Code exchanges the IdP refused that one client address may cause in the window, before the next are refused unasked. */
const MAX_REFUSED = 30;
const WINDOW_SECONDS = 10 * 60;

/**
 * Every OIDC callback that brings a valid flow costs a call to the IdP's token endpoint, and
 * `GET /login` makes flows at will: a script sending made-up codes makes the bridge hammer the
 * IdP under its client id, which the IdP may throttle for everyone. Only the exchanges the IdP
 * refused count: real sign-ins almost never fail there, so an office behind one NAT address
 * signing in at 9 am is never stopped; a script is, after MAX_REFUSED.
 */
export class RefusedExchanges {
  private readonly window: SlidingWindow;

  constructor(deps: { store: Store; clock: Clock }) {
    this.window = new SlidingWindow(deps);
  }

  /** Throws ERR_RATE_LIMITED (429) once `ip` caused MAX_REFUSED refused exchanges in the window. */
  async admit(ip: string): Promise<void> {
    if ((await this.window.count(keyOf(ip), WINDOW_SECONDS)) < MAX_REFUSED) return;
    throw new BridgeError('ERR_RATE_LIMITED', {
      userMessage: 'Too many sign-ins from this address failed. Please wait a few minutes.',
      detail: { reason: 'refused code exchanges', windowSeconds: WINDOW_SECONDS },
    });
  }

  /** Counts `err` when it is the IdP's token endpoint refusing the exchange. */
  async note(ip: string, err: unknown): Promise<void> {
    if (isBridgeError(err, 'ERR_AUTH_IDP_ERROR') && typeof err.detail?.httpStatus === 'number') {
      await this.window.take(keyOf(ip), MAX_REFUSED, WINDOW_SECONDS);
    }
  }
}

const keyOf = (ip: string) => `signin:refused:ip:${secretHash(ip)}`;
