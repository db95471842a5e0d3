import { readFileSync } from 'node:fs';
import type { Middleware } from 'koa';

const FILES: Record<string, string> = {
  '/assets/app.css': 'text/css; charset=utf-8',
  '/assets/picker.js': 'text/javascript; charset=utf-8',
  '/assets/page.js': 'text/javascript; charset=utf-8',
};

/** Serves the few static files from memory; read once at start-up, not per request. */
export function serveAssets(): Middleware {
  const dir = new URL('../../src/web/assets/', import.meta.url);
  const bodies = new Map(
    Object.entries(FILES).map(([path, type]) => [path, { type, body: readFileSync(new URL(path.slice('/assets/'.length), dir)) }]),
  );
  // Not async: every other request passes straight through, without a promise of its own.
  return (ctx, next) => {
    const asset = ctx.method === 'GET' ? bodies.get(ctx.path) : undefined;
    if (!asset) return next();
    ctx.type = asset.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = asset.body;
  };
}
