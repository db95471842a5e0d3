import { issueCredentials, whoami } from '../../../src/cli/client/api.js';
import { bridgeClient } from '../../../src/cli/client/context.js';
import { SERVER, json } from './fake-bridge.js';
import { fakeSetup, loggedIn } from './setup.js';

test('a valid access token is used as is', async () => {
  const { bridge, clock, context } = fakeSetup();
  await loggedIn(context(), bridge, clock);
  await expect(whoami(bridgeClient(context(), SERVER))).resolves.toMatchObject({ me: { email: 'alice@example.com' } });
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
  await expect(whoami(bridgeClient(context(), SERVER))).resolves.toMatchObject({ me: { subject: 'u-1' } });
  expect(bridge.calls).toEqual(['GET /api/whoami', 'POST /oauth/token', 'GET /api/whoami']);
});

test.each([
  // STS found the sign-in proof expired: the CLI session is fine, asking again may work.
  ['ERR_STS_EXPIRED', 'ERR_CLI_SERVER_UNAVAILABLE', 5],
  // A pass-through role needs a fresh IdP token: only a new login helps, but nothing ended.
  ['ERR_NOT_SIGNED_IN', 'ERR_CLI_REAUTH_REQUIRED', 3],
])('a 401 %s without the invalid_token challenge: no refresh, no second call, the session kept', async (serverCode, code, exitCode) => {
  const { bridge, clock, context } = fakeSetup();
  await loggedIn(context(), bridge, clock);
  const before = (await context().sessions.get(SERVER))!;
  bridge.apiScript = [json(401, { error: 'access_denied', error_description: 'Try again.', code: serverCode, request_id: 'req-7' })];
  await expect(issueCredentials(bridgeClient(context(), SERVER), { role: 'dev', durationSeconds: 900 })).rejects.toMatchObject({
    code,
    exitCode,
    serverCode,
    requestId: 'req-7',
  });
  expect(bridge.calls).toEqual(['POST /api/credentials']);
  await expect(context().sessions.get(SERVER)).resolves.toEqual(before);
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
  expect(results.every((r) => r.me.subject === 'u-1')).toBe(true);
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
