import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import { BridgeError } from '../../errors.js';
import type { WebDeps } from '../deps.js';

/** Liveness, readiness and metrics. Readiness fails while the store or an IdP cannot be reached. */
export function opsRoutes(deps: WebDeps): Router {
  const router = new Router();

  router.get('/healthz', function liveness(ctx) {
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
    const token = deps.config.metrics.token;
    if (token && !bearerMatches(ctx.get('Authorization'), token)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="rambridge metrics"');
      throw new BridgeError('ERR_METRICS_UNAUTHORIZED', {
        userMessage: 'The metrics need a bearer token.',
        hint: 'Send `Authorization: Bearer <metrics.token>` (Prometheus: `authorization: {credentials_file: …}`).',
      });
    }
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });

  return router;
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
function bearerMatches(header: string, token: string): boolean {
  const presented = createHash('sha256')
    .update(/^Bearer (.+)$/.exec(header)?.[1] ?? '')
    .digest();
  return timingSafeEqual(presented, createHash('sha256').update(token).digest());
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
