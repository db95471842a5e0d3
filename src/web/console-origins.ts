import type { BridgeConfig } from '../config/index.js';

/**
 * The origins a form posting to `/roles/console` may end up on: "Open console" answers with a
 * redirect through the sign-in service to a console page, and CSP `form-action` governs redirects
 * after a form submission too. The same list as the picker's (routes/roles.ts).
 */
export function consoleFormOrigins(config: BridgeConfig): string[] {
  const urls = [
    config.alibaba.signinUrl,
    config.alibaba.consoleUrl,
    ...config.alibaba.consoleDestinations.map((d) => d.url),
    ...config.roles.flatMap((r) => (r.consoleDestination ? [r.consoleDestination] : [])),
  ];
  return [...new Set(urls.map((url) => new URL(url).origin))];
}
