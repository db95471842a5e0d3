import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyFiles } from '../../src/issuer/generate-keys.js';

const cache = new Map<string, ReturnType<typeof generate>>();

/**
 * Issuer keys made at test time in a temp dir (never committed), as `issuer` config entries.
 * Generated once per test file and algorithm (RSA takes a moment); `unique` forces new ones.
 */
export function freshIssuerKeys(options: { oidcAlg?: 'RS256' | 'ES256'; unique?: boolean } = {}) {
  const key = options.oidcAlg ?? 'RS256';
  if (options.unique) return generate(options);
  if (!cache.has(key)) cache.set(key, generate(options));
  return cache.get(key)!;
}

async function generate(options: { oidcAlg?: 'RS256' | 'ES256' }) {
  const dir = mkdtempSync(join(tmpdir(), 'rambridge-keys-'));
  const saml = await generateKeyFiles({ dir, purpose: 'saml' });
  const oidc = await generateKeyFiles({ dir, purpose: 'oidc', alg: options.oidcAlg });
  return {
    dir,
    samlKeys: [{ privateKey: saml.privateKey, certificate: saml.certificate! }],
    oidcKeys: [{ privateKey: oidc.privateKey }],
  };
}
