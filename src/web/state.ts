import type { Logger } from '../log.js';
import type { ConnectorData } from '../idp/connector.js';
import type { Identity } from '../idp/identity.js';
import type { CliSession } from '../device/cli-sessions.js';
import type { Language } from './i18n/index.js';

/** What middleware puts on `ctx.state` for later steps. */
export interface RequestState {
  requestId: string;
  log: Logger;
  /** The language of this response's pages and error texts (middleware/language.ts). */
  lang: Language;
  /** The signed-in user, when the browser session holds one that is still valid. */
  user?: Identity;
  /** When that browser session ends, absolutely (ms; middleware/session.ts `endOf`), with `user`. */
  sessionEndsAt?: number;
  /**
   * The browser brought a session that has ended (timed out, or gone from the store): pages that
   * send it to sign in say so (middleware/session.ts loadUser).
   */
  sessionEnded?: boolean;
  /**
   * The identity is due at the IdP and cannot be re-read here (middleware/identity-refresh.ts): the
   * device verification page sends the browser through the IdP itself, keeping the code.
   */
  identityDue?: boolean;
  /** The CLI session behind a valid bearer token (middleware/bearer.ts). */
  cliSession?: CliSession;
  /** Extra `form-action` sources for this response's CSP (middleware/security-headers.ts). */
  formActions?: string[];
}

/** The part of koa-session 7's `ctx.session` the bridge calls (the package does not declare it on Koa). */
interface SessionControls {
  regenerate(): Promise<void> | undefined;
  /** No session data was found for this request (no cookie, or one naming nothing in the store). */
  isNew?: boolean;
  /** The session's own fields, without koa-session's internals. */
  toJSON(): Record<string, unknown>;
}

// Every Koa context of the bridge carries this state and session; typing them here keeps `ctx.state`
// and `ctx.session` from being `any`.
declare module 'koa' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface DefaultState extends RequestState {}
  interface DefaultContext {
    session: (BrowserSession & SessionControls) | null;
  }
}

/** The server-side browser session (koa-session with an external store: the cookie holds only an id). */
export interface BrowserSession {
  identity?: Identity;
  /** The connector's data from this sign-in (upstream tokens): beside the identity, never inside it. */
  connectorData?: ConnectorData;
  /**
   * When the user signed in to rambridge (ms). Absolute lifetime counts from here. It says nothing
   * about when the user last authenticated (a sign-in can be silent SSO): decisions that need a
   * recent authentication read the IdP's own `identity.authTime`.
   */
  loginAt?: number;
  /**
   * When the IdP was last asked about the user with the refresh token (ms; `loginAt` until then),
   * answered or not: with `refreshGroups` the identity is re-read once it is older than
   * `device.accessTokenTtlSeconds` (middleware/identity-refresh.ts).
   */
  identityCheckedAt?: number;
  /** A random id of this sign-in: tells one sign-in's CLI approvals from another's (routes/device.ts). */
  signInId?: string;
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
