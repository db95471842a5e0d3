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
 * whole /64, so counting single IPv6 addresses would give one machine 2^64 budgets. An IPv6
 * address that carries an IPv4 one (mapped `::ffff:192.0.2.1` from a dual-stack socket, SIIT,
 * NAT64's `64:ff9b::/96`, the old compatible `::192.0.2.1`) is that IPv4 address: behind such a
 * front end, every IPv4 client would otherwise share one /64 and one budget.
 */
export function networkOf(ip: string): string {
  const address = ip.split('%')[0]!; // a zone id (`fe80::1%eth0`) names an interface, not a host
  if (!isIPv6(address)) return ip;
  const groups = ipv6Groups(address);
  const ipv4 = embeddedIpv4(groups);
  if (ipv4) return ipv4;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail as two groups). */
function ipv6Groups(address: string): number[] {
  const parse = (part: string) =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = address.split('::');
  if (tail === undefined) return parse(head);
  const [first, last] = [parse(head), parse(tail)];
  return [...first, ...Array<number>(8 - first.length - last.length).fill(0), ...last];
}

/** The IPv4 address an IPv6 one carries in its last 32 bits, for the prefixes that carry one. */
function embeddedIpv4(g: number[]): string | undefined {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const carries =
    (zeros(0, 5) && g[5] === 0xffff) || // ::ffff:0:0/96, mapped
    (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) || // ::ffff:0:0:0/96, SIIT
    (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) || // 64:ff9b::/96, NAT64
    (zeros(0, 6) && (g[6] !== 0 || g[7]! > 1)); // ::/96, compatible (not :: nor ::1)
  if (!carries) return undefined;
  return [g[6]! >> 8, g[6]! & 0xff, g[7]! >> 8, g[7]! & 0xff].join('.');
}
