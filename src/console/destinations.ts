import type { AlibabaSettings, ConsoleDestination, Role } from '../config/index.js';
import { BridgeError, sentence } from '../errors.js';

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
      userMessage: sentence('err.ERR_DESTINATION_NOT_ALLOWED'),
      hint: sentence('hint.destination'),
      detail: { requested: typeof requested === 'string' ? requested.slice(0, 300) : typeof requested },
    });
  }
  return requested;
}

function isAllowed(url: string, role: Role, alibaba: AlibabaSettings): boolean {
  const parsed = parseUrl(url);
  if (!parsed || parsed.username || parsed.password) return false;
  const configured = [role.consoleDestination, alibaba.consoleUrl, ...alibaba.consoleDestinations.map((d) => d.url)].filter(
    (u): u is string => u !== undefined,
  );
  // The URL asked for must be its own normalised form, so userinfo, case or default-port tricks
  // cannot pass, or one of the configured URLs as written: configuration is not normalised, and a
  // bare origin (`https://ecs.console.aliyun.com`) only gains its `/` when parsed.
  if (parsed.href !== url && !configured.includes(url)) return false;
  // Compared normalised on both sides. Only entries written with a trailing `/` are prefixes.
  if (configured.some((u) => normalised(u) === parsed.href)) return true;
  const prefixes = alibaba.consoleDestinations.filter((d) => d.url.endsWith('/')).map((d) => normalised(d.url));
  return prefixes.some((prefix) => prefix?.endsWith('/') && parsed.href.startsWith(prefix));
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

const normalised = (url: string): string | undefined => parseUrl(url)?.href;

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
      ? sentence('err.ERR_CONSOLE_SERVICE_UNKNOWN.region', { service: service.slice(0, 40), region: region.slice(0, 40) })
      : sentence('err.ERR_CONSOLE_SERVICE_UNKNOWN', { service: service.slice(0, 40) }),
    hint: known.length > 0 ? sentence('hint.knownServices', { services: known.join(', ') }) : sentence('hint.noServices'),
    detail: { service: service.slice(0, 100), region: region?.slice(0, 100), known },
  });
}

/** `ecs (cn-hangzhou)`, `ram`…: the services a user may name, in the configured order. */
export function serviceNames(alibaba: AlibabaSettings): string[] {
  return alibaba.consoleDestinations.flatMap((d) => (d.service ? [d.region ? `${d.service} (${d.region})` : d.service] : []));
}
