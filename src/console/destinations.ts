import type { AlibabaSettings, ConsoleDestination, Role } from '../config/index.js';
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

/**
 * The console page a short service name stands for (`ecs`, or `ecs` in `cn-shanghai`): a
 * configured destination with that `service` (and `region`, when given), so it is on the
 * allow-list by construction. Several regions of one service and no region asked: the first
 * listed, the administrator's order. Unknown names are refused with the list of known ones.
 */
export function destinationForService(service: string, region: string | undefined, alibaba: AlibabaSettings): ConsoleDestination {
  const wanted = service.trim().toLowerCase();
  const found = alibaba.consoleDestinations.find((d) => d.service === wanted && (region === undefined || d.region === region));
  if (found) return found;
  const known = serviceNames(alibaba);
  throw new BridgeError('ERR_CONSOLE_SERVICE_UNKNOWN', {
    userMessage: region
      ? `rambridge has no console page for "${service.slice(0, 40)}" in ${region.slice(0, 40)}.`
      : `rambridge has no console page for "${service.slice(0, 40)}".`,
    hint: known.length > 0 ? `Known services: ${known.join(', ')}.` : 'No console services are configured; ask your administrator.',
    detail: { service: service.slice(0, 100), region: region?.slice(0, 100), known },
  });
}

/** `ecs (cn-hangzhou)`, `ram`…: the services a user may name, in the configured order. */
export function serviceNames(alibaba: AlibabaSettings): string[] {
  return alibaba.consoleDestinations.flatMap((d) => (d.service ? [d.region ? `${d.service} (${d.region})` : d.service] : []));
}
