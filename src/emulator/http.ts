import type { Context, Next } from 'koa';
import type { EmulatorDeps } from './deps.js';
import { AlibabaError, duplicatedParameter, errorBody, internalError, unreadableRequest } from './errors.js';
import { PAGE_CSP, html, page, type Html } from './html.js';
import { newRequestId } from './random.js';

/**
 * HTTP plumbing shared by every emulator route: request ids, security headers, parameters from
 * query and form body, and the one place errors are turned into responses and log lines.
 */

/** The RequestId of the current request (also sent as `x-acs-request-id`). */
export function requestIdOf(ctx: Context): string {
  return (ctx.state as { requestId: string }).requestId;
}

/**
 * Assigns the request id, sets headers every response needs, renders AlibabaErrors and logs one
 * line per request — path only: the query of GetSigninToken carries a secret by design.
 */
export function handleRequests(deps: EmulatorDeps) {
  return async function handleRequest(ctx: Context, next: Next): Promise<void> {
    const requestId = newRequestId(deps.random);
    (ctx.state as { requestId: string }).requestId = requestId;
    ctx.set('x-acs-request-id', requestId);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    let failure: AlibabaError | undefined;
    try {
      await next();
    } catch (err) {
      failure = asAlibabaError(err);
      sendError(ctx, failure);
    }
    deps.logger.info(
      { requestId, method: ctx.method, path: ctx.path, status: ctx.status, code: failure?.code, reason: failure?.reason },
      'emulator request',
    );
  };
}

/**
 * Client mistakes Koa or the body parser detect (a body too large, malformed or of another type)
 * keep their 4xx status; anything else unexpected is the service's fault.
 */
function asAlibabaError(err: unknown): AlibabaError {
  if (err instanceof AlibabaError) return err;
  const { status, expose, message, stack } = (err ?? {}) as Partial<{ status: number; expose: boolean; message: string; stack: string }>;
  if (expose && status !== undefined && status >= 400 && status < 500) return unreadableRequest(status, message);
  return internalError(stack ?? String(err));
}

/** JSON for API clients, an HTML page for browsers (the role-SSO and Login endpoints face both). */
function sendError(ctx: Context, err: AlibabaError): void {
  ctx.status = err.status;
  if (ctx.accepts('json', 'html') === 'html') {
    ctx.set('Content-Security-Policy', PAGE_CSP);
    ctx.type = 'html';
    ctx.body = page(
      'Request refused',
      html`<dl>
        <dt>Code</dt>
        <dd data-testid="error-code">${err.code}</dd>
        <dt>Message</dt>
        <dd data-testid="error-message">${err.message}</dd>
        <dt>RequestId</dt>
        <dd>${requestIdOf(ctx)}</dd>
      </dl>`,
    );
    return;
  }
  sendJson(ctx, errorBody(err, requestIdOf(ctx), ctx.host));
}

/** An Alibaba-style JSON body (`application/json;charset=utf-8`). */
export function sendJson(ctx: Context, body: Record<string, unknown>): void {
  ctx.type = 'application/json;charset=utf-8';
  ctx.body = JSON.stringify(body);
}

/** A full HTML page under the emulator's CSP. */
export function sendPage(ctx: Context, title: string, body: Html): void {
  ctx.set('Content-Security-Policy', PAGE_CSP);
  ctx.type = 'html';
  ctx.body = page(title, body);
}

/**
 * Parameters from the query string and the form body, as exact name/value pairs. A name given
 * twice (in either place, or in both) is refused: which copy a signature covered and which one
 * an action read must never be able to differ.
 */
export function collectParams(ctx: Context): { params: Record<string, string>; query: Record<string, string> } {
  const query: Record<string, string> = {};
  const params: Record<string, string> = {};
  const add = (target: Record<string, string>, pairs: URLSearchParams) => {
    for (const [name, value] of pairs) {
      if (Object.hasOwn(target, name)) throw duplicatedParameter(name);
      target[name] = value;
    }
  };
  add(query, new URLSearchParams(ctx.querystring));
  add(params, new URLSearchParams(ctx.querystring));
  if (ctx.is('application/x-www-form-urlencoded')) add(params, new URLSearchParams(ctx.request.rawBody ?? ''));
  return { params, query };
}
