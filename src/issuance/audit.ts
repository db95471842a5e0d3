import { AUDIT_RECORD_DROPPED, type Logger } from '../log.js';

/** One record per issuance attempt (SECURITY.md, "The secrets and what each protects"): who, why, which role, where from — never secrets. */
export interface AuditRecord {
  outcome: 'issued' | 'refused';
  channel: 'web-console' | 'web-credentials' | 'cli';
  /** `saml-post`: the browser carried a minted assertion to the sign-in service (no STS call by the bridge). */
  delivery?: 'sts' | 'saml-post';
  user: { idp: string; issuer: string; subject: string; email?: string };
  groups: string[];
  /** The grants that entitled the user to the role. */
  grants: string[];
  roleId: string;
  roleArn: string;
  /** For chained roles, the role assumed first. */
  chainedFrom?: string;
  /** What STS was asked for. */
  durationSeconds: number;
  /** The duration requested, when the end of the session that asked cut `durationSeconds` short. */
  requestedDurationSeconds?: number;
  clientIp: string;
  /** The HTTP request's id (`X-Request-Id`): ties this record to the access log and the client's output. */
  requestId?: string;
  justification?: string;
  roleSessionName?: string;
  assumedRoleArn?: string;
  accessKeyId?: string;
  expiration?: string;
  stsRequestId?: string;
  errorCode?: string;
  stsCode?: string;
}

/** One record per refused request (a coded 4xx): what was refused, for whom if known, never the input. */
export interface RefusalRecord {
  code: string;
  status: number;
  method: string;
  /** The route template (`/oidc/:idp/callback`), never the raw path or its query. */
  route: string;
  clientIp: string;
  requestId?: string;
  user?: AuditUser;
  /** The CLI session that asked (bearer API), so a refusal can be traced to it and revoked. */
  sid?: string;
}

/** Who, in a record: the IdP's own identifiers, never a display name. */
export interface AuditUser {
  idp: string;
  issuer: string;
  subject: string;
  email?: string;
}

export function auditUser(u: AuditUser): AuditUser {
  return { idp: u.idp, issuer: u.issuer, subject: u.subject, ...(u.email === undefined ? {} : { email: u.email }) };
}

/**
 * One record per security event that changes who holds access: a browser sign-in or sign-out (or
 * its end by the IdP), a device login approved, a CLI session started or revoked. Shaped like a refusal record (who, from
 * where, which request, which CLI session).
 */
export interface SecurityEventRecord {
  event: 'login' | 'logout' | 'session-ended' | 'device-approved' | 'cli-session-started' | 'cli-session-revoked';
  clientIp?: string;
  requestId?: string;
  user?: AuditUser;
  /** The CLI session started or revoked. */
  sid?: string;
  /**
   * Who revoked a CLI session: `client`, `user`, `user-sign-out`, `idp`, `config`, `session-limit`,
   * `upstream-refresh-unavailable`, `admin` (`rambridge sessions revoke`); who ended a browser session: `idp`.
   */
  by?: string;
  /** `login`: the groups and authentication methods the IdP sent. */
  groups?: string[];
  amr?: string[];
  /** `device-approved`, `cli-session-started`: the CLI's machine, as it named itself, and its address. */
  device?: { host?: string; ip?: string };
  /** `by: session-limit`: the limit that was passed. */
  limit?: number;
}

const EVENT_MESSAGES: Record<SecurityEventRecord['event'], string> = {
  login: 'signed in',
  logout: 'signed out',
  'session-ended': 'browser session ended',
  'device-approved': 'device approved',
  'cli-session-started': 'CLI signed in',
  'cli-session-revoked': 'CLI session revoked',
};

/** What AuditLog tells besides the audit stream: metrics, and the main log when the stream cannot be written. */
export interface AuditHooks {
  /** Sees each issuance record too (metrics count them by role and channel). */
  onIssuance?: (entry: AuditRecord) => void;
  /**
   * Called for each record the audit stream refused: kept in memory to be written later
   * (`rambridge_audit_write_failures_total`), or `dropped`, lost because that backlog is full
   * (`rambridge_audit_records_dropped_total`).
   */
  onWriteFailure?: (dropped: boolean) => void;
  /** Where a failed audit write is told (the main log); default: the audit logger itself, in case only its level failed. */
  mainLog?: Logger;
}

/**
 * The audit stream: one record per issuance (`event: issuance`), per refusal (`event: refusal`)
 * and per security event (SecurityEventRecord), each with the request id, written at level info to its own logger (see
 * createAuditLogger), so neither the main log level nor a noisy access log can hide it. Records
 * carry `audit: true`, to route them apart when they share a stream with the main log.
 *
 * A record the stream refuses (a full disk, a read-only mount) never fails the request: the answer
 * is still sent. The main log gets one error line (`audit-write-failed`) when the failures start,
 * not one per request, and one (`audit-write-recovered`) when a record is written again; each
 * issuance record that failed is logged there in full (credentials were minted: who, which role,
 * which AccessKeyId), which STS's own pace bounds.
 */
export class AuditLog {
  /** Records not written since the last one that was (0: the stream is healthy), and how many of them were dropped. */
  private failures = 0;
  private dropped = 0;

  constructor(
    private readonly log: Logger,
    private readonly hooks: AuditHooks = {},
  ) {}

  record(entry: AuditRecord): void {
    this.hooks.onIssuance?.(entry);
    this.write({ audit: true, event: 'issuance', ...entry }, entry.outcome === 'issued' ? 'credentials issued' : 'issuance refused', entry);
  }

  refusal(entry: RefusalRecord): void {
    this.write({ audit: true, event: 'refusal', ...entry }, 'request refused');
  }

  event(entry: SecurityEventRecord): void {
    this.write({ audit: true, ...entry }, EVENT_MESSAGES[entry.event]);
  }

  private write(fields: Record<string, unknown>, msg: string, issuance?: AuditRecord): void {
    try {
      this.log.info(fields, msg);
    } catch (err) {
      this.failed(err, issuance);
      return;
    }
    if (this.failures > 0) {
      this.tell('warn', { event: 'audit-write-recovered', failures: this.failures, dropped: this.dropped }, 'audit stream written again');
      this.failures = 0;
      this.dropped = 0;
    }
  }

  private failed(err: unknown, issuance?: AuditRecord): void {
    const code = (err as { code?: unknown })?.code;
    const dropped = code === AUDIT_RECORD_DROPPED;
    this.failures += 1;
    if (dropped) this.dropped += 1;
    this.hooks.onWriteFailure?.(dropped);
    if (this.failures > 1 && !issuance) return;
    this.tell(
      'error',
      {
        event: 'audit-write-failed',
        errorCode: typeof code === 'string' ? code : undefined,
        err: this.failures === 1 ? err : undefined,
        ...(issuance ? { record: issuance } : {}),
      },
      issuance ? 'audit stream not written: issuance record follows' : 'audit stream not written',
    );
  }

  /** The main log; if it fails too (it shares the audit stream's destination), there is nowhere left to tell. */
  private tell(level: 'warn' | 'error', fields: Record<string, unknown>, msg: string): void {
    try {
      (this.hooks.mainLog ?? this.log)[level](fields, msg);
    } catch {
      // Nothing to do: the request must still be answered.
    }
  }
}
