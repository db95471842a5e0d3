import type { Middleware } from 'koa';
import { BridgeError, sentence } from '../../errors.js';

/**
 * With an https `publicUrl` every cookie the bridge sets is Secure, and Koa refuses to send one on a
 * request it believes arrived over plain http: behind a TLS-terminating proxy whose
 * X-Forwarded-Proto is not trusted (`server.trustProxy: 0`), every sign-in would fail with a bare
 * 500. This turns that failure into a coded error that names the setting. Requests that set no
 * cookie (health checks from the proxy, metrics) are untouched.
 */
export function explainInsecureTransport(https: boolean): Middleware {
  // On plain http there is nothing to explain: a pass-through, without a promise of its own.
  if (!https) return (_ctx, next) => next();
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      // The `cookies` package's refusal has no code; the message is its only mark.
      if (!ctx.secure && err instanceof Error && /secure cookie/i.test(err.message)) {
        throw new BridgeError('ERR_TRANSPORT_INSECURE', {
          expose: true,
          userMessage: sentence('err.ERR_TRANSPORT_INSECURE'),
          hint: sentence('hint.transportInsecure'),
          detail: { protocol: ctx.protocol, forwardedProto: ctx.get('X-Forwarded-Proto') || undefined },
          cause: err,
        });
      }
      throw err;
    }
  };
}
