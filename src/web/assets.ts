import { readFileSync } from 'node:fs';
import type { Middleware } from 'koa';

const JS = 'text/javascript; charset=utf-8';
const SOURCE = new URL('../../src/web/assets/', import.meta.url);
// The package root's dist/, whether this module runs from dist/web/ (the build) or src/web/ (tests).
const BUILD = new URL('../../dist/', import.meta.url);

/** Each asset's path and where its body comes from. */
const FILES: Record<string, { type: string; file: URL }> = {
  '/assets/app.css': { type: 'text/css; charset=utf-8', file: new URL('app.css', SOURCE) },
  '/assets/picker.js': { type: JS, file: new URL('picker.js', SOURCE) },
  '/assets/page.js': { type: JS, file: new URL('page.js', SOURCE) },
  '/assets/launch.js': { type: JS, file: new URL('launch.js', SOURCE) },
  '/assets/resume.js': { type: JS, file: new URL('resume.js', SOURCE) },
  '/assets/session-ending.js': { type: JS, file: new URL('session-ending.js', SOURCE) },
  // The CLI's role matcher, compiled: the picker filters with the very code `rambridge` uses.
  '/assets/fuzzy.js': { type: JS, file: new URL('wire/fuzzy.js', BUILD) },
  // Which roles a query shows (imports ./fuzzy.js): the server's `?q=` runs the same.
  '/assets/role-filter.js': { type: JS, file: new URL('wire/role-filter.js', BUILD) },
};

/** Serves the few static files from memory; read once at start-up, not per request. */
export function serveAssets(): Middleware {
  const bodies = new Map(Object.entries(FILES).map(([path, { type, file }]) => [path, { type, body: readFileSync(file) }]));
  // Not async: every other request passes straight through, without a promise of its own.
  return (ctx, next) => {
    const asset = ctx.method === 'GET' ? bodies.get(ctx.path) : undefined;
    if (!asset) return next();
    ctx.type = asset.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = asset.body;
  };
}
