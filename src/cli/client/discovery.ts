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
  return {
    issuer: doc.issuer,
    device_authorization_endpoint: doc.device_authorization_endpoint,
    token_endpoint: doc.token_endpoint,
    revocation_endpoint: typeof doc.revocation_endpoint === 'string' ? doc.revocation_endpoint : undefined,
  };
}

function notABridge(server: string, why: string): CliError {
  return new CliError('ERR_CLI_NOT_A_BRIDGE', t('notABridge', { server, why }), { hint: t('notABridgeHint') });
}
