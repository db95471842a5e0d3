import { fileURLToPath } from 'node:url';
import { ConfigInvalid, loadConfigFile, parseConfigText, SESSION_POLICY_MAX_BYTES, validateConfig } from '../../../src/config/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));
const env = { SESSION_SECRET: 'x'.repeat(40), OKTA_SECRET: 'okta-secret' };

async function problemsOf(file: string, e: Record<string, string> = env): Promise<string[]> {
  try {
    await loadConfigFile(fixture(file), e);
  } catch (err) {
    if (err instanceof ConfigInvalid) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected the config to be invalid');
}

describe('loading a valid configuration', () => {
  test('expands ${ENV} references and derives ARNs, provider ARNs and presets', async () => {
    const config = await loadConfigFile(fixture('valid.yaml'), env);
    expect(config.server.sessionSecrets).toEqual(['x'.repeat(40)]);
    expect(config.server.port).toBe(8080);
    expect(config.idps[0]).toMatchObject({
      clientSecret: 'okta-secret',
      claims: { groups: ['groups'], email: 'email', name: 'name' },
      scopes: ['openid', 'email', 'profile', 'groups'],
      redirectUri: 'https://rambridge.example.com/oidc/okta/callback',
    });
    expect(config.roles[0]).toMatchObject({
      arn: 'acs:ram::1111222233334444:role/admin',
      roleName: 'admin',
      via: 'saml',
      providerArn: 'acs:ram::1111222233334444:saml-provider/rambridge',
      accountName: 'Development',
    });
    expect(config.grants[0]!.id).toBe('grants[0]');
    expect(config.alibaba).toMatchObject({
      site: 'intl',
      samlAudience: 'urn:alibaba:cloudcomputing:international',
      roleSsoUrl: 'https://signin.alibabacloud.com/saml-role/sso',
    });
    expect(config.warnings).toEqual([]);
  });

  test('the demo configuration is valid', async () => {
    const demo = fileURLToPath(new URL('../../../config/demo.yaml', import.meta.url));
    const config = await loadConfigFile(demo, {
      RAMBRIDGE_SESSION_SECRET: 's'.repeat(43),
      RAMBRIDGE_DEMO_CLIENT_SECRET: 'c',
      RAMBRIDGE_DEMO_SAML_KEY: 'saml.key',
      RAMBRIDGE_DEMO_SAML_CERT: 'saml.crt',
      RAMBRIDGE_DEMO_OIDC_KEY: 'oidc.key',
      RAMBRIDGE_DEMO_SUBJECT_SECRET: 'x'.repeat(32),
    });
    expect(config.roles.map((r) => r.id)).toEqual(['dev-admin', 'dev-readonly', 'prod-ops', 'prod-readonly', 'prod-auditor', 'prod-admin']);
    expect(config.roles.filter((r) => r.elevated).map((r) => r.id)).toEqual(['prod-admin']);
    expect(config.alibaba.consoleDestinations.map((d) => d.service)).toEqual(['ecs', 'oss', 'ram', 'actiontrail']);
    expect(config.warnings).toEqual(['idps.demo.insecureAllowHttp is on: ID tokens may be fetched over plain http']);
  });

  test.each(['okta-oidc.yaml', 'entra-oidc.yaml'])('the example %s is valid', async (name) => {
    const file = fileURLToPath(new URL(`../../../config/${name}`, import.meta.url));
    const secrets = {
      RAMBRIDGE_SESSION_SECRET: 's'.repeat(43),
      OKTA_CLIENT_ID: 'id',
      OKTA_CLIENT_SECRET: 'x',
      ENTRA_TENANT_ID: 't',
      ENTRA_CLIENT_ID: 'id',
      ENTRA_CLIENT_SECRET: 'x',
    };
    const config = await loadConfigFile(file, secrets);
    expect(config.roles.length).toBeGreaterThan(0);
    expect(config.warnings).toEqual([]);
  });

  test('a SAML IdP gets its preset attribute names, SP entityID and ACS URL', () => {
    const config = parseConfigText(
      [
        'server: {publicUrl: "https://b.example.com", sessionSecrets: ["' + 'k'.repeat(32) + '"]}',
        'idps: [{id: entra-saml, type: saml, preset: entra, entryPoint: "https://login.microsoftonline.com/t/saml2", issuer: "https://sts.windows.net/t/", certificates: [cert.pem]}]',
      ].join('\n'),
      {},
    );
    expect(config.idps[0]).toMatchObject({
      type: 'saml',
      attributes: { groups: ['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'] },
      spEntityId: 'https://b.example.com/saml/entra-saml/metadata',
      acsUrl: 'https://b.example.com/saml/entra-saml/acs',
      allowIdpInitiated: false,
      clockSkewSeconds: 60,
    });
  });

  test('a SAML IdP trusted further than its preset (fewer signatures, an unverified email) is said at start', () => {
    const samlIdp = (extra: string, preset = 'okta') =>
      parseConfigText(
        [
          'server: {publicUrl: "https://b.example.com", trustProxy: 1, sessionSecrets: ["' + 'k'.repeat(32) + '"]}',
          `idps: [{id: corp, type: saml, preset: ${preset}, entryPoint: "https://idp.example.com/sso", issuer: i, certificates: [c.pem]${extra}}]`,
        ].join('\n'),
        {},
      ).warnings;
    expect(samlIdp('')).toEqual([]);
    expect(samlIdp(', requireSigned: assertion')).toEqual([expect.stringContaining('idps.corp.requireSigned is assertion')]);
    expect(samlIdp(', emailVerified: true', 'generic')).toEqual([expect.stringContaining('idps.corp.emailVerified is on')]);
    // What the preset already does is no warning.
    expect(samlIdp(', requireSigned: assertion, emailVerified: false', 'entra')).toEqual([]);
  });

  test('an entra preset reads groups and app roles', () => {
    const config = parseConfigText(
      [
        'server: {publicUrl: "https://b.example.com", sessionSecrets: ["' + 'k'.repeat(32) + '"]}',
        'idps: [{id: entra, type: oidc, preset: entra, issuer: "https://login.microsoftonline.com/t/v2.0", clientId: c}]',
      ].join('\n'),
      {},
    );
    expect(config.idps[0]).toMatchObject({ claims: { groups: ['groups', 'roles'] } });
  });
});

describe('an invalid configuration', () => {
  test.each([
    ['https://bridge.example.com/?tenant=a', 'a query (?…)'],
    ['https://bridge.example.com/#top', 'a fragment (#…)'],
    ['https://admin:hunter2@bridge.example.com', 'a user name or password'],
  ])('server.publicUrl %s: refused, naming the part every derived URL would break on', (publicUrl, part) => {
    const result = validateConfig({
      server: { publicUrl, sessionSecrets: ['k'.repeat(32)] },
      idps: [{ id: 'corp', type: 'oidc', issuer: 'https://idp.example.com', clientId: 'rambridge' }],
    });
    expect(result.ok ? [] : result.problems).toEqual([
      { path: 'server.publicUrl', message: `${part} has no place here: scheme, host, optional port and path only` },
    ]);
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  test('grants[].when.emailDomains entries that could never match (an @, a space, no dot) are refused; any case is accepted', () => {
    const withDomains = (emailDomains: string[]) =>
      validateConfig({
        server: { publicUrl: 'https://b.example.com', sessionSecrets: ['k'.repeat(32)] },
        idps: [{ id: 'corp', type: 'oidc', issuer: 'https://idp.example.com', clientId: 'rambridge' }],
        accounts: [{ alias: 'dev', id: '1111222233334444' }],
        roles: [{ id: 'r1', account: 'dev', role: 'admin' }],
        grants: [{ groups: ['g'], roles: ['r1'], when: { emailDomains } }],
      });
    const refused = withDomains([
      '@example.com',
      ' example.com',
      'example',
      'example.com.',
      'Example.COM',
      'xn--bcher-kva.example',
      'bücher.example',
    ]);
    expect(refused.ok ? [] : refused.problems).toEqual(
      [0, 1, 2, 3].map((i) => ({ path: `grants[0].when.emailDomains[${i}]`, message: 'a domain such as example.com (no @, no spaces)' })),
    );
  });

  test('reports every problem at once, each at its path', async () => {
    expect(await problemsOf('invalid-many.yaml')).toEqual(
      expect.arrayContaining([
        'server.publicUrl: an absolute http(s) URL',
        'server.sessionSecrets[0]: session secrets need at least 32 characters',
        'server.colour: unknown key',
        'idps[0].issuer: plain-http issuer; use https (or insecureAllowHttp: true for a loopback development IdP)',
        'accounts[0].id: an Alibaba Cloud account id is 16 digits, quoted in YAML ("1234567890123456"): unquoted, it is read as a number',
        'roles[0].maxSessionDuration: at least 900 seconds',
        'idps[1].id: duplicate id "corp" (also idps[0])',
        'roles[1].id: duplicate id "a" (also roles[0])',
        'roles[2].account: unknown account "prod"',
        'roles[3].role: ARN is in account 1111222233334444, but account "prd" is 5555666677778888',
        'roles[4].role: malformed role ARN (acs:ram::<16-digit account>:role/<name>)',
        'grants[0].roles[1]: unknown role "missing"',
      ]),
    );
    // The account with the wrong id is still known by its alias: its roles are not "unknown account" too.
    expect(await problemsOf('invalid-many.yaml')).not.toContainEqual(expect.stringMatching(/unknown account "dev"/));
  });

  test('an unknown IdP type is named', async () => {
    const problems = await problemsOf('invalid-many.yaml');
    expect(problems.some((p) => p.startsWith('idps[1].type'))).toBe(true);
  });

  test('a missing environment variable is a problem at its path, not an empty secret', async () => {
    expect(await problemsOf('valid.yaml', { SESSION_SECRET: 'x'.repeat(40) })).toEqual([
      'idps[0].clientSecret: environment variable OKTA_SECRET is not set',
    ]);
  });

  test('${VAR:-default} uses the default when unset', () => {
    const config = parseConfigText(
      'server: {publicUrl: "${URL:-https://d.example.com}", sessionSecrets: ["' +
        'k'.repeat(32) +
        '"]}\n' +
        'idps: [{id: x, type: oidc, issuer: "https://i.example.com", clientId: c}]',
      {},
    );
    expect(config.server.publicUrl).toBe('https://d.example.com');
  });

  test.each([
    ['https://login.microsoftonline.com/common/v2.0', 'https://login.microsoftonline.com'],
    ['https://login.microsoftonline.com/organizations/v2.0/', 'https://login.microsoftonline.com'],
    ['https://login.microsoftonline.com/%63ommon/v2.0', 'https://login.microsoftonline.com'], // Entra decodes it
    ['https://login.microsoftonline.us/Common', 'https://login.microsoftonline.us'], // the US Government cloud
  ])('a multi-tenant Entra ID issuer (%s) is refused, naming the tenant-specific one in its cloud', (issuer, origin) => {
    const config = (value: string) =>
      parseConfigText(
        `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
          `idps: [{id: entra, type: oidc, preset: entra, issuer: "${value}", clientId: c, allowedTenants: [t]}]`,
        {},
      );
    expect(() => config(issuer)).toThrow(`use ${origin}/<tenant id>/v2.0`);
    expect(() => config(issuer)).toThrow(/idps\[0\]\.issuer: a multi-tenant Entra ID issuer/);
    expect(config('https://login.microsoftonline.com/0e3d1d5a-5b7e-4a55-9c1e-2a4b9f1c7d11/v2.0').idps).toHaveLength(1);
  });

  test('plain http is refused for a non-loopback issuer even when insecureAllowHttp is set', () => {
    expect(() =>
      parseConfigText(
        'server: {publicUrl: "https://b.example.com", sessionSecrets: ["' +
          'k'.repeat(32) +
          '"]}\n' +
          'idps: [{id: x, type: oidc, issuer: "http://idp.example.com", clientId: c, insecureAllowHttp: true}]',
        {},
      ),
    ).toThrow(/idps\[0\]\.insecureAllowHttp: plain http is only allowed for loopback issuers/);
  });

  test('oidcAudience is only for via: oidc roles whose tokens the bridge mints', () => {
    const text = (role: string) =>
      `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
      'idps: [{id: x, type: oidc, issuer: "https://idp.example.com", clientId: c}]\n' +
      'accounts: [{alias: a, id: "1111222233334444"}]\n' +
      `roles: [${role}]\n`;
    expect(() => parseConfigText(text('{id: r, account: a, role: r1, via: saml, oidcAudience: aud-r}'), {})).toThrow(
      /roles\[0\]\.oidcAudience: only for via: oidc/,
    );
    expect(parseConfigText(text('{id: r, account: a, role: r1, via: oidc, oidcAudience: aud-r}'), {}).roles[0]!.oidcAudience).toBe('aud-r');
  });

  describe('an ID token audience binds it to its roles, so each one is refused where it would bind more', () => {
    const text = (roles: string, issuer = '') =>
      `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
      'idps: [{id: x, type: oidc, issuer: "https://idp.example.com", clientId: c}]\n' +
      'accounts: [{alias: a, id: "1111222233334444"}]\n' +
      issuer +
      `roles: [${roles}]\n`;
    test.each([
      [
        "the CLI access tokens' audience on a role",
        text('{id: r, account: a, role: r1, via: oidc, oidcAudience: rambridge-api}'),
        /roles\[0\]\.oidcAudience: "rambridge-api" is the audience of the bridge's CLI access tokens/,
      ],
      [
        "the CLI access tokens' audience for every role",
        text(
          '{id: r, account: a, role: r1, via: oidc}',
          'issuer: {samlKeys: [{privateKey: k, certificate: c}], oidcKeys: [{privateKey: k}], oidcAudience: rambridge-api}\n',
        ),
        /issuer\.oidcAudience: "rambridge-api" is the audience/,
      ],
      [
        "another role's own audience",
        text(
          '{id: r, account: a, role: r1, via: oidc, oidcAudience: aud-r}, {id: s, account: a, role: r2, via: oidc, oidcAudience: aud-r}',
        ),
        /roles\[1\]\.oidcAudience: is also role "r"'s: a token minted for either would be accepted for both/,
      ],
      [
        'the audience every role without its own shares',
        text('{id: r, account: a, role: r1, via: oidc, oidcAudience: sts.aliyuncs.com}'),
        /roles\[0\]\.oidcAudience: is issuer\.oidcAudience, which every role without its own shares/,
      ],
    ])('%s', (_name, yaml, problem) => {
      expect(() => parseConfigText(yaml, {})).toThrow(problem);
    });
  });

  describe('grants and support.adminGroups limited to IdPs', () => {
    const text = (grant: string, support = '', idps = ['corp', 'partner']) =>
      `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"], trustProxy: 1}\n` +
      `idps: [${idps.map((id) => `{id: ${id}, type: oidc, issuer: "https://${id}.example.com", clientId: c}`).join(', ')}]\n` +
      'accounts: [{alias: a, id: "1111222233334444"}]\n' +
      'roles: [{id: r, account: a, role: r1}]\n' +
      `grants: [${grant}]\n` +
      support;

    test('each IdP named must be configured', () => {
      expect(parseConfigText(text('{groups: [g], roles: [r], when: {idps: [corp]}}'), {}).grants[0]!.when).toEqual({ idps: ['corp'] });
      expect(() => parseConfigText(text('{groups: [g], roles: [r], when: {idps: [corp, crop]}}'), {})).toThrow(
        /grants\[0\]\.when\.idps\[1\]: unknown IdP "crop" \(known: corp, partner\)/,
      );
      expect(() => parseConfigText(text('{groups: [g], roles: [r], when: {idps: []}}'), {})).toThrow(/grants\[0\]\.when\.idps/);
      expect(() => parseConfigText(text('{groups: [g], roles: [r]}', 'support: {adminGroups: [ops], adminIdps: [nope]}\n'), {})).toThrow(
        /support\.adminIdps\[0\]: unknown IdP "nope"/,
      );
    });

    test('with several IdPs, each grant (and adminGroups) matched at every IdP is said at start; with one IdP nothing is', () => {
      const warnings = (grant: string, support = '', idps?: string[]) => parseConfigText(text(grant, support, idps), {}).warnings;
      expect(warnings('{id: ops, groups: [g], roles: [r]}, {groups: [h], roles: [r], when: {idps: [corp]}}')).toEqual([
        expect.stringMatching(/^grants\[0\] \(ops\) has no when\.idps: its groups are matched at every IdP \(corp, partner\)/),
      ]);
      expect(warnings('{groups: [g], roles: [r], when: {idps: [corp]}}', 'support: {adminGroups: [ops]}\n')).toEqual([
        expect.stringMatching(/^support\.adminGroups are matched at every IdP/),
      ]);
      expect(warnings('{groups: [g], roles: [r], when: {idps: [partner]}}', 'support: {adminGroups: [ops], adminIdps: [corp]}\n')).toEqual(
        [],
      );
      expect(warnings('{groups: [g], roles: [r]}', 'support: {adminGroups: [ops]}\n', ['corp'])).toEqual([]);
    });
  });

  test('a saml-post role with a sessionPolicy is refused: the role SSO post cannot narrow the session', () => {
    const text = (mode: string) =>
      `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
      'idps: [{id: x, type: oidc, issuer: "https://idp.example.com", clientId: c}]\n' +
      'accounts: [{alias: a, id: "1111222233334444"}]\n' +
      `roles: [{id: r, account: a, role: r1, via: saml, console: ${mode}, sessionPolicy: {Version: "1", Statement: []}}]\n`;
    expect(() => parseConfigText(text('saml-post'), {})).toThrow(
      /roles\[0\]\.sessionPolicy: a saml-post console session cannot be narrowed/,
    );
    expect(parseConfigText(text('federation'), {}).roles[0]!.sessionPolicy).toBeDefined();
  });

  test('a session policy over 1,024 bytes as sent is refused: the older STS limit, which the bridge stays within', () => {
    const text = (policy: string) =>
      `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
      'idps: [{id: x, type: oidc, issuer: "https://idp.example.com", clientId: c}]\n' +
      'accounts: [{alias: a, id: "1111222233334444"}]\n' +
      `roles: [{id: r, account: a, role: r1, via: oidc, sessionPolicy: ${policy}}]\n`;
    // Compact JSON of {Version, Statement: [{Effect, Action: [...], Resource}]}: its size is what STS receives.
    const document = (actions: number) =>
      JSON.stringify({
        Version: '1',
        Statement: [{ Effect: 'Allow', Action: Array.from({ length: actions }, (_, i) => `ecs:Describe${i}`), Resource: '*' }],
      });
    const fits = document(1);
    let over = fits;
    for (let n = 2; Buffer.byteLength(over) <= SESSION_POLICY_MAX_BYTES; n++) over = document(n);
    expect(parseConfigText(text(fits), {}).roles[0]!.sessionPolicy).toBeDefined();
    expect(() => parseConfigText(text(over), {})).toThrow(/roles\[0\]\.sessionPolicy: over 1024 bytes as sent to STS/);
    // A string is counted as written, in bytes: 600 two-byte characters are 1,200 bytes.
    expect(() => parseConfigText(text(JSON.stringify(`{"Version":"1","x":"${'é'.repeat(600)}"}`)), {})).toThrow(/over 1024 bytes/);
  });

  test('a session policy must be a policy document: a non-empty JSON object, as YAML or as JSON text (STS refuses anything else on every issuance)', () => {
    const text = (policy: string) =>
      `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
      'idps: [{id: x, type: oidc, issuer: "https://idp.example.com", clientId: c}]\n' +
      'accounts: [{alias: a, id: "1111222233334444"}]\n' +
      `roles: [{id: r, account: a, role: r1, via: oidc, sessionPolicy: ${policy}}]\n`;
    for (const bad of [
      '""',
      '"  "',
      '"not json {"',
      '"[]"',
      '"[{\\"Effect\\": \\"Allow\\"}]"',
      '"\\"text\\""',
      '"null"',
      '"{}"',
      '"42"',
      '{}',
    ]) {
      expect(() => parseConfigText(text(bad), {})).toThrow(/roles\[0\]\.sessionPolicy: not a policy document/);
    }
    const document = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}';
    expect(parseConfigText(text(JSON.stringify(document)), {}).roles[0]!.sessionPolicy).toBe(document);
    expect(parseConfigText(text(document), {}).roles[0]!.sessionPolicy).toEqual(JSON.parse(document));
  });

  test('alibaba.signinUrl in plain http is refused unless on this machine: STS credentials are posted to it', () => {
    const text = (url: string) =>
      `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
      'idps: [{id: x, type: oidc, issuer: "https://idp.example.com", clientId: c}]\n' +
      `alibaba: {signinUrl: "${url}"}\n`;
    expect(() => parseConfigText(text('http://signin.example.com'), {})).toThrow(/alibaba\.signinUrl: plain http sends secrets in clear/);
    expect(parseConfigText(text('http://127.0.0.1:9090'), {}).alibaba.signinUrl).toBe('http://127.0.0.1:9090');
    expect(parseConfigText(text('https://signin.example.com'), {}).alibaba.signinUrl).toBe('https://signin.example.com');
    expect(parseConfigText(text('HTTPS://signin.example.com'), {}).alibaba.signinUrl).toBeDefined();
  });

  test('server.publicUrl has its scheme in lower case, so an upper-case HTTPS is https for cookies, HSTS and warnings; the rest stays as registered', () => {
    const text = (url: string) =>
      `server: {publicUrl: "${url}", sessionSecrets: ["${'k'.repeat(32)}"], trustProxy: 1}\n` +
      'idps: [{id: x, type: oidc, issuer: "https://idp.example.com", clientId: c}]\n';
    expect(parseConfigText(text('HTTPS://Bridge.Example.com/'), {}).server.publicUrl).toBe('https://Bridge.Example.com');
    expect(parseConfigText(text('https://bridge.example.com:443/sso/'), {}).server.publicUrl).toBe('https://bridge.example.com:443/sso');
    expect(parseConfigText(text('HTTP://bridge.example.com'), {}).warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('server.publicUrl is plain http on a non-loopback host')]),
    );
  });

  test('alibaba.stsEndpoint given as a plain-http URL is refused unless on this machine: assertions and credentials cross it', () => {
    const text = (endpoint: string) =>
      `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
      'idps: [{id: x, type: oidc, issuer: "https://idp.example.com", clientId: c}]\n' +
      `alibaba: {stsEndpoint: "${endpoint}"}\n`;
    expect(() => parseConfigText(text('http://sts.example.com'), {})).toThrow(/alibaba\.stsEndpoint: as a URL, https/);
    for (const ok of ['http://127.0.0.1:9090', 'https://sts.example.com', 'sts.cn-hangzhou.aliyuncs.com'])
      expect(parseConfigText(text(ok), {}).alibaba.stsEndpoint).toBe(ok);
  });

  const withStsEndpoint = (endpoint: string) =>
    `server: {publicUrl: "https://b.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
    'idps: [{id: x, type: oidc, issuer: "https://idp.example.com", clientId: c}]\n' +
    `alibaba: {stsEndpoint: "${endpoint}"}\n`;

  test.each(['sts.aliyuncs.com/', 'sts.aliyuncs.com ', 'sts_cn.aliyuncs.com', 'sts.aliyuncs.com:port', 'https://sts_cn.example.com'])(
    'alibaba.stsEndpoint %j is a configuration problem with an example, not a start-up crash: the STS client’s own host rule',
    (endpoint) => {
      expect(() => parseConfigText(withStsEndpoint(endpoint), {})).toThrow(
        /alibaba\.stsEndpoint: host\[:port\] with no scheme, path or space, such as sts\.cn-hangzhou\.aliyuncs\.com/,
      );
    },
  );

  test.each(['sts.cn-hangzhou.aliyuncs.com', 'sts-vpc.cn-hangzhou.aliyuncs.com', '127.0.0.1:9090', '[::1]:9090', 'http://[::1]:9090/'])(
    'alibaba.stsEndpoint %j is accepted',
    (endpoint) => {
      expect(parseConfigText(withStsEndpoint(endpoint), {}).alibaba.stsEndpoint).toBe(endpoint);
    },
  );

  test('YAML syntax errors and duplicate keys are reported with a line', () => {
    expect(() => parseConfigText('server:\n  port: 1\n  port: 2\n', {})).toThrow(ConfigInvalid);
  });

  test('an alias without its anchor, an alias bomb or an alias inside its own node is a config problem (exit 2 with its reason), not a crash', () => {
    const problems = (text: string) => {
      try {
        parseConfigText(text, {});
      } catch (err) {
        return err instanceof ConfigInvalid ? err.problems : err;
      }
    };
    expect(problems('server: *srv\n')).toEqual([
      { path: '(file)', message: 'Unresolved alias (the anchor must be set before the alias): srv' },
    ]);
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 9; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    expect(problems(bomb)).toEqual([{ path: '(file)', message: expect.stringMatching(/^Excessive alias count/) }]);
    for (const cycle of ['server: &a\n  x: *a\n', 'roles: &r\n  - *r\n'])
      expect(problems(cycle)).toEqual([{ path: '(file)', message: 'an alias refers to the node that contains it' }]);
  });

  test('a file that cannot be read is one clear problem', async () => {
    await expect(loadConfigFile('/nonexistent/rambridge.yaml', {})).rejects.toMatchObject({
      problems: [{ path: '(file)', message: 'cannot read: no such file' }],
    });
  });
});
