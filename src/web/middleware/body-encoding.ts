import type { Middleware } from 'koa';
import { BridgeError, sentence } from '../../errors.js';

/**
 * Refuses request bodies sent with a Content-Encoding (gzip, deflate, br…). No client of the
 * bridge compresses what it posts — browsers never do, the CLI does not — so accepting it would
 * only hand attackers a decompressor to feed: a corrupt stream used to surface as a 500 with a
 * zlib stack, and a small bomb expands before any size limit can look at it.
 */
export function refuseEncodedBodies(): Middleware {
  // Not async: a request without the header (nearly all) passes through without a promise of its own.
  return function checkBodyEncoding(ctx, next) {
    const header = ctx.get('Content-Encoding');
    if (header === '') return next();
    const encoding = header.trim().toLowerCase();
    if (encoding !== '' && encoding !== 'identity') {
      throw new BridgeError('ERR_BODY_ENCODING', {
        userMessage: sentence('err.ERR_BODY_ENCODING'),
        detail: { contentEncoding: encoding.slice(0, 40) },
      });
    }
    return next();
  };
}
