import { sameIssuer } from './urls.js';
import type { BridgeConfig } from './model.js';
import type { ConfigProblem } from './problems.js';

/** How long one discovery or metadata request may take before the IdP counts as unreachable. */
const TIMEOUT_MS = 10_000;

/**
 * `check-config --online`: asks each IdP what serve would ask at the first sign-in, OIDC discovery
 * and SAML metadata, and reports an unreachable host, an HTTP error (404…), or an IdP that names
 * itself differently from the configuration (both names shown: the usual Entra /common or
 * trailing-slash mistake).
 */
export async function checkIdpsOnline(config: BridgeConfig, fetchImpl: typeof fetch = fetch): Promise<ConfigProblem[]> {
  const problems = await Promise.all(
    config.idps.map(async (idp): Promise<ConfigProblem | undefined> => {
      const path = `idps.${idp.id}`;
      if (idp.type === 'oidc') {
        const url = `${idp.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
        const body = await get(url, fetchImpl);
        if (typeof body !== 'string') return { path: `${path}.issuer`, message: `OIDC discovery at ${url}: ${body.error}` };
        let discovered: unknown;
        try {
          discovered = (JSON.parse(body) as { issuer?: unknown }).issuer;
        } catch {
          return { path: `${path}.issuer`, message: `OIDC discovery at ${url} is not JSON` };
        }
        // As sign-in compares them: a trailing slash the configuration leaves out is the same issuer.
        if (typeof discovered !== 'string' || !sameIssuer(discovered, idp.issuer)) {
          return {
            path: `${path}.issuer`,
            message: `the IdP's discovery names issuer "${String(discovered)}" but the configuration says "${idp.issuer}"`,
          };
        }
        return undefined;
      }
      if (!idp.metadata || !/^https?:\/\//i.test(idp.metadata)) return undefined;
      const body = await get(idp.metadata, fetchImpl);
      if (typeof body !== 'string') return { path: `${path}.metadata`, message: `SAML metadata at ${idp.metadata}: ${body.error}` };
      const entityId = /<(?:\w+:)?EntityDescriptor\b[^>]*\bentityID="([^"]*)"/.exec(body)?.[1];
      if (entityId === undefined)
        return { path: `${path}.metadata`, message: `${idp.metadata} is not SAML metadata (no EntityDescriptor)` };
      if (idp.issuer && entityId !== idp.issuer) {
        return {
          path: `${path}.issuer`,
          message: `the IdP's metadata names entityID "${entityId}" but the configuration says "${idp.issuer}"`,
        };
      }
      return undefined;
    }),
  );
  return problems.filter((p): p is ConfigProblem => p !== undefined);
}

async function get(url: string, fetchImpl: typeof fetch): Promise<string | { error: string }> {
  try {
    const res = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) return { error: `HTTP ${res.status}` };
    return await res.text();
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return { error: `unreachable (${cause?.code ?? cause?.message ?? (err as Error).name})` };
  }
}
