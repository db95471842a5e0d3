import { ManualClock } from '../../../src/clock.js';
import { RoleMapper } from '../../../src/mapping/index.js';
import { RolePreferences } from '../../../src/preferences/index.js';
import { MemoryStore } from '../../../src/store/index.js';
import { rolePreferencesFor, setFavourite } from '../../../src/web/role-preferences.js';
import { demoConfig } from '../../helpers/config.js';

/** What the picker gets: only current roles, ISO times, and durations the roles still allow. */
const ALICE = {
  idp: 'demo',
  issuer: 'https://idp.example.com',
  subject: 'alice',
  groups: ['rambridge-dev', 'rambridge-ops'],
  amr: ['pwd'],
};

async function setup() {
  const config = await demoConfig();
  const clock = new ManualClock(Date.UTC(2026, 11, 3, 12, 0, 0, 250));
  const store = new MemoryStore(clock);
  const deps = { config, clock, store };
  const choices = new RoleMapper(config.roles, config.grants).rolesFor(ALICE);
  return { deps, choices, prefs: new RolePreferences({ store, clock }) };
}

test('recents with ISO times to the second, favourites in starring order, durations within today’s maximum', async () => {
  const { deps, choices, prefs } = await setup();
  await prefs.recordUse(ALICE, 'dev-admin', 14400);
  await prefs.recordUse(ALICE, 'dev-readonly', 7200);
  await setFavourite(deps, ALICE, choices, 'prod-ops', true);
  await setFavourite(deps, ALICE, choices, 'dev-admin');
  expect(await rolePreferencesFor(deps, ALICE, choices)).toEqual({
    favourites: ['prod-ops', 'dev-admin'],
    recents: [
      { roleId: 'dev-readonly', usedAt: '2026-12-03T12:00:00Z' },
      { roleId: 'dev-admin', usedAt: '2026-12-03T12:00:00Z' },
    ],
    lastDurations: { 'dev-admin': 14400, 'dev-readonly': 7200 },
  });

  // The administrator lowers dev-admin's maximum: the remembered 4 h is no longer offered.
  deps.config.roles.find((r) => r.id === 'dev-admin')!.maxSessionDuration = 3600;
  expect((await rolePreferencesFor(deps, ALICE, choices)).lastDurations).toEqual({ 'dev-readonly': 7200 });
});

test('a role whose id is an Object property name (`constructor`) has no last duration until it is used', async () => {
  const { deps, prefs } = await setup();
  const role = { ...deps.config.roles[0]!, id: 'constructor' };
  deps.config.roles.push(role);
  const choices = [{ role, reasons: [] }];
  expect((await rolePreferencesFor(deps, ALICE, choices)).lastDurations.constructor).toBeUndefined();
  await prefs.recordUse(ALICE, 'constructor', 900);
  expect((await rolePreferencesFor(deps, ALICE, choices)).lastDurations.constructor).toBe(900);
});

test('setFavourite toggles without a value, and refuses a role not held', async () => {
  const { deps, choices } = await setup();
  expect(await setFavourite(deps, ALICE, choices, 'dev-admin')).toBe(true);
  expect(await setFavourite(deps, ALICE, choices, 'dev-admin')).toBe(false);
  await expect(setFavourite(deps, ALICE, choices, 'not-mine', true)).rejects.toMatchObject({ code: 'ERR_ROLE_NOT_GRANTED' });
  const reader = { ...ALICE, groups: ['rambridge-readonly'] };
  const readerChoices = new RoleMapper(deps.config.roles, deps.config.grants).rolesFor(reader);
  await expect(setFavourite(deps, reader, readerChoices, 'prod-ops', true)).rejects.toMatchObject({ code: 'ERR_ROLE_NOT_GRANTED' });
});
