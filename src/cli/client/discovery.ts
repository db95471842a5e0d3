import { CliError } from './errors.js';
import { requestJson, type FetchLike } from './http.js';
import { t } from '../i18n/index.js';

/** What the client needs from the server's `/.well-known/openid-configuration`. */
export interface Discovery {
  issuer: string;
  device_authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint?: string;
}

/**
 * Fetches and checks the discovery document. The issuer must be the URL the user gave (RFC 8414
 * §3.3): otherwise tokens would be stored under one name and sent to another.
 */
export async function fetchDiscovery(fetchImpl: FetchLike, server: string): Promise<Discovery> {
  const response = await requestJson(fetchImpl, `${server}/.well-known/openid-configuration`);
  const doc = response.body as Partial<Discovery> | undefined;
  if (response.status !== 200 || typeof doc !== 'object' || doc === null) {
    throw notABridge(server, `its discovery document answered HTTP ${response.status}`);
  }
  if (typeof doc.device_authorization_endpoint !== 'string' || typeof doc.token_endpoint !== 'string') {
    throw notABridge(server, 'its discovery document has no device_authorization_endpoint');
  }
  if (doc.issuer !== server) {
    throw new CliError('ERR_CLI_NOT_A_BRIDGE', t('otherIssuer', { server, issuer: String(doc.issuer) }), {
      hint: t('useServer', { server: String(doc.issuer) }),
    });
  }
  const discovery: Discovery = {
    issuer: doc.issuer,
    device_authorization_endpoint: doc.device_authorization_endpoint,
    token_endpoint: doc.token_endpoint,
    revocation_endpoint: typeof doc.revocation_endpoint === 'string' ? doc.revocation_endpoint : undefined,
  };
  // The PKCE verifier, the device code and every refresh token go to these: the rule that the
  // server URL be https (or loopback) holds only if they are on that very origin.
  const { origin } = new URL(server);
  for (const name of ['device_authorization_endpoint', 'token_endpoint', 'revocation_endpoint'] as const) {
    const endpoint = discovery[name];
    const url = endpoint !== undefined && URL.canParse(endpoint) ? new URL(endpoint) : undefined;
    if (endpoint !== undefined && url?.origin !== origin) {
      throw notABridge(server, t('foreignEndpoint', { name, url: endpoint.slice(0, 80) }));
    }
  }
  return discovery;
}

export function notABridge(server: string, why: string): CliError {
  return new CliError('ERR_CLI_NOT_A_BRIDGE', t('notABridge', { server, why }), { hint: t('notABridgeHint') });
}
