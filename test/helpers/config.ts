import { fileURLToPath } from 'node:url';
import { loadConfigFile, parseConfigText, type BridgeConfig } from '../../src/config/index.js';
import { freshIssuerKeys } from './issuer-keys.js';

/** The demo configuration with fixed test secrets and the given IdP / public URL (http://127.0.0.1:PORT). */
export async function demoConfig(overrides: { publicUrl?: string; idpUrl?: string; clientSecret?: string } = {}): Promise<BridgeConfig> {
  const file = fileURLToPath(new URL('../../config/demo.yaml', import.meta.url));
  const keys = await freshIssuerKeys();
  const config = await loadConfigFile(file, {
    ...demoKeyEnv(keys),
    RAMBRIDGE_SESSION_SECRET: 'test-session-secret-'.padEnd(48, 'x'),
    RAMBRIDGE_DEMO_CLIENT_SECRET: overrides.clientSecret ?? 'test-client-secret',
    RAMBRIDGE_DEMO_IDP_URL: overrides.idpUrl ?? 'http://127.0.0.1:8081',
    // Everything public (redirect URIs, issuer, entityID) derives from the port, as in the demo.
    PORT: overrides.publicUrl ? new URL(overrides.publicUrl).port : '8080',
  });
  return config;
}

/** A small configuration from inline YAML (server and one IdP are filled in). */
export function configFromYaml(body: string): BridgeConfig {
  return parseConfigText(
    [
      'server: {publicUrl: "https://bridge.example.com", sessionSecrets: ["' + 'k'.repeat(32) + '"]}',
      'idps: [{id: corp, type: oidc, issuer: "https://idp.example.com", clientId: rambridge}]',
      body,
    ].join('\n'),
    {},
  );
}

/** The demo config's issuer variables for the given key files. */
export function demoKeyEnv(keys: Awaited<ReturnType<typeof freshIssuerKeys>>): Record<string, string> {
  return {
    RAMBRIDGE_DEMO_SAML_KEY: keys.samlKeys[0]!.privateKey,
    RAMBRIDGE_DEMO_SAML_CERT: keys.samlKeys[0]!.certificate,
    RAMBRIDGE_DEMO_OIDC_KEY: keys.oidcKeys[0]!.privateKey,
    RAMBRIDGE_DEMO_SUBJECT_SECRET: 'test-subject-secret-'.padEnd(40, 'x'),
  };
}
