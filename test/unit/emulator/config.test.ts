import { ConfigInvalid } from '../../../src/config/problems.js';
import { loadEmulatorConfig, parseEmulatorConfig } from '../../../src/emulator/config.js';
import { Directory } from '../../../src/emulator/directory.js';

const problemsOf = (text: string, env: Record<string, string> = {}) => {
  try {
    parseEmulatorConfig(text, env);
  } catch (err) {
    if (err instanceof ConfigInvalid) return err.problems;
    throw err;
  }
  throw new Error('expected the config to be refused');
};

const SAML_TRUST = `{ Version: "1", Statement: [{ Effect: Allow, Action: sts:AssumeRole, Principal: { Federated: acs:ram::1111222233334444:saml-provider/idp } }] }`;

describe('emulator config', () => {
  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf(`
site: moon
accounts:
  - id: "123"
    samlProviders: [{ name: idp, metadataXml: "<x/>", metadataUrl: "https://idp.example/md" }]
    oidcProviders: [{ name: op, issuer: "http://op.example", clientIds: [], issuanceLimitHours: 200 }]
    roles:
      - name: admin
        maxSessionDuration: 100
        trustPolicy: { Version: "1", Statement: [{ Effect: Perhaps, Action: sts:AssumeRole, Principal: { RAM: "*" } }] }
        typo: true
`);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'site',
        'accounts[0].id',
        'accounts[0].samlProviders[0]',
        'accounts[0].oidcProviders[0].clientIds',
        'accounts[0].oidcProviders[0].issuanceLimitHours',
        'accounts[0].roles[0].maxSessionDuration',
        'accounts[0].roles[0].trustPolicy.Statement[0].Effect',
        'accounts[0].roles[0].trustPolicy.Statement[0].Principal.RAM',
        'accounts[0].roles[0].typo',
      ]),
    );
  });

  it('checks what spans entries: duplicates, unknown providers, fetchable URLs', () => {
    const problems = problemsOf(`
site: intl
accounts:
  - id: "1111222233334444"
    samlProviders: [{ name: idp, metadataUrl: "http://idp.example/md" }]
    oidcProviders: [{ name: op, issuer: "http://127.0.0.1:8080", clientIds: [a], issuanceLimitHours: 1 }]
    roles:
      - { name: r, trustPolicy: ${SAML_TRUST} }
      - { name: r, trustPolicy: { Version: "1", Statement: [{ Effect: Allow, Action: sts:AssumeRole, Principal: { Federated: acs:ram::1111222233334444:oidc-provider/nope } }] } }
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'accounts[0].roles[1]', message: 'duplicate role r' },
        { path: 'accounts[0].samlProviders[0].metadataUrl', message: 'must be https (plain http is allowed for loopback addresses only)' },
        { path: 'accounts[0].oidcProviders[0].issuer', message: 'is plain http: set allowInsecureLoopbackIssuers to allow it on loopback' },
        {
          path: 'accounts[0].roles[1].trustPolicy.Statement[0].Principal.Federated[0]',
          message: 'no OIDC provider acs:ram::1111222233334444:oidc-provider/nope is declared',
        },
      ]),
    );
  });

  it('expands ${VAR} and reports unset variables at their path', () => {
    const text = `
site: intl
accounts:
  - id: "1111222233334444"
    users: [{ name: ci, accessKeys: [{ id: LTAI5tExampleExample01, secret: "\${CI_SECRET}" }] }]
`;
    expect(parseEmulatorConfig(text, { CI_SECRET: 'from-the-environment-123' }).accounts[0]!.users[0]!.accessKeys[0]!.secret).toBe(
      'from-the-environment-123',
    );
    expect(problemsOf(text)).toEqual([
      { path: 'accounts[0].users[0].accessKeys[0].secret', message: 'environment variable CI_SECRET is not set' },
    ]);
  });
});

describe('config/emulator-demo.yaml', () => {
  it('loads, and holds exactly the demo accounts, roles and providers', async () => {
    const config = await loadEmulatorConfig('config/emulator-demo.yaml', {});
    const directory = new Directory(config);
    expect(config.site).toBe('intl');
    expect(config.accounts.map((a) => [a.id, a.alias])).toEqual([
      ['1111222233334444', 'dev'],
      ['5555666677778888', 'prod'],
    ]);
    expect(config.accounts.flatMap((a) => a.roles.map((r) => [a.id, r.name, r.maxSessionDuration]))).toEqual([
      ['1111222233334444', 'rambridge-dev-admin', 14400],
      ['1111222233334444', 'rambridge-dev-readonly', 43200],
      ['5555666677778888', 'rambridge-prod-ops', 3600],
      ['5555666677778888', 'rambridge-prod-readonly', 43200],
      ['5555666677778888', 'rambridge-prod-auditor', 3600],
      ['5555666677778888', 'rambridge-prod-admin', 3600],
    ]);
    for (const account of config.accounts) {
      expect(account.samlProviders).toEqual([{ name: 'rambridge', metadataUrl: 'http://127.0.0.1:8080/saml/idp/metadata' }]);
      expect(account.oidcProviders).toEqual([
        { name: 'rambridge', issuer: 'http://127.0.0.1:8080', clientIds: ['sts.aliyuncs.com'], issuanceLimitHours: 12 },
      ]);
    }
    const trusts = (role: string, account: string, kind: 'saml' | 'oidc') => {
      const federated = `acs:ram::${account}:${kind}-provider/rambridge`;
      const context =
        kind === 'saml'
          ? { 'saml:recipient': ['https://signin.alibabacloud.com/saml-role/sso'] }
          : { 'oidc:iss': ['http://127.0.0.1:8080'], 'oidc:aud': ['sts.aliyuncs.com'] };
      return directory.role(`acs:ram::${account}:role/${role}`)!.trust.allows({ federated, context });
    };
    expect([trusts('rambridge-dev-admin', '1111222233334444', 'saml'), trusts('rambridge-dev-admin', '1111222233334444', 'oidc')]).toEqual([
      true,
      false,
    ]);
    expect([
      trusts('rambridge-dev-readonly', '1111222233334444', 'saml'),
      trusts('rambridge-dev-readonly', '1111222233334444', 'oidc'),
    ]).toEqual([false, true]);
    expect([trusts('rambridge-prod-ops', '5555666677778888', 'saml'), trusts('rambridge-prod-ops', '5555666677778888', 'oidc')]).toEqual([
      true,
      false,
    ]);
    expect([
      trusts('rambridge-prod-readonly', '5555666677778888', 'saml'),
      trusts('rambridge-prod-readonly', '5555666677778888', 'oidc'),
    ]).toEqual([true, true]);
    expect([
      trusts('rambridge-prod-admin', '5555666677778888', 'saml'),
      trusts('rambridge-prod-admin', '5555666677778888', 'oidc'),
    ]).toEqual([true, false]);
    expect(directory.accessKey('LTAI5tRambridgeDemoKey01')?.user.arn).toBe('acs:ram::1111222233334444:user/rambridge-demo-ci');
  });
});
