import { deviceLogin } from '../../../src/cli/client/device-login.js';
import { offlineNote, rolesOrCached, whoamiOrCached } from '../../../src/cli/client/offline.js';
import { ROLES } from '../../unit/cli/fixtures.js';
import { json, SERVER } from './fake-bridge.js';
import { fakeSetup, loggedIn } from './setup.js';

async function ready() {
  const setup = fakeSetup();
  setup.bridge.roles = ROLES;
  await loggedIn(setup.context(), setup.bridge, setup.clock);
  return setup;
}

describe('roles while the server is down', () => {
  test('answers from the last listing, saying when it was fetched', async () => {
    const { bridge, clock, context } = await ready();
    const fetchedAt = clock.now();
    await expect(rolesOrCached(context(), SERVER)).resolves.toEqual({ value: ROLES });
    clock.advance(3_600_000);
    bridge.down = true;
    await expect(rolesOrCached(context(), SERVER)).resolves.toEqual({ value: ROLES, cachedAt: fetchedAt });
  });

  test('a server answering 503 counts as down too', async () => {
    const { bridge, context } = await ready();
    await rolesOrCached(context(), SERVER);
    bridge.apiScript = [json(503, { error: 'temporarily_unavailable', code: 'ERR_UNAVAILABLE' })];
    await expect(rolesOrCached(context(), SERVER)).resolves.toMatchObject({ value: ROLES, cachedAt: expect.any(Number) });
  });

  test('nothing remembered: the error as it is (exit 5)', async () => {
    const { bridge, context } = await ready();
    bridge.down = true;
    await expect(rolesOrCached(context(), SERVER)).rejects.toMatchObject({ code: 'ERR_CLI_UNREACHABLE', exitCode: 5 });
  });

  test('a server that refuses is not down: no stale answer', async () => {
    const { bridge, context } = await ready();
    await rolesOrCached(context(), SERVER);
    bridge.apiScript = [json(403, { error: 'access_denied', code: 'ERR_FORBIDDEN' })];
    await expect(rolesOrCached(context(), SERVER)).rejects.toMatchObject({ code: 'ERR_CLI_NOT_ALLOWED' });
  });
});

describe('whoami while the server is down', () => {
  test('answers with what the login (or the last whoami) saw, groups included', async () => {
    const { bridge, clock, context } = fakeSetup();
    const loginAt = clock.now();
    await deviceLogin(context(), SERVER, { stream: { write: () => true }, sleep: async () => undefined });
    bridge.down = true;
    await expect(whoamiOrCached(context(), SERVER)).resolves.toMatchObject({
      value: { email: 'alice@example.com', groups: ['dev'] },
      cachedAt: loginAt,
    });
  });

  test('online, it answers from the server and remembers that answer', async () => {
    const { bridge, clock, context } = await ready();
    await expect(whoamiOrCached(context(), SERVER)).resolves.toEqual({
      value: expect.objectContaining({ subject: 'u-1' }),
      sessionEndsAt: expect.any(Number),
    });
    const seenAt = clock.now();
    clock.advance(60_000);
    bridge.down = true;
    await expect(whoamiOrCached(context(), SERVER)).resolves.toMatchObject({ cachedAt: seenAt });
  });
});

test('with the local clock 2 h slow, the session ends when the server’s time left says, online and from the cache', async () => {
  const { bridge, clock, context } = await ready();
  bridge.now = () => Date.parse('2029-12-31T22:00:00Z'); // the session has 2 h left by the server's clock
  clock.set(Date.parse('2029-12-31T20:00:00Z'));
  const online = await whoamiOrCached(context(), SERVER);
  expect(online.sessionEndsAt).toBe(Date.parse('2029-12-31T22:00:00Z'));
  clock.advance(30 * 60_000);
  bridge.down = true;
  const offline = await whoamiOrCached(context(), SERVER);
  expect(offline).toMatchObject({ cachedAt: Date.parse('2029-12-31T20:00:00Z'), sessionEndsAt: Date.parse('2029-12-31T22:00:00Z') });
});

test('the note names the local date and minute of the cached answer', () => {
  expect(offlineNote(new Date(2026, 11, 3, 10, 12, 59).getTime())).toBe('(offline: from cache, 2026-12-03 10:12)');
});
