import type { AlibabaSettings, Role } from '../config/index.js';
import { BridgeError } from '../errors.js';

/**
 * Where "Open console" may land. The sign-in service redirects to `Destination` after login, so an
 * unchecked value would make the bridge an open redirect carrying a fresh console session.
 * Allowed: the role's own destination, the site console home, and the configured list (exact URLs,
 * or prefixes ending in `/`).
 */
export function resolveDestination(requested: unknown, role: Role, alibaba: AlibabaSettings): string {
  const fallback = role.consoleDestination ?? alibaba.consoleUrl;
  if (requested === undefined || requested === '') return fallback;
  if (typeof requested !== 'string' || !isAllowed(requested, role, alibaba)) {
    throw new BridgeError('ERR_DESTINATION_NOT_ALLOWED', {
      userMessage: 'That console page is not on the list of places rambridge may send you.',
      hint: 'Pick a destination from the role page, or ask your administrator to add it.',
      detail: { requested: typeof requested === 'string' ? requested.slice(0, 300) : typeof requested },
    });
  }
  return requested;
}

function isAllowed(url: string, role: Role, alibaba: AlibabaSettings): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Compare the normalised form, so userinfo, case or default-port tricks cannot pass.
  if (parsed.username || parsed.password || parsed.href !== url) return false;
  const exact = [role.consoleDestination, alibaba.consoleUrl, ...alibaba.consoleDestinations.map((d) => d.url)];
  if (exact.includes(url)) return true;
  return alibaba.consoleDestinations.some((d) => d.url.endsWith('/') && url.startsWith(d.url));
}
