import type { Role } from '../../../src/config/index.js';
import type { RoleChoice } from '../../../src/mapping/index.js';
import { pickerGroups, RECENT_SHOWN, searchFields, timeAgo } from '../../../src/web/picker-view.js';
import { NAME_FIELDS, visibleRoles } from '../../../src/wire/role-filter.js';

const ELEVATION = { minJustificationLength: 10, maxSessionSeconds: 3600, mfaMaxAgeSeconds: 900 } as never;

function choice(id: string, account: string, extra: Partial<Role> = {}, group = 'g'): RoleChoice {
  const role = {
    id,
    arn: `acs:ram::${account}:role/ram-${id}`,
    roleName: `ram-${id}`,
    accountId: account,
    accountAlias: `alias-${account}`,
    accountName: `Account ${account}`,
    via: 'saml',
    maxSessionDuration: 3600,
    elevated: false,
    ...extra,
  } as Role;
  return { role, reasons: [{ grant: 'grant', group }] } as RoleChoice;
}

describe('visibleRoles: names first, then descriptions and groups', () => {
  const fields = [
    searchFields(choice('prod-ops', '1', { description: 'Operate production' }, 'operators')),
    searchFields(choice('prod-readonly', '1', { description: 'Read production' }, 'operators')),
  ];
  test.each([
    ['', [true, true]],
    ['prd ops', [true, false]],
    // No role is named so: the description decides.
    ['operate', [true, false]],
    // Only the granting group has it.
    ['operators', [true, true]],
    ['nothing', [false, false]],
  ])('%j', (query, expected) => {
    expect(visibleRoles(query, fields)).toEqual(expected);
  });
  test('the first NAME_FIELDS fields are the names', () => {
    expect(fields[0]!.slice(0, NAME_FIELDS)).toEqual(['Account 1', 'alias-1', '1', 'prod-ops', 'ram-prod-ops']);
  });
});

describe('pickerGroups', () => {
  const choices = [choice('a1', '1'), choice('a2', '1'), choice('b1', '2'), choice('b2', '2'), choice('c1', '3')];
  const base = { choices, elevation: ELEVATION, lang: 'en' as const, now: Date.UTC(2030, 0, 1, 12), grouped: true };
  const at = (minutesAgo: number) => new Date(base.now - minutesAgo * 60_000).toISOString();
  const ids = (groups: ReturnType<typeof pickerGroups>) => groups.map((g) => [g.kind, g.roles.map((r) => r.id)]);

  test('favourites, then recents not starred, then the rest by account; every role once; empty accounts left out', () => {
    const groups = pickerGroups({
      ...base,
      preferences: {
        favourites: ['b2', 'a1'],
        recents: [
          { roleId: 'a1', usedAt: at(1) },
          { roleId: 'c1', usedAt: at(5) },
        ],
        lastDurations: {},
      },
    });
    expect(ids(groups)).toEqual([
      ['favourites', ['b2', 'a1']],
      ['recents', ['c1']],
      ['account', ['a2']],
      ['account', ['b1']],
    ]);
    expect(groups[0]!.roles[1]).toMatchObject({ favourite: true, account: { id: '1' }, lastUsed: { label: '1 minute ago' } });
    expect(groups[2]!.roles[0]).toMatchObject({ favourite: false, account: undefined, lastUsed: undefined });
  });

  test(`at most ${RECENT_SHOWN} recents are moved up`, () => {
    const recents = choices.map((c, i) => ({ roleId: c.role.id, usedAt: at(i) }));
    const groups = pickerGroups({
      ...base,
      choices: [...choices, choice('c2', '3')],
      preferences: { favourites: [], recents, lastDurations: {} },
    });
    expect(groups[0]!.roles).toHaveLength(RECENT_SHOWN);
  });

  test('not grouped (a deep link): by account only, stars still shown', () => {
    const groups = pickerGroups({ ...base, grouped: false, preferences: { favourites: ['a1'], recents: [], lastDurations: {} } });
    expect(ids(groups).map(([kind]) => kind)).toEqual(['account', 'account', 'account']);
    expect(groups[0]!.roles[0]!.favourite).toBe(true);
  });

  test('a query hides what it does not match, and a group with nothing left', () => {
    const groups = pickerGroups({ ...base, query: 'b1' });
    expect(groups.map((g) => [g.hidden, g.roles.map((r) => r.hidden)])).toEqual([
      [true, [true, true]],
      [false, [false, true]],
      [true, [true]],
    ]);
  });
});

test('timeAgo, in each language', () => {
  expect(timeAgo('en', 30_000)).toBe('less than a minute ago');
  expect(timeAgo('en', 3 * 3600_000)).toBe('3 hours ago');
  expect(timeAgo('en', 26 * 3600_000)).toBe('yesterday');
  // Spaced as the catalogue and the CLI write it (1 分钟前), not as Intl does (5分钟前).
  expect(timeAgo('zh-CN', 5 * 60_000)).toBe('5 分钟前');
  expect(timeAgo('zh-CN', 3 * 24 * 3600_000)).toBe('3 天前');
  expect(timeAgo('zh-CN', 26 * 3600_000)).toBe('昨天');
});
