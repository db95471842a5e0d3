import { randomBytes } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../../log.js';
import type { Metrics } from '../metrics.js';

/** Request ids are 9 random bytes; drawn from a pool refilled now and then, not one syscall each. */
const ID_BYTES = 9;
const POOL_IDS = 512;
let pool = Buffer.alloc(0);
let offset = 0;

function newRequestId(): string {
  if (offset >= pool.length) {
    pool = randomBytes(ID_BYTES * POOL_IDS);
    offset = 0;
  }
  offset += ID_BYTES;
  return pool.toString('base64url', offset - ID_BYTES, offset);
}

/**
 * A request's `ctx.state` as it starts: its id, and a child logger made on first use. A class, so
 * the lazy getter lives once on the prototype rather than as two new closures per request.
 */
class State {
  private childLog: Logger | undefined;
  constructor(
    private readonly logger: Logger,
    readonly requestId: string,
  ) {}
  get log(): Logger {
    return (this.childLog ??= this.logger.child({ requestId: this.requestId }));
  }
  set log(value: Logger) {
    this.childLog = value;
  }
}

/** Health probes: their access lines are debug unless they fail. */
const PROBES = new Set(['/healthz', '/readyz']);

const accessLine = (ctx: Context, requestId: string, seconds: number) => ({
  requestId,
  method: ctx.method,
  path: ctx.path,
  status: ctx.status,
  ms: Math.round(seconds * 1000),
  ip: ctx.ip,
});

/**
 * Gives each request an id (echoed in `X-Request-Id` and on error pages), a child logger, and one
 * access-log line and metric sample when it ends. The URL is logged without its query string:
 * callbacks carry `code` and `state` there. The child logger is built on first use: most requests
 * log nothing but their access line, which carries the id itself.
 */
export function requestContext(logger: Logger, metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    const requestId = newRequestId();
    // Whatever a middleware mounted before this one put on the state is kept.
    ctx.state = Object.assign(new State(logger, requestId), ctx.state);
    ctx.set('X-Request-Id', requestId);
    // The id reaches the audit records through the issuance request (IssueRequest.requestId), not
    // an AsyncLocalStorage: running one per request turns on async hooks for every promise in the
    // process, about a seventh of a /healthz request's CPU.
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      metrics.observeRequest(ctx.method, String(route), ctx.status, seconds);
      // A load balancer's health probes, every few seconds from each checker, would bury the
      // access log: answered ones log at debug (still counted in the metrics); a failing one at info.
      if (ctx.status < 400 && PROBES.has(ctx.path)) {
        if (logger.isLevelEnabled('debug')) logger.debug(accessLine(ctx, requestId, seconds), 'request');
      } else logger.info(accessLine(ctx, requestId, seconds), 'request');
    }
  };
}
