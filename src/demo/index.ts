import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../config/index.js';
import { DEMO_USERS, startDevIdp } from '../devidp/index.js';
import type { Logger } from '../log.js';
import { listen, startBridge } from '../main.js';
import { ensureDemoKeys } from './keys.js';

export interface DemoOptions {
  host?: string;
  /** Bridge port (default 8080; 0 = any free port). */
  port?: number;
  /** Development IdP port (default 8081; 0 = any free port). */
  idpPort?: number;
  /** Where the demo keeps its generated keys (default data/demo in the checkout). */
  dataDir?: string;
  logger?: Logger;
}

export interface RunningDemo {
  bridgeUrl: string;
  idpUrl: string;
  close(): Promise<void>;
}

export const DEMO_CONFIG_FILE = fileURLToPath(new URL('../../config/demo.yaml', import.meta.url));
const DEMO_DATA_DIR = fileURLToPath(new URL('../../data/demo/', import.meta.url));

/**
 * The whole product on one machine: the bridge on config/demo.yaml and the development OIDC IdP.
 * Secrets are fresh random values at every start; sessions do not survive a restart (memory store).
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const host = options.host ?? '127.0.0.1';
  // Bind the bridge first: its port is part of the redirect URI the IdP must know.
  const bridgeServer = await listen(() => undefined, host, options.port ?? 8080);
  const bridgeUrl = `http://${host}:${(bridgeServer.address() as AddressInfo).port}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const idp = await startDevIdp({
    host,
    port: options.idpPort ?? 8081,
    clients: [{ clientId: 'rambridge', clientSecret, redirectUris: [`${bridgeUrl}/oidc/demo/callback`] }],
    logger: options.logger,
  });
  try {
    const keys = await ensureDemoKeys(options.dataDir ?? DEMO_DATA_DIR);
    const config = await loadConfigFile(DEMO_CONFIG_FILE, {
      RAMBRIDGE_DEMO_SAML_KEY: keys.samlKey,
      RAMBRIDGE_DEMO_SAML_CERT: keys.samlCertificate,
      RAMBRIDGE_DEMO_OIDC_KEY: keys.oidcKey,
      RAMBRIDGE_DEMO_SUBJECT_SECRET: keys.subjectSecret,
      PORT: String((bridgeServer.address() as AddressInfo).port),
      RAMBRIDGE_SESSION_SECRET: randomBytes(32).toString('base64url'),
      RAMBRIDGE_DEMO_CLIENT_SECRET: clientSecret,
      RAMBRIDGE_DEMO_IDP_URL: idp.issuer,
    });
    config.server.host = host;
    const bridge = await startBridge({ config, server: bridgeServer, logger: options.logger });
    return {
      bridgeUrl,
      idpUrl: idp.url,
      close: async () => {
        await bridge.close();
        await idp.close();
      },
    };
  } catch (err) {
    bridgeServer.close();
    await idp.close();
    throw err;
  }
}

/** What `rambridge demo` prints once everything listens. */
export function demoBanner(demo: RunningDemo): string {
  const users = DEMO_USERS.map((u) => `    ${u.username.padEnd(8)} / ${u.password.padEnd(8)} groups: ${u.groups.length ? u.groups.join(', ') : '(none)'}`);
  return [
    '',
    '  rambridge demo is running',
    '',
    `    Open        ${demo.bridgeUrl}/roles`,
    `    Demo IdP    ${demo.idpUrl}  (OpenID Connect, development only)`,
    '',
    '  Demo users (user / password):',
    ...users,
    '',
    '  Press Ctrl+C to stop.',
    '',
  ].join('\n');
}
