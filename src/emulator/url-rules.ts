/**
 * Where the emulator may fetch IdP metadata, OIDC discovery and JWKS from. RAM only accepts
 * https issuers (docs/alibaba-cloud-reference.md §5 `IssuerUrl`); plain http is allowed for loopback addresses only,
 * and only when the configuration opts in with `allowInsecureLoopbackIssuers` (the demo bridge
 * serves its issuer on http://127.0.0.1:8080).
 */

/** Whether the host is this machine: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Why this URL may not be fetched, or undefined when it may. */
export function fetchUrlProblem(raw: string, allowInsecureLoopback: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (url.username || url.password) return 'must not carry credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return 'must be https';
  if (!isLoopbackHost(url.hostname)) return 'must be https (plain http is allowed for loopback addresses only)';
  if (!allowInsecureLoopback) return 'is plain http: set allowInsecureLoopbackIssuers to allow it on loopback';
  return undefined;
}
