import { matchRoles } from '../../../src/wire/role-match.js';

const role = (id: string, account: string, accountId = '1111222233334444') => ({
  id,
  arn: `acs:ram::${accountId}:role/rambridge-${id}`,
  accountName: account,
  accountId,
});
const ROLES = [role('dev-admin', 'Development'), role('dev-readonly', 'Development'), role('prod-ops', 'Production', '5555666677778888')];

test('each rule says how it matched: id, then alias, then fuzzy, then none', () => {
  expect(matchRoles(ROLES, 'DEV-ADMIN')).toEqual({ by: 'id', matches: [ROLES[0]] });
  expect(matchRoles(ROLES, 'rambridge-prod-ops')).toEqual({ by: 'alias', matches: [ROLES[2]] });
  expect(matchRoles(ROLES, 'ops')).toEqual({ by: 'alias', matches: [ROLES[2]] });
  expect(matchRoles(ROLES, 'prd ops')).toEqual({ by: 'fuzzy', matches: [ROLES[2]] });
  expect(matchRoles(ROLES, 'nothing-like-it')).toEqual({ by: 'none', matches: [] });
});

test('an ambiguous query returns every candidate, best first, never one by luck', () => {
  const { by, matches } = matchRoles(ROLES, 'dev');
  expect(by).toBe('fuzzy');
  expect(matches.map((r) => r.id)).toEqual(['dev-admin', 'dev-readonly']);
});
