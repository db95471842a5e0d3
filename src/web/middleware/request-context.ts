import { randomBytes } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../../log.js';
import { withRequestId } from '../../request-scope.js';
import type { Metrics } from '../metrics.js';

/**
 * Gives each request an id (echoed in `X-Request-Id` and on error pages), a child logger, and one
 * access-log line and metric sample when it ends. The URL is logged without its query string:
 * callbacks carry `code` and `state` there.
 */
export function requestContext(logger: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const requestId = randomBytes(9).toString('base64url');
    ctx.state.requestId = requestId;
    const log = logger.child({ requestId });
    ctx.state.log = log;
    ctx.set('X-Request-Id', requestId);
    try {
      await withRequestId(requestId, next);
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      metrics.observeRequest(ctx.method, String(route), ctx.status, seconds);
      log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(seconds * 1000), ip: ctx.ip }, 'request');
    }
  };
}
