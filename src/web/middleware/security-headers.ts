import type { Middleware } from 'koa';

const cspWith = (formAction: string) =>
  `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; ` +
  `form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`;
/** The policy of every response that does not widen `form-action`, built once. */
const DEFAULT_FORM_ACTION = "'self'";
const DEFAULT_CSP = cspWith(DEFAULT_FORM_ACTION);

/**
 * Headers every response carries (docs/security-reference.md §5): a strict CSP with no inline script, no framing,
 * no referrer (callback URLs carry codes), and no caching of anything personal. Routes that need a
 * wider `form-action` (the console auto-post form) extend `ctx.state.formActions`.
 */
export function securityHeaders(options: { https: boolean }): Middleware {
  return async (ctx, next) => {
    ctx.state.formActions = [DEFAULT_FORM_ACTION];
    try {
      await next();
    } finally {
      const formAction = (ctx.state.formActions ?? []).join(' ');
      ctx.set('Content-Security-Policy', formAction === DEFAULT_FORM_ACTION ? DEFAULT_CSP : cspWith(formAction));
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('X-Frame-Options', 'DENY');
      ctx.set('Referrer-Policy', 'no-referrer');
      ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
      if (options.https) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
      if (!ctx.response.get('Cache-Control')) {
        ctx.set('Cache-Control', 'no-store');
        ctx.set('Pragma', 'no-cache');
      }
    }
  };
}
