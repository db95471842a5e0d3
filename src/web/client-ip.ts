import type { Context } from 'koa';

/** The client address for audit records (behind a proxy only when `trustProxy` is on). */
export function clientIp(ctx: Context): string {
  return ctx.ip;
}
