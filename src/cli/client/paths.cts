import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the client keeps its files. Every path derives from the environment, so tests point
 * HOME / XDG_CONFIG_HOME at a temporary directory and never touch the real ones. */
export interface ClientPaths {
  /** `~/.config/rambridge` (or `$XDG_CONFIG_HOME/rambridge`): created 0700. */
  dir: string;
  /** Non-secret settings: the default server. */
  settings: string;
  /** Access and refresh tokens, per server. */
  sessions: string;
  /** STS credentials, per server + user + role + duration. */
  credentials: string;
  /** The role catalogue last seen, favourites and recents, per server. */
  roles: string;
  /** Serialises token refreshes across concurrent processes. */
  refreshLock: string;
  /** Serialises credential fetches, so parallel cache misses cost one STS call. */
  credentialsLock: string;
  /** Serialises changes to `roles`: each rewrites the whole file (a favourite, a use, the catalogue). */
  rolesLock: string;
  /** The Alibaba Cloud CLI's `~/.aliyun/config.json`. */
  aliyunConfig: string;
  /** Serialises rambridge's changes to `aliyunConfig` (here: this directory is ours and 0700). */
  aliyunConfigLock: string;
}

export function clientPaths(env: NodeJS.ProcessEnv): ClientPaths {
  const home = env.HOME || homedir();
  // XDG says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME?.startsWith('/') ? env.XDG_CONFIG_HOME : join(home, '.config');
  const dir = join(xdg, 'rambridge');
  return {
    dir,
    settings: join(dir, 'config.json'),
    sessions: join(dir, 'sessions.json'),
    credentials: join(dir, 'credentials.json'),
    roles: join(dir, 'roles.json'),
    refreshLock: join(dir, 'refresh.lock'),
    credentialsLock: join(dir, 'credentials.lock'),
    rolesLock: join(dir, 'roles.lock'),
    aliyunConfig: join(home, '.aliyun', 'config.json'),
    aliyunConfigLock: join(dir, 'aliyun-config.lock'),
  };
}
