import { listRoles, renderRoles } from '../../../src/cli/client/roles-view.js';
import { useLanguage } from '../../../src/cli/i18n/index.js';
import { ROLES } from './fixtures.js';

const now = Date.parse('2026-01-01T12:00:00Z');

test('favourites first, then recents (most recent first), then the server order', () => {
  const listed = listRoles(ROLES, {
    favourites: ['prod-readonly'],
    recents: [
      { role: 'dev-readonly', usedAt: now - 60_000 },
      { role: 'prod-ops', usedAt: now - 3600_000 },
    ],
  });
  expect(listed.map((r) => r.id)).toEqual(['prod-readonly', 'dev-readonly', 'prod-ops', 'dev-admin']);
  expect(listed[0]).toMatchObject({ favourite: true, lastUsedAt: undefined });
});

test('a fuzzy filter over id, role name, account and description', () => {
  const none = { favourites: [], recents: [] };
  expect(listRoles(ROLES, none, 'production').map((r) => r.id)).toEqual(['prod-ops', 'prod-readonly']);
  expect(listRoles(ROLES, none, 'prd ops').map((r) => r.id)).toEqual(['prod-ops']);
  expect(listRoles(ROLES, none, '5555').map((r) => r.id)).toEqual(['prod-ops', 'prod-readonly']);
  expect(listRoles(ROLES, none, 'full access').map((r) => r.id)).toEqual(['dev-admin']);
  expect(listRoles(ROLES, none, 'billing')).toEqual([]);
});

test('rendered grouped by account, with favourite and recent marks', () => {
  const out = renderRoles(listRoles(ROLES, { favourites: ['dev-admin'], recents: [{ role: 'prod-ops', usedAt: now - 5 * 60_000 }] }), now);
  expect(out.split('\n').slice(0, 8)).toEqual([
    'Development  1111222233334444',
    '  ★ dev-admin      Full access to the development account.  (up to 4 h)',
    '    dev-readonly   Read-only access to ECS and OSS in development.  (up to 12 h)',
    '',
    'Production  5555666677778888',
    '    prod-ops       Operate ECS and OSS in production.  (up to 1 h, elevated: needs --justification, used 5 min ago)',
    '    prod-readonly  Read-only access to ECS and OSS in production.  (up to 12 h)',
    '',
  ]);
});

test("a server that keeps favourites decides them; last use is the later of the server's and this machine's", () => {
  const fromServer = ROLES.map((r) => ({
    ...r,
    favourite: r.id === 'prod-ops',
    lastUsedAt: r.id === 'dev-admin' ? '2026-01-01T11:00:00Z' : r.id === 'dev-readonly' ? '2026-01-01T11:59:00Z' : undefined,
  }));
  // This machine starred dev-admin (an older server's way) and used dev-admin a minute ago from the cache.
  const listed = listRoles(fromServer, { favourites: ['dev-admin'], recents: [{ role: 'dev-admin', usedAt: now - 30_000 }] });
  expect(listed.map((r) => [r.id, r.favourite, r.lastUsedAt])).toEqual([
    ['prod-ops', true, undefined],
    ['dev-admin', false, now - 30_000],
    ['dev-readonly', false, now - 60_000],
    ['prod-readonly', false, undefined],
  ]);
});

test('in zh-CN the notes are Chinese too, lengths in Chinese, in full-width brackets, the flag as typed', () => {
  useLanguage('zh-CN');
  try {
    const out = renderRoles(listRoles(ROLES, { favourites: [], recents: [{ role: 'prod-ops', usedAt: now - 5 * 60_000 }] }), now);
    expect(out).toContain(
      '    prod-ops       Operate ECS and OSS in production.  （最长 1 小时，高权限角色：需要 --justification，5 分钟前使用过）',
    );
    expect(out).not.toMatch(/up to|used .* ago/);
  } finally {
    useLanguage('en');
  }
});

describe('what the CLI session can get now (maxDurationNow)', () => {
  const near = ROLES.map((r) => ({ ...r, maxDurationNow: Math.min(r.maxSessionDuration, 2340) }));
  const none = { favourites: [], recents: [] };

  test('shown beside the maximum when less, with when the session ends; not when the role’s maximum fits', () => {
    const lines = renderRoles(listRoles(near, none), now).split('\n');
    expect(lines[1]).toBe('    dev-admin      Full access to the development account.  (up to 4 h, 39 min now: session ends in 40 min)');
    expect(lines[5]).toBe(
      '    prod-ops       Operate ECS and OSS in production.  (up to 1 h, 39 min now: session ends in 40 min, elevated: needs --justification)',
    );
    const enough = ROLES.map((r) => ({ ...r, maxDurationNow: r.maxSessionDuration }));
    expect(renderRoles(listRoles(enough, none), now)).toBe(renderRoles(listRoles(ROLES, none), now));
  });

  test('0: none now, and how soon the session ends', () => {
    const out = renderRoles(
      listRoles(
        ROLES.map((r) => ({ ...r, maxDurationNow: 0 })),
        none,
      ),
      now,
    );
    expect(out).toContain('(up to 12 h, none now: session ends in under 16 min)');
  });

  test('in zh-CN', () => {
    useLanguage('zh-CN');
    try {
      expect(renderRoles(listRoles(near, none), now)).toContain('（最长 12 小时，当前 39 分钟：会话将在 40 分钟后结束）');
      expect(
        renderRoles(
          listRoles(
            ROLES.map((r) => ({ ...r, maxDurationNow: 0 })),
            none,
          ),
          now,
        ),
      ).toContain('（最长 12 小时，当前无法签发：会话将在 16 分钟内结束）');
    } finally {
      useLanguage('en');
    }
  });
});
