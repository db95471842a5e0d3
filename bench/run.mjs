// Benchmarks of the bridge's hot paths, on the built code (npm run bench). Numbers go to
// bench/README.md; tests never assert on time.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfigFile } from '../dist/config/index.js';
import { generateKeyFiles } from '../dist/issuer/generate-keys.js';
import { BridgeIssuer } from '../dist/issuer/index.js';
import { RoleMapper } from '../dist/mapping/index.js';
import { parseConfigText } from '../dist/config/index.js';

/** Runs `fn` `n` times after a warm-up; returns per-call mean and p99 in microseconds. */
async function measure(name, n, fn) {
  for (let i = 0; i < Math.min(50, n); i++) await fn(i);
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    samples.push((performance.now() - t) * 1000);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  const p99 = samples[Math.floor(n * 0.99)];
  console.log(
    `${name.padEnd(58)} n=${String(n).padStart(6)}  mean ${mean.toFixed(1).padStart(8)} µs  p99 ${p99.toFixed(1).padStart(8)} µs`,
  );
}

const dir = mkdtempSync(join(tmpdir(), 'rambridge-bench-'));
const saml = await generateKeyFiles({ dir, purpose: 'saml' });
const oidc = await generateKeyFiles({ dir, purpose: 'oidc' });
const oidcEc = await generateKeyFiles({ dir, purpose: 'oidc', alg: 'ES256' });
const config = await loadConfigFile(new URL('../config/demo.yaml', import.meta.url).pathname, {
  RAMBRIDGE_SESSION_SECRET: 's'.repeat(43),
  RAMBRIDGE_DEMO_CLIENT_SECRET: 'c',
  RAMBRIDGE_DEMO_SAML_KEY: saml.privateKey,
  RAMBRIDGE_DEMO_SAML_CERT: saml.certificate,
  RAMBRIDGE_DEMO_OIDC_KEY: oidc.privateKey,
  RAMBRIDGE_DEMO_SUBJECT_SECRET: 'x'.repeat(40),
});
const identity = {
  idp: 'demo',
  issuer: 'https://idp.example.com',
  subject: 'alice',
  email: 'alice@example.com',
  groups: ['rambridge-dev', 'rambridge-ops'],
  amr: ['pwd'],
};

// A large organisation: 500 grants with globs over 2,000 roles, and a user in 300 groups.
const accounts = Array.from({ length: 20 }, (_, i) => `  - {alias: a${i}, id: "${String(1000000000000000 + i)}"}`).join('\n');
const roles = Array.from({ length: 2000 }, (_, i) => `  - {id: r${i}, account: a${i % 20}, role: role${i}}`).join('\n');
const grants = Array.from(
  { length: 500 },
  (_, i) => `  - {groups: ["team-${i}-*", "dept-${i % 37}"], roles: [r${i}, r${i + 500}, r${i + 1000}]}`,
).join('\n');
const big = parseConfigText(
  `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
    `idps: [{id: corp, type: oidc, issuer: "https://idp.example.com", clientId: c}]\n` +
    `accounts:\n${accounts}\nroles:\n${roles}\ngrants:\n${grants}\n`,
  {},
);
const bigUser = { ...identity, groups: Array.from({ length: 300 }, (_, i) => `team-${i * 3}-eng`) };

const demoMapper = new RoleMapper(config.roles, config.grants);
const bigMapper = new RoleMapper(big.roles, big.grants);
console.log(`node ${process.version}, ${process.platform} ${process.arch}`);
await measure('mapping: demo config, 2 groups', 20000, () => demoMapper.rolesFor(identity));
await measure('mapping: 500 grants / 2000 roles, user in 300 groups', 200, () => bigMapper.rolesFor(bigUser));

const issuer = await BridgeIssuer.create(config.issuer, config.alibaba, config.server.publicUrl);
const issuerEc = await BridgeIssuer.create(
  { ...config.issuer, oidcKeys: [{ privateKey: oidcEc.privateKey }] },
  config.alibaba,
  config.server.publicUrl,
);
const samlRole = config.roles.find((r) => r.via === 'saml');
const oidcRole = config.roles.find((r) => r.via === 'oidc');
await measure('mint SAML Response (RSA-3072, Assertion + Response signed)', 300, () =>
  issuer.samlResponse(identity, samlRole, 3600, Date.now()),
);
await measure('mint ID token (RS256, RSA-3072)', 1000, () => issuer.idToken(identity, oidcRole, Date.now()));
await measure('mint ID token (ES256, P-256)', 2000, () => issuerEc.idToken(identity, oidcRole, Date.now()));
