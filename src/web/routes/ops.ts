import Router from '@koa/router';
import type { WebDeps } from '../deps.js';

/** Liveness, readiness and metrics. Readiness fails while the store or an IdP cannot be reached. */
export function opsRoutes(deps: WebDeps): Router {
  const router = new Router();

  router.get('/healthz', async function liveness(ctx) {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async function readiness(ctx) {
    const checks: Record<string, string> = {};
    const probe = async (name: string, fn: () => Promise<void>) => {
      try {
        await withTimeout(fn(), 3000);
        checks[name] = 'ok';
      } catch {
        checks[name] = 'failing';
      }
    };
    await Promise.all([
      probe('store', () => deps.store.ping()),
      ...[...deps.connectors.values()].map((c) => probe(`idp:${c.id}`, () => c.ready())),
    ]);
    const ready = Object.values(checks).every((v) => v === 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not-ready', checks };
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
