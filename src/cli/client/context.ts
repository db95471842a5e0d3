import { systemClock, type Clock } from '../../clock.js';
import { BridgeClient } from './bridge-client.js';
import { CredentialCache } from './credential-cache.js';
import type { FetchLike } from './http.js';
import { clientPaths, type ClientPaths } from './paths.cjs';
import { RoleBook } from './role-book.js';
import { chooseServer } from './server-url.js';
import { SessionStore } from './sessions.js';
import { settingsFile, type Settings } from './settings.js';
import type { PrivateJsonFile } from './secure-file.js';

/** Everything a client command works with, built once per command from the environment. Tests
 * build one around a temporary HOME, a fake fetch or a frozen clock. */
export interface ClientContext {
  env: NodeJS.ProcessEnv;
  paths: ClientPaths;
  clock: Clock;
  fetch: FetchLike;
  settings: PrivateJsonFile<Settings>;
  sessions: SessionStore;
  cache: CredentialCache;
  roleBook: RoleBook;
}

export function createContext(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<Pick<ClientContext, 'clock' | 'fetch'>> = {},
): ClientContext {
  const paths = clientPaths(env);
  const clock = overrides.clock ?? systemClock;
  return {
    env,
    paths,
    clock,
    fetch: overrides.fetch ?? ((input, init) => fetch(input, init)),
    settings: settingsFile(paths),
    sessions: new SessionStore(paths),
    cache: new CredentialCache(paths, clock),
    roleBook: new RoleBook(paths),
  };
}

/** The server for this command: `--server`, then RAMBRIDGE_SERVER, then the last login's. */
export async function serverFor(ctx: ClientContext, flag: string | undefined): Promise<string> {
  return chooseServer(flag, ctx.env, (await ctx.settings.read())?.server);
}

export function bridgeClient(ctx: ClientContext, server: string): BridgeClient {
  return new BridgeClient(server, { fetch: ctx.fetch, sessions: ctx.sessions, clock: ctx.clock });
}
