import type { Context } from 'koa';
import { auditUser, type AuditLog, type AuditUser, type SecurityEventRecord } from '../issuance/index.js';

/**
 * Writes a security event (a sign-in or sign-out, a device login approved, a CLI session started or
 * revoked) to the audit stream, with the request's id and client address, so `log.level: warn`
 * cannot hide it. The main log has no line of its own for these events: with the default
 * `audit.destination: log` the record is in the main log's stream.
 */
export function auditEvent(
  ctx: Context,
  audit: AuditLog,
  { event, user, ...rest }: Omit<SecurityEventRecord, 'clientIp' | 'requestId' | 'user'> & { user?: AuditUser },
): void {
  audit.event({
    event,
    requestId: (ctx.state as { requestId?: string }).requestId,
    clientIp: ctx.ip,
    ...(user ? { user: auditUser(user) } : {}),
    ...rest,
  });
}
