import Router from '@koa/router';
import type { Context, Next } from 'koa';

type Dispatch = (ctx: Context, next: Next) => Promise<void>;

/**
 * One middleware that serves `routers` as a single router would, with its `allowedMethods()`
 * (405 and `Allow`, 501), but matches each request against a few routes rather than all of them.
 *
 * @koa/router tests every route's regular expression, one after the other, against every request:
 * with 35 routes that was a sixth of a `GET /api/roles`. Every route here starts with a fixed
 * segment (`/api/…`, `/saml/…`), so the routers are grouped by their routes' first segments and a
 * request is matched only against the routers with a route under its own. Any route that could
 * match it is in that group, in the same order; one starting with a parameter is refused at start.
 */
export function routeByFirstSegment(routers: readonly Router[]): Dispatch {
  const segmentsOf = new Map(routers.map((router) => [router, new Set(router.stack.map((layer) => fixedFirstSegment(layer.path)))]));
  const serve = (members: readonly Router[]): Dispatch => {
    const router = new Router();
    for (const member of members) router.use(member.routes());
    // Typed for a router's own context; here they run as the application's middleware, as app.use does.
    const routes = router.routes() as unknown as Dispatch;
    const allowedMethods = router.allowedMethods() as unknown as Dispatch; // 405 or 501 and `Allow`
    return (ctx, next) => allowedMethods(ctx, () => routes(ctx, next));
  };
  const groups = new Map<string, Dispatch>();
  for (const segment of new Set([...segmentsOf.values()].flatMap((segments) => [...segments])))
    groups.set(segment, serve(routers.filter((router) => segmentsOf.get(router)!.has(segment))));
  // No route matches, but an unknown method still gets 501, as from one router.
  const none = serve([]);
  // Named: the benchmark finds it in the application's middleware (bench/servers/bridge.mjs).
  return function dispatchByFirstSegment(ctx, next) {
    return (groups.get(firstSegment(ctx.path)) ?? none)(ctx, next);
  };
}

/** Lower case: routes match paths case-insensitively (@koa/router's default; only ASCII letters fold). */
function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return path.slice(1, end === -1 ? undefined : end).toLowerCase();
}

function fixedFirstSegment(path: string | RegExp): string {
  const segment = typeof path === 'string' ? firstSegment(path) : undefined;
  if (segment === undefined || /[:*{}()\\]/.test(segment))
    throw new TypeError(`route ${String(path)}: the first segment of a route must be fixed text (see routeByFirstSegment)`);
  return segment;
}
