import { validateConfig, type OidcIdp } from '../../../src/config/index.js';
import { identityFromClaims } from '../../../src/idp/oidc/claims.js';

/** Which ID-token emails the bridge uses: only those the IdP vouches for (issue 9 item 3). */
function idp(preset: 'okta' | 'entra' | 'generic'): OidcIdp {
  const result = validateConfig({
    server: { publicUrl: 'https://b.example.com', sessionSecrets: ['s'.repeat(32)] },
    idps: [{ id: 'corp', type: 'oidc', preset, issuer: 'https://idp.example.com', clientId: 'c' }],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config.idps[0] as OidcIdp;
}

const base = { iss: 'https://idp.example.com', sub: 'u-1', email: 'alice@example.com' };

describe('email from ID-token claims', () => {
  test.each([
    ['generic', { email_verified: true }, 'alice@example.com'],
    ['generic', { email_verified: 'true' }, 'alice@example.com'],
    ['generic', { email_verified: false }, undefined],
    ['generic', {}, undefined],
    ['okta', { email_verified: 'yes' }, undefined],
    ['entra', {}, undefined],
    ['entra', { xms_edov: true }, 'alice@example.com'],
    ['generic', { xms_edov: true }, undefined],
  ] as const)('%s with %j → %s', (preset, flags, email) => {
    expect(identityFromClaims(idp(preset), { ...base, ...flags }).email).toBe(email);
  });
});
