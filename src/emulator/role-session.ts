import type { RoleEntry } from './directory.js';
import type { PolicyDocument, Permissions } from './policy.js';
import { effectivePermissions } from './session-policy.js';

/** How a role session came to be: the STS action, or the role-SSO console sign-in. */
export type SessionOrigin = 'AssumeRoleWithSAML' | 'AssumeRoleWithOIDC' | 'AssumeRole' | 'RoleSSO';

/** One assumed-role session: what GetCallerIdentity, the console and the debug endpoint show. */
export interface RoleSession {
  role: RoleEntry;
  sessionName: string;
  origin: SessionOrigin;
  /** `<roleId>:<sessionName>`, as AssumedRoleUser.AssumedRoleId and GetCallerIdentity.PrincipalId. */
  assumedRoleId: string;
  /** Epoch ms, on a whole second so it equals the `Expiration` string handed out. */
  expiresAt: number;
  sessionPolicy?: PolicyDocument;
  /** Role policies ∩ session policy. */
  permissions: Permissions;
}

export interface NewRoleSession {
  role: RoleEntry;
  sessionName: string;
  origin: SessionOrigin;
  now: number;
  durationSeconds: number;
  /** A hard end the session may not outlive (the assertion's SessionNotOnOrAfter). */
  notAfter?: number;
  sessionPolicy?: PolicyDocument;
}

/** A session for the role, ending at `now + durationSeconds` or `notAfter`, whichever is first. */
export function newRoleSession(s: NewRoleSession): RoleSession {
  const end = Math.min(s.now + s.durationSeconds * 1000, s.notAfter ?? Infinity);
  return {
    role: s.role,
    sessionName: s.sessionName,
    origin: s.origin,
    assumedRoleId: `${s.role.roleId}:${s.sessionName}`,
    expiresAt: Math.floor(end / 1000) * 1000,
    sessionPolicy: s.sessionPolicy,
    permissions: effectivePermissions(s.role.policies, s.sessionPolicy),
  };
}

/**
 * `AssumedRoleUser.Arn` as each action's documentation shows it. The docs disagree
 * (docs/alibaba-cloud-reference.md §1: `acs:sts::…:assumed-role/…` for SAML, `acs:ram::…:role/<role>/<session>` for
 * AssumeRole and OIDC); the emulator reproduces the disagreement so no client comes to rely on
 * parsing one form.
 */
export function issuedArn(session: RoleSession): string {
  const { accountId, name } = session.role;
  return session.origin === 'AssumeRoleWithSAML' || session.origin === 'RoleSSO'
    ? `acs:sts::${accountId}:assumed-role/${name}/${session.sessionName}`
    : `acs:ram::${accountId}:role/${name}/${session.sessionName}`;
}

/** The caller ARN of a role session, as GetCallerIdentity returns it (docs/alibaba-cloud-reference.md §1, RRSA doc). */
export function callerArn(session: RoleSession): string {
  return `acs:ram::${session.role.accountId}:assumed-role/${session.role.name}/${session.sessionName}`;
}
