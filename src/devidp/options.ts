import type { Logger } from '../log.js';
import type { DevUser } from './users.js';

/** A relying party registered at the development IdP (in the demo: the bridge itself). */
export interface DevIdpClient {
  clientId: string;
  clientSecret: string;
  /** Exact-match callback URLs, e.g. `http://127.0.0.1:8080/auth/callback`. */
  redirectUris: string[];
  /** Where RP-initiated logout may return to; none means logout ends on the IdP's own page. */
  postLogoutRedirectUris?: string[];
}

/** Lifetimes in seconds. */
export interface DevIdpTtl {
  AccessToken: number;
  AuthorizationCode: number;
  IdToken: number;
  RefreshToken: number;
  /** How long a started sign-in (the login form) stays valid. */
  Interaction: number;
  /** The IdP's own sign-in session (single sign-on across clients). */
  Session: number;
  Grant: number;
}

export const DEFAULT_TTL: DevIdpTtl = {
  AccessToken: 10 * 60,
  // Codes are exchanged by a server right after the redirect; a minute is plenty and limits replay.
  AuthorizationCode: 60,
  IdToken: 10 * 60,
  RefreshToken: 8 * 60 * 60,
  Interaction: 10 * 60,
  Session: 8 * 60 * 60,
  Grant: 8 * 60 * 60,
};

export interface DevIdpOptions {
  /** Interface to listen on, also the issuer's host. Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  clients: DevIdpClient[];
  /** Default DEMO_USERS. */
  users?: readonly DevUser[];
  /** Default: silent. */
  logger?: Logger;
  ttl?: Partial<DevIdpTtl>;
}
