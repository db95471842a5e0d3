import type { Logger } from '../log.js';
import type { Identity } from '../idp/identity.js';

/** What middleware puts on `ctx.state` for later steps. */
export interface RequestState {
  requestId: string;
  log: Logger;
  /** The signed-in user, when the browser session holds one that is still valid. */
  user?: Identity;
}

/** The server-side browser session (koa-session with an external store: the cookie holds only an id). */
export interface BrowserSession {
  identity?: Identity;
  /**
   * When the user signed in to rambridge (ms). Absolute lifetime counts from here. It says nothing
   * about when the user last authenticated (a sign-in can be silent SSO): decisions that need a
   * recent authentication read the IdP's own `identity.authTime`.
   */
  loginAt?: number;
  /** Last request (ms), for the idle timeout. */
  seenAt?: number;
  /**
   * A CLI approval took this sign-in's IdP refresh token (`refreshGroups`): the next approval goes
   * through the IdP again for a token of its own (routes/device.ts).
   */
  upstreamRefreshTokenTaken?: boolean;
  /** Synchronizer token for every POST form. */
  csrf?: string;
}
