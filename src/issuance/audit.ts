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
  justification?: string;
  roleSessionName?: string;
  assumedRoleArn?: string;
  accessKeyId?: string;
  expiration?: string;
  stsRequestId?: string;
  errorCode?: string;
  stsCode?: string;
}

/** Writes audit records as their own structured log stream (`audit: true`) so they can be routed apart. */
export class AuditLog {
  private readonly log: Logger;
  constructor(logger: Logger) {
    this.log = logger.child({ audit: true });
  }

  record(entry: AuditRecord): void {
    this.log.info({ event: 'issuance', ...entry }, entry.outcome === 'issued' ? 'credentials issued' : 'issuance refused');
  }
}
