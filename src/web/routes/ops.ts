import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { BridgeError, sentence } from '../../errors.js';
import { sameSecret } from '../../secret-compare.js';
import type { WebDeps } from '../deps.js';

interface Outcome {
  status: 'ok' | 'failing';
  code?: string;
}

/** How long one readiness check may take: a probe that hangs is worse than one that says "failing". */
const CHECK_TIMEOUT_MS = 3000;

/** The liveness answer, serialised once. */
const LIVE = JSON.stringify({ status: 'ok' });

/**
 * Readiness and metrics (liveness, `/healthz`, is `liveness()` below, answered before the rest).
 *
 * Readiness is 503 only for what every request needs: the store. An IdP that cannot be reached is
 * reported (`idps.<id>` with its error code) and makes the status `degraded`, still 200: taking
 * every instance out of rotation for one bad IdP would stop the other IdPs' users, and CLI
 * refreshes, while no other instance would do better. Alert on `degraded` instead.
 * Each IdP is checked again on its own schedule (discovery, metadata), with backoff after a failure.
 */
export function opsRoutes(deps: WebDeps): Router {
  const router = new Router();
  // Each check's last outcome: a change is logged once, with the reason, rather than at every probe.
  const lastOutcome = new Map<string, string>();
  const logChange = (ctx: Context, check: string, outcome: Outcome, err?: unknown) => {
    const key = outcome.code ?? outcome.status;
    if (lastOutcome.get(check) === key) return;
    const first = !lastOutcome.has(check);
    lastOutcome.set(check, key);
    if (outcome.status === 'ok') {
      if (!first) ctx.state.log.info({ event: 'readiness', check, status: 'ok' }, `${check} is back`);
      return;
    }
    const detail = err instanceof BridgeError ? err.detail : { reason: `no answer within ${CHECK_TIMEOUT_MS} ms` };
    ctx.state.log.warn({ event: 'readiness', check, status: outcome.status, code: outcome.code, detail }, `${check} is failing`);
  };

  // GET and HEAD never get here (liveness() answers them first); the route makes the router answer
  // other methods 405 with `Allow`, as for every other path.
  router.get('/healthz', function liveness(ctx) {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async function readiness(ctx) {
    const checks: Record<string, string> = {};
    const idps: Record<string, Outcome> = {};
    const probe = async (check: string, fn: () => Promise<void>): Promise<Outcome> => {
      let outcome: Outcome;
      try {
        await withTimeout(fn(), CHECK_TIMEOUT_MS);
        outcome = { status: 'ok' };
        logChange(ctx, check, outcome);
      } catch (err) {
        // A check that timed out has no code: it is still running and has not said why yet.
        outcome = err instanceof BridgeError ? { status: 'failing', code: err.code } : { status: 'failing' };
        logChange(ctx, check, outcome, err);
      }
      return outcome;
    };
    const [store] = await Promise.all([
      probe('store', () => deps.store.ping()),
      ...[...deps.connectors.values()].map(async (c) => {
        idps[c.id] = await probe(`idp:${c.id}`, () => c.ready());
        checks[`idp:${c.id}`] = idps[c.id]!.status;
      }),
    ]);
    checks.store = store.status;
    const ready = store.status === 'ok';
    const degraded = Object.values(idps).some((i) => i.status !== 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: ready ? (degraded ? 'degraded' : 'ready') : 'not-ready', checks, idps };
  });

  // Browsers ask for it on every first visit: an empty answer they may keep for a day, rather than
  // a 404 page and a "request refused" warning in the log for each new browser.
  router.get('/favicon.ico', async function favicon(ctx) {
    ctx.status = 204;
    ctx.set('Cache-Control', 'public, max-age=86400');
  });

  router.get('/metrics', async function metrics(ctx) {
    const token = deps.config.metrics.token;
    if (token && !bearerMatches(ctx.get('Authorization'), token)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="rambridge metrics"');
      throw new BridgeError('ERR_METRICS_UNAUTHORIZED', {
        userMessage: sentence('err.ERR_METRICS_UNAUTHORIZED'),
        hint: sentence('hint.metricsToken'),
      });
    }
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });

  return router;
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
function bearerMatches(header: string, token: string): boolean {
  return sameSecret(/^Bearer (.+)$/.exec(header)?.[1] ?? '', token);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * `GET /healthz`: the process answers. Mounted right after the request id and security headers,
 * ahead of sessions, body parsing and the router: a liveness probe needs none of them, and load
 * balancers send one every few seconds from every checker. Still counted in the metrics under its
 * route and given an access line (at debug: request-context.ts).
 */
export function liveness(): Middleware {
  return (ctx, next) => {
    if (ctx.path !== '/healthz' || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    (ctx as { _matchedRoute?: string })._matchedRoute = '/healthz';
    ctx.type = 'json';
    ctx.body = LIVE;
    return Promise.resolve();
  };
}
