import { CliError } from '../../../src/cli/client/errors.js';
import { resolveRole } from '../../../src/cli/client/resolve-role.js';
import { useLanguage } from '../../../src/cli/i18n/index.js';
import { ROLES, role } from './fixtures.js';

function failure(query: string, roles = ROLES): CliError {
  try {
    resolveRole(roles, query);
  } catch (err) {
    return err as CliError;
  }
  throw new Error(`"${query}" resolved`);
}

test('the exact id wins, case-insensitively, even when it is also a fuzzy match for others', () => {
  expect(resolveRole(ROLES, 'dev-admin').id).toBe('dev-admin');
  expect(resolveRole(ROLES, 'DEV-READONLY').id).toBe('dev-readonly');
  // An id that is also the alias of another role still means its own role.
  const tricky = [role('admin', 'Development'), role('dev-admin', 'Development')];
  expect(resolveRole(tricky, 'admin').id).toBe('admin');
});

test('aliases: the RAM role name, the ARN, the id without its account prefix', () => {
  expect(resolveRole(ROLES, 'rambridge-prod-ops').id).toBe('prod-ops');
  expect(resolveRole(ROLES, 'acs:ram::5555666677778888:role/rambridge-prod-readonly').id).toBe('prod-readonly');
  expect(resolveRole(ROLES, 'admin').id).toBe('dev-admin');
  expect(resolveRole(ROLES, 'ops').id).toBe('prod-ops');
});

test('an alias shared by several roles is ambiguous, listing them', () => {
  const err = failure('readonly');
  expect(err.code).toBe('ERR_CLI_ROLE_AMBIGUOUS');
  expect(err.exitCode).toBe(2);
  expect(err.message).toBe('"readonly" matches 2 roles: dev-readonly (Development), prod-readonly (Production).');
});

test('a unique fuzzy match resolves; several are ambiguous, best first', () => {
  expect(resolveRole(ROLES, 'dadm').id).toBe('dev-admin');
  expect(resolveRole(ROLES, 'prod read').id).toBe('prod-readonly');
  const err = failure('dev');
  expect(err.code).toBe('ERR_CLI_ROLE_AMBIGUOUS');
  expect(err.message).toContain('dev-admin (Development), dev-readonly (Development)');
});

test('nothing matches: not allowed (exit 4), with a hint', () => {
  const err = failure('billing');
  expect(err.code).toBe('ERR_CLI_ROLE_UNKNOWN');
  expect(err.exitCode).toBe(4);
  expect(err.message).toBe('None of your 4 roles matches "billing".');
  expect(err.hint).toContain('rambridge roles');
});

test('in zh-CN the candidates are listed with 、 and full-width brackets', () => {
  useLanguage('zh-CN');
  try {
    expect(failure('readonly').message).toBe('“readonly”匹配 2 个角色：dev-readonly（Development）、prod-readonly（Production）。');
  } finally {
    useLanguage('en');
  }
});

test('many candidates are cut to a readable list', () => {
  const many = Array.from({ length: 12 }, (_, i) => role(`team-${i}`, 'Development'));
  expect(failure('team', many).message).toMatch(/team-7 \(Development\), and 4 more\.$/);
});

test('no roles at all is said as such, like `rambridge roles` says it, not as "none of your 0 roles matches"', () => {
  const err = failure('dev-readonly', []);
  expect({ code: err.code, message: err.message, hint: err.hint }).toEqual({
    code: 'ERR_CLI_NOT_ALLOWED',
    message: 'You have no roles on this server.',
    hint: 'Ask your administrator which IdP groups grant roles (rambridge whoami shows yours).',
  });
});
