import type { Clock } from '../clock.js';
import { newSecret, newStsAccessKeyId, type Random } from './random.js';
import type { RoleSession } from './role-session.js';
import type { RolePair } from './saml-assertion.js';
import { TtlMap } from './ttl-map.js';

/**
 * Everything the emulator learns at run time, in memory: issued STS credentials, used nonces
 * and assertions, sign-in tokens, console sessions and pending role choices. Lost on restart,
 * like a real STS session would be unusable against a fresh emulator.
 */

export interface StsCredential {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  session: RoleSession;
}

/** A console sign-in: the session shown, and where to send the user when it ends. */
export interface ConsoleSession {
  session: RoleSession;
  loginUrl?: string;
}

/** A verified role-SSO assertion with several roles, waiting for the user to pick one. */
export interface PendingRoleChoice {
  roles: RolePair[];
  sessionName: string;
  sessionDurationSeconds: number;
  /** The assertion's SessionNotOnOrAfter, if it had one. */
  sessionNotAfter?: number;
  relayState?: string;
  /** Until when the choice may be made: the assertion's own validity, five minutes at most. */
  expiresAt: number;
}

/** Expired credentials are kept this long so callers get "expired" rather than "not found". */
const EXPIRED_RETENTION_MS = 24 * 3600_000;
/** A nonce must stay unique for as long as its Timestamp is acceptable: 15 minutes either way. */
const NONCE_RETENTION_MS = 30 * 60_000;
/** GetSigninToken: "expires after 30 s by default and is single-use" (docs/alibaba-cloud-reference.md §6). */
const SIGNIN_TOKEN_TTL_MS = 30_000;
const ROLE_CHOICE_TTL_MS = 5 * 60_000;

export class EmulatorState {
  private readonly credentials: TtlMap<string, StsCredential>;
  private readonly tokens: TtlMap<string, string>;
  private readonly nonces: TtlMap<string, true>;
  private readonly assertions: TtlMap<string, true>;
  private readonly signinTokens: TtlMap<string, StsCredential>;
  private readonly consoleSessions: TtlMap<string, ConsoleSession>;
  private readonly roleChoices: TtlMap<string, PendingRoleChoice>;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
  ) {
    this.credentials = new TtlMap(clock);
    this.tokens = new TtlMap(clock);
    this.nonces = new TtlMap(clock);
    this.assertions = new TtlMap(clock);
    this.signinTokens = new TtlMap(clock);
    this.consoleSessions = new TtlMap(clock);
    this.roleChoices = new TtlMap(clock);
  }

  /** Mints STS credentials for a session. */
  issueCredentials(session: RoleSession): StsCredential {
    const credential: StsCredential = {
      accessKeyId: newStsAccessKeyId(this.random),
      accessKeySecret: newSecret(this.random, 30),
      // Opaque, like the real token; the emulator keeps the meaning on its side.
      securityToken: `CAIS${newSecret(this.random, 96)}`,
      session,
    };
    const keepUntil = session.expiresAt + EXPIRED_RETENTION_MS;
    this.credentials.set(credential.accessKeyId, credential, keepUntil);
    this.tokens.set(credential.securityToken, credential.accessKeyId, keepUntil);
    return credential;
  }

  /** Issued credentials by AccessKeyId, expired ones included (check `session.expiresAt`). */
  credential(accessKeyId: string): StsCredential | undefined {
    return this.credentials.get(accessKeyId);
  }

  /** The AccessKeyId a SecurityToken was issued with, if the emulator issued it. */
  tokenOwner(securityToken: string): string | undefined {
    return this.tokens.get(securityToken);
  }

  /** Records a SignatureNonce; false when this key already used it (a replay). */
  rememberNonce(accessKeyId: string, nonce: string): boolean {
    return this.nonces.add(`${accessKeyId}\n${nonce}`, true, this.clock.now() + NONCE_RETENTION_MS);
  }

  /** Records an assertion (issuer + ID) until it expires; false when it was used before. */
  rememberAssertion(issuer: string, assertionId: string, notOnOrAfter: number): boolean {
    return this.assertions.add(`${issuer}\n${assertionId}`, true, notOnOrAfter);
  }

  createSigninToken(credential: StsCredential): string {
    const token = newSecret(this.random);
    this.signinTokens.set(token, credential, this.clock.now() + SIGNIN_TOKEN_TTL_MS);
    return token;
  }

  /** The credential a sign-in token stands for; the token is gone afterwards. */
  consumeSigninToken(token: string): StsCredential | undefined {
    return this.signinTokens.take(token);
  }

  createConsoleSession(session: ConsoleSession): string {
    const id = newSecret(this.random);
    this.consoleSessions.set(id, session, session.session.expiresAt + EXPIRED_RETENTION_MS);
    return id;
  }

  consoleSession(id: string): ConsoleSession | undefined {
    return this.consoleSessions.get(id);
  }

  createRoleChoice(choice: PendingRoleChoice): string {
    const id = newSecret(this.random);
    this.roleChoices.set(id, choice, Math.min(this.clock.now() + ROLE_CHOICE_TTL_MS, choice.expiresAt));
    return id;
  }

  takeRoleChoice(id: string): PendingRoleChoice | undefined {
    return this.roleChoices.take(id);
  }
}
