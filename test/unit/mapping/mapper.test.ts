import { explain } from '../../../src/cli/commands/explain.js';
import { parseConfigText } from '../../../src/config/index.js';
import type { Identity } from '../../../src/idp/identity.js';
import { RoleMapper, compileGlob } from '../../../src/mapping/index.js';
import { configFromYaml } from '../../helpers/config.js';

const config = configFromYaml(`
accounts:
  - {alias: dev, id: "1111222233334444", displayName: Development}
  - {alias: prod, id: "5555666677778888", displayName: Production}
roles:
  - {id: dev-admin, account: dev, role: admin}
  - {id: dev-read, account: dev, role: reader, via: oidc}
  - {id: prod-admin, account: prod, role: admin}
  - {id: prod-break-glass, account: prod, role: breakglass}
grants:
  - {id: devs, groups: ["eng-*"], roles: [dev-admin, dev-read]}
  - {id: readers, groups: [readers, "team-?"], roles: [dev-read]}
  - {id: sre, groups: [sre], roles: [prod-admin], when: {emailDomains: [example.com]}}
  - {id: glass, groups: [sre], roles: [prod-break-glass], when: {mfa: true}}
`);
const mapper = new RoleMapper(config.roles, config.grants);

const user = (groups: string[], extra: Partial<Identity> = {}): Identity => ({
  idp: 'corp',
  issuer: 'https://idp.example.com',
  subject: 'u1',
  email: 'u@example.com',
  groups,
  amr: ['pwd'],
  ...extra,
});

const ids = (groups: string[], extra?: Partial<Identity>) => mapper.rolesFor(user(groups, extra)).map((c) => c.role.id);

describe('RoleMapper.rolesFor of a frozen identity (the memory store’s, the same object on every request of a session)', () => {
  const frozen = (groups: string[], extra?: Partial<Identity>) =>
    Object.freeze({ ...user(groups, extra), groups: Object.freeze(groups) }) as Identity;

  test('is mapped once and kept with it, frozen, so no caller can change what the next one gets', () => {
    const identity = frozen(['eng-platform', 'sre']);
    const first = mapper.rolesFor(identity);
    expect(mapper.rolesFor(identity)).toBe(first);
    expect(first.map((c) => c.role.id)).toEqual(['dev-admin', 'dev-read', 'prod-admin']);
    expect(Object.isFrozen(first) && first.every((c) => Object.isFrozen(c) && Object.isFrozen(c.reasons))).toBe(true);
  });

  test('gives each identity its own roles, as an unfrozen one would get them', () => {
    const cases: Array<[string[], Partial<Identity>?]> = [
      [['readers']],
      [['sre'], { amr: ['pwd', 'mfa'] }],
      [['sre'], { email: 'u@elsewhere.test' }],
      [[]],
    ];
    for (const [groups, extra] of cases)
      expect(mapper.rolesFor(frozen([...groups], extra))).toEqual(mapper.rolesFor(user([...groups], extra)));
    const unfrozen = user(['readers']);
    expect(mapper.rolesFor(unfrozen)).not.toBe(mapper.rolesFor(unfrozen));
  });
});

describe('RoleMapper.rolesFor', () => {
  test.each([
    [['eng-platform'], ['dev-admin', 'dev-read']],
    [['readers'], ['dev-read']],
    [['team-a'], ['dev-read']],
    [['team-ab'], []],
    [['ENG-platform'], []],
    [['eng-'], ['dev-admin', 'dev-read']],
    [['eng'], []],
    [[], []],
    [['sre'], ['prod-admin']],
  ])('groups %j → roles %j', (groups, expected) => {
    expect(ids(groups)).toEqual(expected);
  });

  test('a role granted twice lists both reasons, in config order', () => {
    const [, devRead] = mapper.rolesFor(user(['eng-x', 'readers']));
    expect(devRead!.role.id).toBe('dev-read');
    expect(devRead!.reasons).toEqual([
      { grant: 'devs', group: 'eng-x', pattern: 'eng-*' },
      { grant: 'readers', group: 'readers', pattern: 'readers' },
    ]);
  });

  test('email domain conditions compare case-insensitively and refuse other domains', () => {
    expect(ids(['sre'], { email: 'u@EXAMPLE.com' })).toEqual(['prod-admin']);
    expect(ids(['sre'], { email: 'u@example.com.evil.io' })).toEqual([]);
    expect(ids(['sre'], { email: undefined })).toEqual([]);
  });

  describe('hostile values from an IdP', () => {
    const small = configFromYaml(`
accounts: [{alias: dev, id: "1111222233334444"}]
roles: [{id: r, account: dev, role: admin}, {id: s, account: dev, role: reader}]
grants:
  - {id: g, groups: [sre], roles: [r], when: {emailDomains: [kcorp.com]}}
  - {id: h, groups: ["*Object*", "x-*"], roles: [s]}
`);
    const m = new RoleMapper(small.roles, small.grants);
    const roleIds = (groups: unknown[], extra?: Partial<Identity>) => m.rolesFor(user(groups as string[], extra)).map((c) => c.role.id);

    test('email domains fold ASCII case only: a Unicode letter that lowercases into the domain is refused', () => {
      expect(roleIds(['sre'], { email: 'u@KCORP.com' })).toEqual(['r']);
      expect(roleIds(['sre'], { email: 'u@\u212Acorp.com' })).toEqual([]); // KELVIN SIGN, "k" once lowercased
    });

    test('a group that is not a string matches no pattern, and the user keeps the roles their real groups give', () => {
      expect(roleIds([Object, null, {}, 42])).toEqual([]);
      expect(roleIds([Object, 'x-team'])).toEqual(['s']);
      expect(m.explain(user([Object] as unknown as string[]), 's')).toMatchObject({ granted: false });
    });
  });

  test('an MFA condition needs a second factor in amr', () => {
    expect(ids(['sre'], { amr: ['pwd', 'mfa'] })).toEqual(['prod-admin', 'prod-break-glass']);
    expect(ids(['sre'], { amr: ['pwd', 'otp'] })).toContain('prod-break-glass');
    expect(ids(['sre'], { amr: ['pwd'] })).not.toContain('prod-break-glass');
  });

  test('the resolved role carries its ARN and account', () => {
    const [choice] = mapper.rolesFor(user(['sre']));
    expect(choice!.role).toMatchObject({ arn: 'acs:ram::5555666677778888:role/admin', accountName: 'Production' });
  });
});

describe('RoleMapper.explain', () => {
  test('says which grant gives a role', () => {
    expect(mapper.explain(user(['eng-a']), 'dev-admin')).toMatchObject({ granted: true, choice: { reasons: [{ grant: 'devs' }] } });
  });

  test('says what each grant naming a denied role was missing', () => {
    const result = mapper.explain(user(['sre'], { amr: ['pwd'] }), 'prod-break-glass');
    expect(result).toEqual({
      granted: false,
      role: expect.objectContaining({ id: 'prod-break-glass' }),
      denials: [{ grant: 'glass', why: 'mfa-required', needed: ['mfa'] }],
    });
    expect(mapper.explain(user(['nobody']), 'dev-read')).toMatchObject({
      granted: false,
      denials: [
        { grant: 'devs', why: 'no-matching-group', needed: ['eng-*'] },
        { grant: 'readers', why: 'no-matching-group', needed: ['readers', 'team-?'] },
      ],
    });
    expect(mapper.explain(user(['sre'], { email: 'x@other.org' }), 'prod-admin')).toMatchObject({
      denials: [{ why: 'email-domain', needed: ['example.com'] }],
    });
  });

  test('an unknown role is reported as such', () => {
    expect(mapper.explain(user(['eng-a']), 'nope')).toEqual({ granted: false, role: undefined, denials: [] });
  });
});

describe('a grant limited to IdPs (when.idps)', () => {
  // Two IdPs whose group names nobody coordinates: the corporate one, and a partner's.
  const twoIdps = parseConfigText(
    [
      'server: {publicUrl: "https://bridge.example.com", sessionSecrets: ["' + 'k'.repeat(32) + '"]}',
      'idps:',
      '  - {id: corp, type: oidc, issuer: "https://idp.example.com", clientId: rambridge}',
      '  - {id: partner, type: oidc, issuer: "https://partner.example.net", clientId: rambridge}',
      'accounts: [{alias: prod, id: "5555666677778888"}]',
      'roles: [{id: prod-admin, account: prod, role: admin}, {id: prod-read, account: prod, role: reader}]',
      'grants:',
      '  - {id: admins, groups: [cloud-admins], roles: [prod-admin], when: {idps: [corp]}}',
      '  - {id: readers, groups: [cloud-admins], roles: [prod-read]}',
    ].join('\n'),
    {},
  );
  const m = new RoleMapper(twoIdps.roles, twoIdps.grants);
  const partnerUser = user(['cloud-admins'], { idp: 'partner', issuer: 'https://partner.example.net', subject: 'mallory' });

  test('the same group name at another IdP does not satisfy it; a grant without idps still matches at every IdP', () => {
    expect(m.rolesFor(user(['cloud-admins'])).map((c) => c.role.id)).toEqual(['prod-admin', 'prod-read']);
    expect(m.rolesFor(partnerUser).map((c) => c.role.id)).toEqual(['prod-read']);
  });

  test('explain names the IdPs the grant needs', () => {
    expect(m.explain(partnerUser, 'prod-admin')).toMatchObject({
      granted: false,
      denials: [{ grant: 'admins', why: 'idp', needed: ['corp'] }],
    });
    expect(explain(twoIdps, { groups: 'cloud-admins', idp: 'partner', role: 'prod-admin' })).toContain(
      'grant admins: groups match, but only when signed in through IdP "corp" (--idp)',
    );
    expect(explain(twoIdps, { groups: 'cloud-admins', idp: 'corp', role: 'prod-admin' })).toMatch(/^GRANTED prod-admin/);
  });
});

describe('compileGlob', () => {
  test.each([
    ['a.b', 'a.b', true],
    ['a.b', 'axb', false],
    ['team-*', 'team-', true],
    ['*-admins', 'cloud-admins', true],
    ['g?', 'g1', true],
    ['g?', 'g', false],
    ['(x)|y', '(x)|y', true],
    ['(x)|y', 'y', false],
    ['a*', 'a\nb', true],
  ])('%s matches %j: %s', (pattern, value, expected) => {
    expect(compileGlob(pattern)(value)).toBe(expected);
  });
});
