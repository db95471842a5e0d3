import type { Context } from 'koa';
import { ROUTINE_CODES, type BridgeError } from '../errors.js';
import type { AuditLog } from '../issuance/audit.js';
import type { Metrics } from './metrics.js';

/**
 * The record of a refused request: an audit `refusal` record and `rambridge_refusals_total`. Written
 * by handleErrors for whatever is thrown, and by the few routes that answer a refusal with a page of
 * their own (a deep link to a role not granted): one rule for both.
 */
export class Refusals {
  constructor(private readonly record: { audit?: AuditLog; metrics?: Metrics } = {}) {}

  /** Records `err` if it is a refusal worth recording (see isRefusal); anything else is ignored. */
  observe(ctx: Context, err: BridgeError): void {
    if (!isRefusal(err)) return;
    this.record.metrics?.observeRefusal(err.code);
    // Who asked: the browser's user, or the CLI session's (a bearer request has no browser user), or
    // the session the error names (a reused refresh token: no session was loaded, the bridge found it).
    const cliSession = ctx.state.cliSession;
    const named = err.detail as { sid?: string; idp?: string; issuer?: string; subject?: string; email?: string } | undefined;
    const user =
      ctx.state.user ??
      cliSession?.identity ??
      (named?.idp && named.issuer && named.subject
        ? { idp: named.idp, issuer: named.issuer, subject: named.subject, email: named.email }
        : undefined);
    this.record.audit?.refusal({
      code: err.code,
      status: err.status,
      method: ctx.method,
      route: String((ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched'),
      clientIp: ctx.ip,
      requestId: ctx.state.requestId,
      ...(user ? { user: { idp: user.idp, issuer: user.issuer, subject: user.subject, email: user.email } } : {}),
      ...(cliSession ? { sid: cliSession.sid } : typeof named?.sid === 'string' ? { sid: named.sid } : {}),
    });
  }
}

/**
 * Refusals the audit stream records: every coded 4xx except the routine ones (a CLI polling for
 * approval) and unknown paths or methods (scanners, favicons), which would drown the rest.
 */
function isRefusal(err: BridgeError): boolean {
  return (
    err.status >= 400 &&
    err.status < 500 &&
    !ROUTINE_CODES.has(err.code) &&
    err.code !== 'ERR_NOT_FOUND' &&
    err.code !== 'ERR_METHOD_NOT_ALLOWED'
  );
}
