import { obtainCredentials } from '../../../src/cli/client/credential-source.js';
import { changeFavourite } from '../../../src/cli/client/favourites.js';
import { rolesOrCached } from '../../../src/cli/client/offline.js';
import { listRoles } from '../../../src/cli/client/roles-view.js';
import { ROLES } from '../../unit/cli/fixtures.js';
import { SERVER } from './fake-bridge.js';
import { fakeSetup, loggedIn } from './setup.js';

/** Favourites and last durations: the server's when it keeps them (shared with the web), this machine's otherwise. */
async function ready(keepsPreferences: boolean) {
  const setup = fakeSetup();
  setup.bridge.roles = ROLES;
  if (keepsPreferences) setup.bridge.preferences = { favourites: new Set(), lastDurations: new Map() };
  await loggedIn(setup.context(), setup.bridge, setup.clock);
  return setup;
}

const USER = 'okta/u-1';
const role = (id: string) => ROLES.find((r) => r.id === id)!;

test('a server that keeps favourites is told; the listing follows the server, not this machine', async () => {
  const { bridge, context } = await ready(true);
  const ctx = context();
  const { value: roles } = await rolesOrCached(ctx, SERVER);
  expect(await changeFavourite(ctx, SERVER, USER, roles, role('prod-readonly'), true)).toEqual({ favourite: true, shared: true });
  expect([...bridge.preferences!.favourites]).toEqual(['prod-readonly']);
  expect((await ctx.roleBook.get(SERVER)).favourites).toEqual([]);

  // Starred on the web (the server says so): listed first here too.
  bridge.preferences!.favourites.add('dev-readonly');
  const { value: fresh } = await rolesOrCached(context(), SERVER);
  expect(listRoles(fresh, await ctx.roleBook.get(SERVER)).map((r) => [r.id, r.favourite])).toEqual([
    ['dev-readonly', true],
    ['prod-readonly', true],
    ['dev-admin', false],
    ['prod-ops', false],
  ]);

  // A toggle reads the server's state: prod-readonly is starred, so it is unstarred.
  expect(
    await changeFavourite(
      context(),
      SERVER,
      USER,
      fresh,
      fresh.find((r) => r.id === 'prod-readonly')!,
    ),
  ).toEqual({
    favourite: false,
    shared: true,
  });
  expect([...bridge.preferences!.favourites]).toEqual(['dev-readonly']);
});

test('an older server: favourites stay on this machine, as before', async () => {
  const { bridge, context } = await ready(false);
  const ctx = context();
  const { value: roles } = await rolesOrCached(ctx, SERVER);
  expect(await changeFavourite(ctx, SERVER, USER, roles, role('prod-ops'))).toEqual({ favourite: true, shared: false });
  expect((await ctx.roleBook.get(SERVER)).favourites).toEqual(['prod-ops']);
  expect(bridge.count('POST /api/favourites')).toBe(0);
  expect(listRoles(roles, await ctx.roleBook.get(SERVER))[0]).toMatchObject({ id: 'prod-ops', favourite: true });
  expect(await changeFavourite(context(), SERVER, USER, roles, role('prod-ops'))).toEqual({ favourite: false, shared: false });
});

test('without --duration: the last duration the server remembers, if the role still allows it', async () => {
  const { bridge, context } = await ready(true);
  bridge.preferences!.lastDurations.set('dev-readonly', 7200);
  // prod-ops allows 1h now: a remembered 2h is not used.
  bridge.preferences!.lastDurations.set('prod-ops', 7200);
  await expect(obtainCredentials(context(), { server: SERVER, role: 'dev-readonly' })).resolves.toMatchObject({ durationSeconds: 7200 });
  await expect(obtainCredentials(context(), { server: SERVER, role: 'prod-ops' })).resolves.toMatchObject({ durationSeconds: 3600 });
  // --duration always wins; nothing remembered: one hour.
  await expect(obtainCredentials(context(), { server: SERVER, role: 'dev-readonly', durationSeconds: 900 })).resolves.toMatchObject({
    durationSeconds: 900,
  });
  await expect(obtainCredentials(context(), { server: SERVER, role: 'prod-readonly' })).resolves.toMatchObject({ durationSeconds: 3600 });
});
