import type { Middleware } from 'koa';
import { BridgeError, ROUTINE_CODES, toBridgeError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Refusals } from '../refusals.js';
import type { OAuthErrorBody } from '../../wire/oauth-bodies.js';
import type { Views } from '../views.js';
import { errorText } from '../i18n/error-text.js';
import { translator, type MessageKey } from '../i18n/index.js';
import { pageLocale } from './language.js';

/** The error page's heading by status; any other status is "Something went wrong". */
const HEADINGS: Partial<Record<number, MessageKey>> = {
  400: 'error.heading.400',
  401: 'error.heading.401',
  403: 'error.heading.403',
  404: 'error.heading.404',
  413: 'error.heading.413',
  429: 'error.heading.429',
  501: 'error.heading.501',
};

/**
 * What a 429 tells the client to wait. The bridge's limits count in windows of one to fifteen
 * minutes (device starts, user-code guesses): a minute lets a real user retry soon without
 * inviting a tight loop.
 */
const RATE_LIMITED_RETRY_AFTER_SECONDS = 60;

/**
 * The one place that decides what a client sees when something fails (oidc-provider's
 * error_handler). Browsers get a page, API and CLI clients get OAuth-style JSON; both carry the
 * stable code and the request id. Details (library messages, attacker input) go to the log only.
 */
export function handleErrors(views: Views, refusals?: Refusals): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body === undefined) {
        if (ctx.status === 404) throw new BridgeError('ERR_NOT_FOUND');
        // The router's answer to a method the path lacks, with `Allow` already set (RFC 9110 §15.5.6);
        // 501 for a method no route has at all (PROPFIND, TRACE…).
        if (ctx.status === 405 || ctx.status === 501) throw new BridgeError('ERR_METHOD_NOT_ALLOWED');
      }
    } catch (thrown) {
      const err = toBridgeError(koaHttpError(thrown) ?? thrown);
      const log = (ctx.state.log as Logger | undefined) ?? console;
      const fields = { code: err.code, status: err.status, detail: err.detail, err: err.cause ?? undefined };
      if (err.status >= 500) log.error(fields, 'request failed');
      else if (ROUTINE_CODES.has(err.code)) log.debug(fields, 'request answered');
      else log.warn(fields, 'request refused');
      refusals?.observe(ctx, err);

      ctx.status = err.status;
      ctx.set('Cache-Control', 'no-store');
      if (err.status === 429) ctx.set('Retry-After', String(RATE_LIMITED_RETRY_AFTER_SECONDS));
      const wantsHtml = ctx.accepts('json', 'html') === 'html' && !ctx.path.startsWith('/api/') && !ctx.path.startsWith('/oauth/');
      // In the request's language (middleware/language.ts; English when it ran not); the code stays as
      // it is. RFC 6749 §5.2 allows only ASCII in error_description: on OAuth endpoints it is the
      // English sentence, and `message` carries the request's language for the CLI to show.
      const lang = ctx.state.lang ?? 'en';
      const { message, hint } = errorText(err, lang);
      const oauth = ctx.path.startsWith('/oauth/');
      if (wantsHtml) {
        const heading = translator(lang)(HEADINGS[err.status] ?? 'error.heading.other');
        ctx.type = 'html';
        ctx.body = views.render(
          'error',
          {
            title: heading,
            heading,
            message,
            hint,
            code: err.code,
            requestId: ctx.state.requestId,
            retryHref: '/roles',
            user: ctx.state.user,
            csrf: ctx.session?.csrf,
          },
          { ...pageLocale(ctx), lang },
        );
      } else {
        ctx.body = {
          error: err.oauthError,
          error_description: oauth && lang !== 'en' ? errorText(err, 'en').message : message,
          ...(oauth && lang !== 'en' ? { message } : {}),
          code: err.code,
          ...(hint ? { hint } : {}),
          request_id: ctx.state.requestId,
        } satisfies OAuthErrorBody;
      }
    }
  };
}

/** Errors thrown by Koa itself or body parsing (ctx.throw, payload too large…) carry a status. */
function koaHttpError(err: unknown): BridgeError | undefined {
  const status = (err as { status?: unknown })?.status;
  if (err instanceof BridgeError || typeof status !== 'number') return undefined;
  if (status === 404) return new BridgeError('ERR_NOT_FOUND', { cause: err });
  if (status === 413) return new BridgeError('ERR_BODY_TOO_LARGE', { cause: err, detail: { limit: (err as { limit?: unknown }).limit } });
  if (status >= 400 && status < 500) return new BridgeError('ERR_BAD_REQUEST', { cause: err, detail: { status } });
  return undefined;
}
