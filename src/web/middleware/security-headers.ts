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
  // The fixed headers, built once; set on Node's response directly (Koa's ctx.set adds two calls
  // per header on every request, and does nothing more once the headers are sent, as checked here).
  const fixed: [string, string][] = [
    ['X-Content-Type-Options', 'nosniff'],
    ['X-Frame-Options', 'DENY'],
    ['Referrer-Policy', 'no-referrer'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ...(options.https ? [['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'] as [string, string]] : []),
  ];
  return async (ctx, next) => {
    ctx.state.formActions = [DEFAULT_FORM_ACTION];
    try {
      await next();
    } finally {
      const { res } = ctx;
      if (!res.headersSent) {
        const formActions = ctx.state.formActions ?? [];
        const onlyDefault = formActions.length === 1 && formActions[0] === DEFAULT_FORM_ACTION;
        res.setHeader('Content-Security-Policy', onlyDefault ? DEFAULT_CSP : cspWith(formActions.join(' ')));
        for (const [name, value] of fixed) res.setHeader(name, value);
        if (!res.hasHeader('Cache-Control')) {
          res.setHeader('Cache-Control', 'no-store');
          res.setHeader('Pragma', 'no-cache');
        }
      }
    }
  };
}
