import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, type BridgeConfig } from '../config/index.js';
import { DEMO_USERS, startDevIdp } from '../devidp/index.js';
import { loadEmulatorConfig } from '../emulator/config.js';
import { startEmulator, type RunningEmulator } from '../emulator/server.js';
import type { Logger } from '../log.js';
import { listenStartingUp } from '../http-server.js';
import { startBridge } from '../main.js';
import { samlSpEndpoints } from '../config/validate.js';
import { simpleSamlPhpIdp, simpleSamlPhpInstalled, startSimpleSamlPhp, type RunningSimpleSamlPhp } from './simplesamlphp/index.js';
import { ensureDemoKeys } from './keys.js';

export interface DemoOptions {
  host?: string;
  /** Bridge port (default 8080; 0 = any free port). */
  port?: number;
  /** Development IdP port (default 8081; 0 = any free port). */
  idpPort?: number;
  /** SimpleSAMLphp (SAML IdP) port when Debian's simplesamlphp is installed (default 8082; 0 = any). */
  samlIdpPort?: number;
  /** Alibaba Cloud emulator port (default 9090; 0 = any free port). */
  emulatorPort?: number;
  /** Seconds requests in flight get to finish when the demo stops (default server.shutdownGraceSeconds). */
  shutdownGraceSeconds?: number;
  /** Where the demo keeps its generated keys (default data/demo in the checkout). */
  dataDir?: string;
  logger?: Logger;
  /** Seconds the CLI waits between device-flow polls (default device.interval); tests use 1 to wait less. */
  deviceIntervalSeconds?: number;
  /** Changes to the loaded bridge config before the bridge starts (tests: e.g. hundreds of generated roles). */
  configure?: (config: BridgeConfig) => void;
}

export interface RunningDemo {
  bridgeUrl: string;
  idpUrl: string;
  /** The SAML IdP, when SimpleSAMLphp is installed. */
  samlIdpUrl?: string;
  emulatorUrl: string;
  close(): Promise<void>;
}

export const DEMO_CONFIG_FILE = fileURLToPath(new URL('../../config/demo.yaml', import.meta.url));
export const EMULATOR_DEMO_FILE = fileURLToPath(new URL('../../config/emulator-demo.yaml', import.meta.url));
const DEMO_DATA_DIR = fileURLToPath(new URL('../../data/demo/', import.meta.url));

/**
 * The whole product on one machine: the bridge on config/demo.yaml, the development OIDC IdP and
 * the Alibaba Cloud emulator on config/emulator-demo.yaml.
 * Secrets are fresh random values at every start; sessions do not survive a restart (memory store).
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const host = options.host ?? '127.0.0.1';
  // Bind the bridge first: its port is part of the redirect URI the IdP must know. Until the bridge
  // is ready, the port answers 503 with Retry-After.
  const bridgeServer = await listenStartingUp(host, options.port ?? 8080);
  const bridgeUrl = `http://${host}:${(bridgeServer.address() as AddressInfo).port}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const idp = await startDevIdp({
    host,
    port: options.idpPort ?? 8081,
    clients: [
      {
        clientId: 'rambridge',
        clientSecret,
        redirectUris: [`${bridgeUrl}/oidc/demo/callback`],
        // Where "Sign out of the IdP too" (RP-initiated logout) comes back to.
        postLogoutRedirectUris: [`${bridgeUrl}/signed-out`],
      },
    ],
    logger: options.logger,
  }).catch((err: unknown) => {
    // The bridge's port is already bound: left open, it would keep the process alive after the error.
    bridgeServer.close();
    throw err;
  });
  let emulator: RunningEmulator | undefined;
  let ssp: RunningSimpleSamlPhp | undefined;
  try {
    // The emulated RAM trusts the bridge's SAML metadata and OIDC issuer at the bridge's URL.
    const emulatorConfig = await loadEmulatorConfig(EMULATOR_DEMO_FILE, { RAMBRIDGE_DEMO_BRIDGE_URL: bridgeUrl });
    emulator = await startEmulator({ config: emulatorConfig, host, port: options.emulatorPort ?? 9090, logger: options.logger });
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
      RAMBRIDGE_DEMO_EMULATOR_URL: emulator.url,
    });
    if (options.deviceIntervalSeconds !== undefined) config.device.interval = options.deviceIntervalSeconds;
    options.configure?.(config);
    config.server.host = host;
    if (options.shutdownGraceSeconds !== undefined) config.server.shutdownGraceSeconds = options.shutdownGraceSeconds;
    if (simpleSamlPhpInstalled()) {
      // The same demo users, as a SAML 2.0 IdP: the second way to sign in.
      ssp = await startSimpleSamlPhp({
        port: options.samlIdpPort ?? 8082,
        sp: samlSpEndpoints(config.server.publicUrl, 'demo-saml'),
        users: DEMO_USERS,
      });
      config.idps.push(simpleSamlPhpIdp(ssp, 'demo-saml', config.server.publicUrl));
    }
    const bridge = await startBridge({ config, server: bridgeServer, logger: options.logger });
    const running = { emulator, ssp };
    return {
      bridgeUrl,
      idpUrl: idp.url,
      samlIdpUrl: ssp?.url,
      emulatorUrl: emulator.url,
      // The bridge first (requests in flight may still need the IdP and the emulator), and the rest
      // even when it fails: SimpleSAMLphp is a child process that must not outlive the demo.
      close: async () => {
        try {
          await bridge.close();
        } finally {
          await settleAll([idp.close(), running.emulator.close(), running.ssp?.close() ?? Promise.resolve()]);
        }
      },
    };
  } catch (err) {
    bridgeServer.close();
    await Promise.all([idp.close(), emulator?.close(), ssp?.close()]);
    throw err;
  }
}

/** Waits for every promise; then rethrows the first failure, if any. */
async function settleAll(closing: Array<Promise<void>>): Promise<void> {
  const failed = (await Promise.allSettled(closing)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}
