import type { Middleware } from 'koa';

const cspWith = (formAction: string) =>
  `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; ` +
  `form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'; object-src 'none'`;
/** The policy of every page that does not widen `form-action`, built once. */
const DEFAULT_FORM_ACTION = "'self'";
const DEFAULT_CSP = cspWith(DEFAULT_FORM_ACTION);
/**
 * The policy of everything that is not a page (JSON, assets, probes): nothing may load, run, submit
 * or frame it — stricter than the pages' policy in every directive, and 100 bytes shorter on every
 * API answer. `form-action`, `base-uri` and `frame-ancestors` do not fall back to `default-src`.
 */
const NOT_A_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Headers every response carries (docs/security-reference.md §5): a strict CSP (no inline script on
 * pages, nothing at all on anything else), no framing, no referrer (callback URLs carry codes), and
 * no caching of anything personal. Routes that need a wider `form-action` (the console auto-post
 * form) extend `ctx.state.formActions`.
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
        res.setHeader('Content-Security-Policy', policyFor(res.getHeader('Content-Type'), ctx.state.formActions ?? []));
        for (const [name, value] of fixed) res.setHeader(name, value);
        if (!res.hasHeader('Cache-Control')) {
          res.setHeader('Cache-Control', 'no-store');
          res.setHeader('Pragma', 'no-cache');
        }
      }
    }
  };
}

function policyFor(contentType: unknown, formActions: string[]): string {
  if (typeof contentType !== 'string' || !contentType.startsWith('text/html')) return NOT_A_PAGE_CSP;
  const onlyDefault = formActions.length === 1 && formActions[0] === DEFAULT_FORM_ACTION;
  return onlyDefault ? DEFAULT_CSP : cspWith(formActions.join(' '));
}
