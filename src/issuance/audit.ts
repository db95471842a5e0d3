import type { Logger } from '../log.js';

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
  durationSeconds: number;
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
  user?: { idp: string; issuer: string; subject: string; email?: string };
  /** The CLI session that asked (bearer API), so a refusal can be traced to it and revoked. */
  sid?: string;
}

/**
 * The audit stream: one record per issuance (`event: issuance`) and per refusal (`event:
 * refusal`), each with the request id, written at level info to its own logger (see
 * createAuditLogger), so neither the main log level nor a noisy access log can hide it. Records
 * carry `audit: true`, to route them apart when they share a stream with the main log.
 */
export class AuditLog {
  /** `onIssuance` sees each issuance record too (metrics count them by role and channel). */
  constructor(
    private readonly log: Logger,
    private readonly onIssuance?: (entry: AuditRecord) => void,
  ) {}

  record(entry: AuditRecord): void {
    this.onIssuance?.(entry);
    this.log.info({ audit: true, event: 'issuance', ...entry }, entry.outcome === 'issued' ? 'credentials issued' : 'issuance refused');
  }

  refusal(entry: RefusalRecord): void {
    this.log.info({ audit: true, event: 'refusal', ...entry }, 'request refused');
  }
}
