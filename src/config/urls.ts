import { isLoopbackHost } from '../loopback.js';

/** True for URLs whose host is the local machine (plain http is tolerable only there). */
export function isLoopbackUrl(url: string): boolean {
  return isLoopbackHost(new URL(url).hostname);
}

/**
 * Whether two OIDC issuers are the same, as sign-in decides it (openid-client compares the
 * discovered issuer with the configured one as URLs): `https://tenant.auth0.com/` written without
 * its slash is the same issuer. Anything that is not a URL compares as text.
 */
export function sameIssuer(a: string, b: string): boolean {
  if (a === b) return true; // the usual case, asked on every request of a signed-in user: no parsing
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

/**
 * Where `alibaba.stsEndpoint` sends STS calls: a host (`sts.cn-hangzhou.aliyuncs.com`, `sts-vpc.…`)
 * over https, or, for the emulator, a URL whose scheme picks the protocol.
 */
export function stsEndpointSetting(value: string): { endpoint: string; protocol: 'http' | 'https' } {
  if (!value.includes('://')) return { endpoint: value, protocol: 'https' };
  const url = new URL(value);
  return { endpoint: url.host, protocol: url.protocol === 'http:' ? 'http' : 'https' };
}

/**
 * The form of an STS endpoint as the STS client sends to it (sts/endpoint.ts): `host[:port]`, a
 * DNS name or IPv4 address or a bracketed IPv6 address, with no scheme, path or space. Here, below
 * both, so the schema checks `alibaba.stsEndpoint` with the very rule the client applies when
 * `serve` builds it: a value `check-config` accepts can never fail start-up.
 */
export function isStsEndpointHost(value: string): boolean {
  return /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(value);
}
