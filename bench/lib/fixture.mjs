// The configuration every benchmark runs on: config/demo.yaml with fresh keys, plus an upstream
// SAML IdP `corp` (for the ACS) whose key the benchmark holds, so it can answer sign-ins itself.
// (Keys are made by keys.mjs, which the bridge process does not load: it holds the key generator's
// X.509 library, which the bridge itself never loads.)
import { randomBytes } from 'node:crypto';
import { loadConfigFile, validateConfig } from '../../dist/config/index.js';

export const DEMO_CONFIG = new URL('../../config/demo.yaml', import.meta.url).pathname;
export const EMULATOR_CONFIG = new URL('../../config/emulator-demo.yaml', import.meta.url).pathname;
export const CORP_ENTITY_ID = 'https://idp.bench.example/saml';

/**
 * The demo configuration at `publicUrl`, STS and sign-in at `emulatorUrl`, the demo OIDC IdP at
 * `op`, and the SAML IdP `corp`. Instances that must accept each other's cookies pass one `sessionSecret`. The device start limit is raised: the memory figure starts
 * 10,000 device grants from one address on purpose.
 */
export async function benchConfig({ keys, publicUrl, emulatorUrl, op, sessionSecret }) {
  const port = new URL(publicUrl).port;
  const config = await loadConfigFile(DEMO_CONFIG, {
    PORT: port,
    RAMBRIDGE_SESSION_SECRET: sessionSecret ?? randomBytes(32).toString('base64url'),
    RAMBRIDGE_DEMO_CLIENT_SECRET: op.clientSecret,
    RAMBRIDGE_DEMO_IDP_URL: op.issuer,
    RAMBRIDGE_DEMO_EMULATOR_URL: emulatorUrl,
    RAMBRIDGE_DEMO_SAML_KEY: keys.samlKey,
    RAMBRIDGE_DEMO_SAML_CERT: keys.samlCert,
    RAMBRIDGE_DEMO_OIDC_KEY: keys.oidcKey,
    RAMBRIDGE_DEMO_SUBJECT_SECRET: keys.subjectSecret,
  });
  config.server.host = '127.0.0.1';
  // The memory row starts 10,000 device logins from this one address.
  config.device.maxStartsPerIpPer10Minutes = 1_000_000;
  config.device.maxStartsPer10Minutes = 1_000_000;
  const corp = validateConfig({
    server: { publicUrl, sessionSecrets: ['s'.repeat(32)] },
    idps: [
      {
        id: 'corp',
        type: 'saml',
        entryPoint: 'https://idp.bench.example/sso',
        issuer: CORP_ENTITY_ID,
        certificates: [keys.upstreamCertPem],
        emailVerified: true,
      },
    ],
  });
  if (!corp.ok) throw new Error(`bench SAML IdP config invalid: ${JSON.stringify(corp.problems)}`);
  config.idps.push(corp.config.idps[0]);
  return config;
}

/** The user every benchmark signs in as: in both demo groups, so OIDC and SAML roles are granted. */
export const BENCH_USER = {
  sub: 'alice',
  email: 'alice@example.com',
  name: 'Alice Example',
  groups: ['rambridge-dev', 'rambridge-ops'],
};
