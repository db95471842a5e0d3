import type { Context } from 'koa';

import type { SafeHtml } from './html.js';
import { STYLESHEET_CSP_SOURCE } from './views.js';

/** Writes one of the IdP's own HTML pages to the response. */
export type PageSender = (ctx: Context, page: SafeHtml, status?: number) => void;

/**
 * Builds the sender for the login, error and logout pages. The pages run no script and load
 * nothing, so the CSP allows only the inline stylesheet. `form-action` lists the relying parties'
 * redirect origins besides 'self': browsers apply it to the whole redirect chain that follows a
 * form submission, and the login POST ends in a redirect to the client.
 */
export function pageSender(formActionOrigins: readonly string[]): PageSender {
  const csp = [
    "default-src 'none'",
    `style-src ${STYLESHEET_CSP_SOURCE}`,
    `form-action 'self' ${formActionOrigins.join(' ')}`.trimEnd(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');

  return (ctx, page, status = 200) => {
    ctx.status = status;
    ctx.type = 'html';
    // Login forms and their errors must not be replayed from a cache or the back button.
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Security-Policy', csp);
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = page.markup;
  };
}
