import { isIPv6 } from 'node:net';
import type { Context } from 'koa';

/** The client address for audit records (behind a proxy only when `trustProxy` is on). */
export function clientIp(ctx: Context): string {
  return ctx.ip;
}

/** What per-address rate limits count against: `networkOf` the client address. */
export function rateLimitedAddress(ctx: Context): string {
  return networkOf(ctx.ip);
}

/**
 * An IPv4 address as it is, and an IPv6 address as its /64 network: a host is commonly given a
 * whole /64, so counting single IPv6 addresses would give one machine 2^64 budgets. An
 * IPv4-mapped address (`::ffff:192.0.2.1`, a dual-stack socket) is its IPv4 address.
 */
export function networkOf(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const address = ip.split('%')[0]!; // a zone id (`fe80::1%eth0`) names an interface, not a host
  if (!isIPv6(address)) return ip;
  // A dotted IPv4 tail (`64:ff9b::192.0.2.1`) is the last two groups.
  const groups = (part: string) => (part === '' ? [] : part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])));
  const [head = '', tail] = address.split('::');
  const full =
    tail === undefined
      ? groups(head)
      : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return `${full
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}
