/**
 * Whether a host name is this machine: the one place plain http is tolerable, since nothing on it
 * leaves the host. Takes a URL's `hostname` (IPv6 bracketed, `[::1]`) or a bare host (`::1`); the
 * WHATWG URL parser has already turned `127.1` or `0x7f.1` into `127.0.0.1`.
 */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
