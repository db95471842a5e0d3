import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../src/clock.js';
import { createContext, type ClientContext } from '../../../src/cli/client/context.js';
import { FakeBridge, SERVER } from './fake-bridge.js';

/** A client context in a fresh temporary HOME, talking to a fake bridge. */
export function fakeSetup(): { bridge: FakeBridge; clock: ManualClock; home: string; context: () => ClientContext } {
  const bridge = new FakeBridge();
  const clock = new ManualClock(Date.now());
  const home = mkdtempSync(join(tmpdir(), 'rambridge-client-'));
  // Each call is a separate "process" sharing the same files, like two shells of one user.
  const context = () => createContext({ HOME: home }, { fetch: bridge.fetch, clock });
  return { bridge, clock, home, context };
}

/** Stores a session as `rambridge login` would leave it. */
export async function loggedIn(ctx: ClientContext, bridge: FakeBridge, clock: ManualClock): Promise<void> {
  const { accessToken, refreshToken } = bridge.login();
  await ctx.sessions.put(SERVER, {
    tokenEndpoint: `${SERVER}/oauth/token`,
    revocationEndpoint: `${SERVER}/oauth/revoke`,
    accessToken,
    accessTokenExpiresAt: clock.now() + 600_000,
    refreshToken,
    user: { idp: 'okta', subject: 'u-1', email: 'alice@example.com' },
  });
}
