import { whoami } from '../../../src/cli/client/api.js';
import { bridgeClient } from '../../../src/cli/client/context.js';
import { SERVER } from './fake-bridge.js';
import { fakeSetup, loggedIn } from './setup.js';

test('a valid access token is used as is', async () => {
  const { bridge, clock, context } = fakeSetup();
  await loggedIn(context(), bridge, clock);
  await expect(whoami(bridgeClient(context(), SERVER))).resolves.toMatchObject({ email: 'alice@example.com' });
  expect(bridge.count('POST /oauth/token')).toBe(0);
});

test('an access token about to expire is refreshed first, and the rotated pair stored', async () => {
  const { bridge, clock, context } = fakeSetup();
  await loggedIn(context(), bridge, clock);
  const before = (await context().sessions.get(SERVER))!;
  clock.advance(600_000 - 30_000);
  await whoami(bridgeClient(context(), SERVER));
  const after = (await context().sessions.get(SERVER))!;
  expect(bridge.calls).toEqual(['POST /oauth/token', 'GET /api/whoami']);
  expect(after.refreshToken).not.toBe(before.refreshToken);
  expect(after.accessTokenExpiresAt).toBe(clock.now() + 600_000);
});

test('a 401 to a token that looked valid: one refresh, one retry', async () => {
  const { bridge, clock, context } = fakeSetup();
  await loggedIn(context(), bridge, clock);
  bridge.rejectAccessTokens = true;
  await expect(whoami(bridgeClient(context(), SERVER))).resolves.toMatchObject({ subject: 'u-1' });
  expect(bridge.calls).toEqual(['GET /api/whoami', 'POST /oauth/token', 'GET /api/whoami']);
});

test('a refresh token the server no longer accepts: session ended (exit 3), local tokens deleted', async () => {
  const { bridge, clock, context } = fakeSetup();
  await loggedIn(context(), bridge, clock);
  const stale = (await context().sessions.get(SERVER))!;
  clock.advance(600_000);
  await whoami(bridgeClient(context(), SERVER));
  // Someone puts back the old tokens (a restored backup): reusing a rotated token ends the session.
  await context().sessions.put(SERVER, stale);
  await expect(whoami(bridgeClient(context(), SERVER))).rejects.toMatchObject({
    code: 'ERR_CLI_SESSION_ENDED',
    exitCode: 3,
    hint: `Run: rambridge login --server ${SERVER}`,
  });
  await expect(context().sessions.get(SERVER)).resolves.toBeUndefined();
});

test('concurrent processes with an expired token refresh once, and all succeed', async () => {
  const { bridge, clock, context } = fakeSetup();
  await loggedIn(context(), bridge, clock);
  clock.advance(600_000);
  // Five separate clients (as five `rambridge creds` started together by a tool) share the files.
  const results = await Promise.all(Array.from({ length: 5 }, () => whoami(bridgeClient(context(), SERVER))));
  expect(results.every((r) => r.subject === 'u-1')).toBe(true);
  expect(bridge.count('POST /oauth/token')).toBe(1);
});

test('not logged in: exit 3 with the login command to run', async () => {
  const { context } = fakeSetup();
  await expect(whoami(bridgeClient(context(), SERVER))).rejects.toMatchObject({
    code: 'ERR_CLI_NOT_LOGGED_IN',
    exitCode: 3,
    hint: `Run: rambridge login --server ${SERVER}`,
  });
});
