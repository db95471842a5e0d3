import Router from '@koa/router';
import { BridgeError } from '../../errors.js';
import type { WebDeps } from '../deps.js';

/** How long one readiness check may take: a probe that hangs is worse than one that says "failing". */
const CHECK_TIMEOUT_MS = 3000;

/**
 * Liveness, readiness and metrics.
 *
 * Readiness is 503 only for what every request needs: the store. An IdP that cannot be reached is
 * reported (`idps.<id>` with its error code) and makes the status `degraded`, still 200: taking
 * every instance out of rotation for one bad IdP would stop the other IdPs' users, and CLI
 * refreshes, while no other instance would do better. Alert on `degraded` instead.
 * Each IdP is checked again on its own schedule (discovery, metadata), with backoff after a failure.
 */
export function opsRoutes(deps: WebDeps): Router {
  const router = new Router();

  router.get('/healthz', async function liveness(ctx) {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async function readiness(ctx) {
    const checks: Record<string, string> = {};
    const idps: Record<string, { status: string; code?: string }> = {};
    const probe = async (fn: () => Promise<void>): Promise<{ status: string; code?: string }> => {
      try {
        await withTimeout(fn(), CHECK_TIMEOUT_MS);
        return { status: 'ok' };
      } catch (err) {
        // A check that timed out has no code: it is still running and has not said why yet.
        return err instanceof BridgeError ? { status: 'failing', code: err.code } : { status: 'failing' };
      }
    };
    const [store] = await Promise.all([
      probe(() => deps.store.ping()),
      ...[...deps.connectors.values()].map(async (c) => {
        idps[c.id] = await probe(() => c.ready());
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
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });

  return router;
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
