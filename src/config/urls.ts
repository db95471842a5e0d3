/** True for URLs whose host is the local machine (plain http is tolerable only there). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Whether two OIDC issuers are the same, as sign-in decides it (openid-client compares the
 * discovered issuer with the configured one as URLs): `https://tenant.auth0.com/` written without
 * its slash is the same issuer. Anything that is not a URL compares as text.
 */
export function sameIssuer(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}
