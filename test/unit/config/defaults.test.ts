import { configSchema } from '../../../src/config/schema.js';
import { DEFAULTS } from '../../../src/config/defaults.js';

/** Every default the schema fills in is the one DEFAULTS names (src/config/defaults.ts keeps the reasons). */
describe('configuration defaults come from DEFAULTS', () => {
  const parsed = configSchema.parse({
    server: { publicUrl: 'https://rambridge.example.com', sessionSecrets: ['x'.repeat(40)] },
    idps: [
      { id: 'okta', type: 'oidc', issuer: 'https://example.okta.com', clientId: 'c' },
      { id: 'corp', type: 'saml', entryPoint: 'https://idp.example.com/sso', issuer: 'https://idp.example.com', certificates: ['x'] },
    ],
    accounts: [{ alias: 'dev', id: '1111222233334444' }],
    roles: [{ id: 'dev-admin', account: 'dev', role: 'admin' }],
    issuer: { samlKeys: [{ privateKey: 'k', certificate: 'c' }], oidcKeys: [{ privateKey: 'k' }], subjectSecret: 's'.repeat(40) },
  });

  test('OIDC and SAML IdPs', () => {
    expect(parsed.idps[0]).toMatchObject({ preset: DEFAULTS.idp.preset, idTokenSigningAlg: DEFAULTS.idp.idTokenSigningAlg });
    expect(parsed.idps[1]).toMatchObject(DEFAULTS.saml);
  });

  test('Alibaba Cloud, accounts, roles, issuer and log', () => {
    expect(parsed.alibaba).toMatchObject(DEFAULTS.alibaba);
    expect(parsed.accounts[0]).toMatchObject(DEFAULTS.account);
    expect(parsed.roles[0]).toMatchObject({ via: DEFAULTS.role.via, elevated: DEFAULTS.role.elevated, console: DEFAULTS.role.console });
    expect(parsed.issuer).toMatchObject({ signSamlResponse: DEFAULTS.issuer.signSamlResponse });
    expect(parsed.log).toEqual(DEFAULTS.log);
  });
});
