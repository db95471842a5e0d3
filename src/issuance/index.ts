import type { Clock } from '../clock.js';
import { CHAIN_MAX_SECONDS, policyText, type Role } from '../config/index.js';
import { BridgeError, toBridgeError, sentence } from '../errors.js';
import type { ConnectorData } from '../idp/connector.js';
import { idTokenTimes } from '../idp/id-token-times.js';
import type { BridgeIssuer } from '../issuer/index.js';
import type { SessionNameApi } from '../issuer/subject.js';
import type { Logger } from '../log.js';
import type { RolePreferences } from '../preferences/index.js';
import type { AssumeRoleResult, StsClient, StsCredentials } from '../sts/index.js';
import { AuditLog, type AuditRecord } from './audit.js';
import type { CheckedRoleRequest } from './role-request.js';

export { AuditLog, auditUser, type AuditRecord, type AuditUser, type SecurityEventRecord } from './audit.js';

/** A checked role request, and who asked through which door (for the audit record). */
export interface IssueRequest extends CheckedRoleRequest {
  channel: AuditRecord['channel'];
  clientIp: string;
  /** The HTTP request's id, for the audit record. */
  requestId?: string;
  /** The sign-in's connector data: its ID token is what `oidcPassThrough` roles hand to STS. */
  connectorData?: ConnectorData;
}

export interface IssuedCredentials {
  credentials: StsCredentials;
  roleArn: string;
  assumedRoleArn: string;
  roleSessionName: string;
  requestId: string;
}

/** The intermediate session of a chain lives the shortest time STS allows: it only signs one call. */
const CHAIN_SOURCE_SECONDS = 900;

/**
 * The one way credentials are made, for the web and the CLI alike: mint an assertion or ID token
 * for exactly the granted role, exchange it at STS (chaining when configured), audit the outcome.
 */
export class CredentialIssuer {
  constructor(
    private readonly deps: {
      issuer: BridgeIssuer;
      sts: StsClient;
      roles: Role[];
      clock: Clock;
      audit: AuditLog;
      /** Remembers each issued role as the user's most recent, with its duration (web and CLI alike). */
      preferences?: Pick<RolePreferences, 'recordUse'>;
      /** Where a failure to remember is reported. */
      logger?: Pick<Logger, 'warn'>;
    },
  ) {}

  async issue(request: IssueRequest): Promise<IssuedCredentials> {
    const roleSessionName = this.deps.issuer.names.roleSessionName(request.identity, sessionNameApi(request.choice.role));
    const base = this.auditBase(request, roleSessionName);
    try {
      const issued = await this.assume(request.choice.role, request, request.durationSeconds, roleSessionName);
      this.deps.audit.record({
        ...base,
        delivery: 'sts',
        assumedRoleArn: issued.assumedRoleArn,
        accessKeyId: issued.credentials.accessKeyId,
        expiration: issued.credentials.expiration.toISOString(),
        stsRequestId: issued.requestId,
      });
      await this.remember(request);
      return issued;
    } catch (err) {
      const e = toBridgeError(err);
      this.deps.audit.record({
        ...base,
        outcome: 'refused',
        errorCode: e.code,
        stsCode: typeof e.detail?.stsCode === 'string' ? e.detail.stsCode : undefined,
        stsRequestId: typeof e.detail?.requestId === 'string' ? e.detail.requestId : undefined,
      });
      throw e;
    }
  }

  /**
   * A signed SAML Response the browser posts to the role-SSO endpoint itself (console mode
   * `saml-post`): no STS call here, but audited all the same.
   */
  async consoleAssertion(request: IssueRequest): Promise<string> {
    const { role } = request.choice;
    if (role.via !== 'saml') throw new TypeError(`role ${role.id} is not via saml`);
    const roleSessionName = this.deps.issuer.names.roleSessionName(request.identity, 'AssumeRoleWithSAML');
    const xml = await this.deps.issuer.samlResponse(request.identity, role, request.durationSeconds, this.deps.clock.now());
    this.deps.audit.record({ ...this.auditBase(request, roleSessionName), delivery: 'saml-post' });
    await this.remember(request);
    return xml;
  }

  /**
   * Records the issued role as recent, and its duration as the last one. Preferences are a
   * convenience: a store that fails here must not take away credentials already minted and audited.
   */
  private async remember(request: IssueRequest): Promise<void> {
    const { preferences, logger } = this.deps;
    if (!preferences) return;
    try {
      // The duration asked for: one the session's end cut short is not the user's choice.
      await preferences.recordUse(request.identity, request.choice.role.id, request.requestedDurationSeconds ?? request.durationSeconds);
    } catch (err) {
      logger?.warn(
        { event: 'preferences-not-recorded', roleId: request.choice.role.id, errorCode: toBridgeError(err).code },
        'could not remember the role as recently used',
      );
    }
  }

  private auditBase(request: IssueRequest, roleSessionName: string): AuditRecord {
    const { role } = request.choice;
    return {
      outcome: 'issued',
      channel: request.channel,
      user: {
        idp: request.identity.idp,
        issuer: request.identity.issuer,
        subject: request.identity.subject,
        email: request.identity.email,
      },
      groups: request.identity.groups,
      grants: [...new Set(request.choice.reasons.map((r) => r.grant))],
      roleId: role.id,
      roleArn: role.arn,
      chainedFrom: role.chainFrom,
      durationSeconds: request.durationSeconds,
      requestedDurationSeconds: request.requestedDurationSeconds,
      clientIp: request.clientIp,
      requestId: request.requestId,
      justification: request.justification,
      roleSessionName,
    };
  }

  private async assume(
    role: Role,
    user: Pick<IssueRequest, 'identity' | 'connectorData'>,
    durationSeconds: number,
    roleSessionName: string,
  ): Promise<IssuedCredentials> {
    const { identity, connectorData } = user;
    const policy = sessionPolicy(role);
    if (role.via === 'chain') {
      // Refused, never shortened: the caller (and the audit record) must get the duration asked for.
      if (durationSeconds > CHAIN_MAX_SECONDS) {
        throw new BridgeError('ERR_DURATION_INVALID', {
          userMessage: sentence('err.ERR_DURATION_INVALID.chain', { minutes: CHAIN_MAX_SECONDS / 60 }),
          detail: { roleId: role.id, durationSeconds },
        });
      }
      const source = this.deps.roles.find((r) => r.id === role.chainFrom)!;
      const first = await this.assume(source, user, CHAIN_SOURCE_SECONDS, roleSessionName);
      const result = await this.deps.sts.assumeRole({
        caller: first.credentials,
        roleArn: role.arn,
        roleSessionName,
        durationSeconds,
        policy,
      });
      return this.issued(result, role, roleSessionName);
    }
    const now = this.deps.clock.now();
    if (role.via === 'saml') {
      const assertion = await this.deps.issuer.samlResponse(identity, role, durationSeconds, now);
      const result = await this.deps.sts.assumeRoleWithSaml({
        roleArn: role.arn,
        samlProviderArn: role.providerArn!,
        samlAssertion: Buffer.from(assertion).toString('base64'),
        durationSeconds,
        policy,
      });
      return this.issued(result, role, roleSessionName);
    }
    const token = role.oidcPassThrough ? upstreamIdToken(connectorData, now) : await this.deps.issuer.idToken(identity, role, now);
    const result = await this.deps.sts.assumeRoleWithOidc({
      roleArn: role.arn,
      oidcProviderArn: role.providerArn!,
      oidcToken: token,
      roleSessionName,
      durationSeconds,
      policy,
    });
    return this.issued(result, role, roleSessionName);
  }

  private issued(result: AssumeRoleResult, role: Role, roleSessionName: string): IssuedCredentials {
    return {
      credentials: result.credentials,
      roleArn: role.arn,
      assumedRoleArn: result.assumedRoleUser.arn,
      roleSessionName,
      requestId: result.requestId,
    };
  }
}

/**
 * The API whose RoleSessionName rule applies to the session handed out for `role`. A chain's first
 * hop, when SAML, carries its own name in the assertion; every name passed as a parameter (OIDC,
 * and AssumeRole for the chain's last hop) follows the stricter parameter rule.
 */
function sessionNameApi(role: Role): SessionNameApi {
  if (role.via === 'saml') return 'AssumeRoleWithSAML';
  return role.via === 'oidc' ? 'AssumeRoleWithOIDC' : 'AssumeRole';
}

/**
 * An upstream ID token this close to its `exp` is treated as expired: it would be past it by the
 * time STS checks it (a retry, clocks a little apart), and STS would answer "expired, try again".
 */
const UPSTREAM_TOKEN_MARGIN_MS = 30_000;

/**
 * The corporate IdP's own ID token, for pass-through roles. It lives as long as the IdP made it
 * (often an hour), the bridge's sessions much longer: one that is gone, unreadable or (nearly)
 * expired is refused here, before STS, as "sign in again", the only thing that brings a new one.
 */
function upstreamIdToken(data: ConnectorData | undefined, now: number): string {
  const token = data?.idToken;
  if (!token || !isUsable(token, now)) {
    throw new BridgeError('ERR_NOT_SIGNED_IN', {
      userMessage: sentence('err.ERR_NOT_SIGNED_IN.idToken'),
      hint: sentence('hint.signOutIn'),
    });
  }
  return token;
}

/** Whether `token`'s `exp` is more than the margin ahead of `now`; no `exp`, or no JWT, is not. */
function isUsable(token: string, now: number): boolean {
  // Only its lifetime is read, to spare a call bound to fail: STS verifies it.
  const times = idTokenTimes(token);
  return times !== undefined && times.exp * 1000 > now + UPSTREAM_TOKEN_MARGIN_MS;
}

/** The role's session policy as the JSON text STS expects, or undefined. */
function sessionPolicy(role: Role): string | undefined {
  return role.sessionPolicy === undefined ? undefined : policyText(role.sessionPolicy);
}
