// Fresh keys for one benchmark run, in a temporary directory.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyFiles } from '../../dist/issuer/generate-keys.js';

/**
 * Keys for the bridge (SAML + OIDC issuer) and for the upstream SAML IdP, in a fresh temp dir.
 * `rsaBits`: the issuer's RSA key size (`rambridge keys generate --bits`); the generator's default unless given.
 */
export async function benchKeys({ rsaBits } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rambridge-bench-'));
  const oidcAlg = process.env.BENCH_OIDC_ALG ?? 'RS256';
  const [saml, oidc, upstream] = await Promise.all([
    generateKeyFiles({ dir, purpose: 'saml', bits: rsaBits }),
    generateKeyFiles({ dir, purpose: 'oidc', alg: oidcAlg, bits: oidcAlg === 'RS256' ? rsaBits : undefined }),
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
