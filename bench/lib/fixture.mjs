// The configuration every benchmark runs on: config/demo.yaml with fresh keys, plus an upstream
// SAML IdP `corp` (for the ACS) whose key the benchmark holds, so it can answer sign-ins itself.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFile, validateConfig } from '../../dist/config/index.js';
import { generateKeyFiles } from '../../dist/issuer/generate-keys.js';

export const DEMO_CONFIG = new URL('../../config/demo.yaml', import.meta.url).pathname;
export const EMULATOR_CONFIG = new URL('../../config/emulator-demo.yaml', import.meta.url).pathname;
export const CORP_ENTITY_ID = 'https://idp.bench.example/saml';

/** Keys for the bridge (SAML + OIDC issuer) and for the upstream SAML IdP, in a fresh temp dir. */
export async function benchKeys() {
  const dir = mkdtempSync(join(tmpdir(), 'rambridge-bench-'));
  const [saml, oidc, upstream] = await Promise.all([
    generateKeyFiles({ dir, purpose: 'saml' }),
    generateKeyFiles({ dir, purpose: 'oidc' }),
    generateKeyFiles({ dir, purpose: 'saml', commonName: 'bench upstream IdP' }),
  ]);
  return {
    dir,
    samlKey: saml.privateKey,
    samlCert: saml.certificate,
    oidcKey: oidc.privateKey,
    upstreamKeyPem: readFileSync(upstream.privateKey, 'utf8'),
    upstreamCertPem: readFileSync(upstream.certificate, 'utf8'),
    subjectSecret: randomBytes(32).toString('base64url'),
  };
}

/**
 * The demo configuration at `publicUrl`, STS and sign-in at `emulatorUrl`, the demo OIDC IdP at
 * `op`, and the SAML IdP `corp`. The device start limit is raised: the memory figure starts
 * 10,000 device grants from one address on purpose.
 */
export async function benchConfig({ keys, publicUrl, emulatorUrl, op }) {
  const port = new URL(publicUrl).port;
  const config = await loadConfigFile(DEMO_CONFIG, {
    PORT: port,
    RAMBRIDGE_SESSION_SECRET: randomBytes(32).toString('base64url'),
    RAMBRIDGE_DEMO_CLIENT_SECRET: op.clientSecret,
    RAMBRIDGE_DEMO_IDP_URL: op.issuer,
    RAMBRIDGE_DEMO_EMULATOR_URL: emulatorUrl,
    RAMBRIDGE_DEMO_SAML_KEY: keys.samlKey,
    RAMBRIDGE_DEMO_SAML_CERT: keys.samlCert,
    RAMBRIDGE_DEMO_OIDC_KEY: keys.oidcKey,
    RAMBRIDGE_DEMO_SUBJECT_SECRET: keys.subjectSecret,
  });
  config.server.host = '127.0.0.1';
  config.device.maxStartsPerIpPer10Minutes = 1_000_000;
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
