/**
 * The fast path of `rambridge creds ROLE --format process`: the aliyun CLI runs it before every
 * command (External profiles, see configure-aliyun.ts), so a cache hit must cost little more than
 * starting Node. It reads the client's files directly and loads nothing but the duration notation
 * and the client directory and file checks (and, for a server URL it must normalise, that module): no
 * commander, no HTTP client, no SDK.
 *
 * It answers only when it can answer exactly as the full command would: `--format process`, the
 * role given by its id, credentials in the cache with more than the refresh margin left. Anything
 * else (a miss, another option, a fuzzy role name, a file it cannot read, a client directory or
 * file that is not safely this user's) returns false having printed nothing, and bin/rambridge.js runs the
 * full CLI, which decides and reports.
 *
 * The file layouts are those of settings.ts, sessions.ts, role-book.ts and credential-cache.ts;
 * test/unit/cli/cached-creds.test.ts writes them with those classes and reads them back here.
 */
import { readFileSync, writeSync } from 'node:fs';
import { ownClientDirProblem, ownClientFileProblem } from './client/client-dir.cjs';
import { clientPaths, type ClientPaths } from './client/paths.cjs';
import { defaultDuration, durationSeconds as parseDurationSyntax, withinStsLimits } from './client/duration-syntax.cjs';

/**
 * credential-cache.ts REFRESH_MARGIN_MS, repeated so this path does not load that module (and,
 * through it, node:crypto); test/unit/cli/cached-creds.test.ts checks the two are equal.
 */
export const CACHED_REFRESH_MARGIN_MS = 5 * 60_000;
/** Recents keep the order of use; a use within this long of the last one of the same role is not rewritten. */
const RECENT_USE_RESOLUTION_MS = 60_000;

interface FastRequest {
  role: string;
  server?: string;
  duration?: string;
}

/** `creds ROLE --format process` with at most --server and --duration/-d; else undefined. */
export function parseFastArgs(args: readonly string[]): FastRequest | undefined {
  if (args[0] !== 'creds') return undefined;
  const seen: Record<string, string> = {};
  const names: Record<string, string> = {
    '--format': 'format',
    '-F': 'format',
    '--server': 'server',
    '--duration': 'duration',
    '-d': 'duration',
  };
  let role: string | undefined;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = names[eq > 0 ? arg.slice(0, eq) : arg];
    if (name) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || name in seen) return undefined;
      seen[name] = value;
    } else if (!arg.startsWith('-') && role === undefined) {
      role = arg;
    } else {
      return undefined;
    }
  }
  if (role === undefined || seen.format !== 'process') return undefined;
  return { role, server: seen.server, duration: seen.duration };
}

interface Credentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: string;
}
interface Role {
  id: string;
  maxSessionDuration: number;
  elevated?: boolean;
  /** What the server remembers as this user's last duration for the role (src/wire/api.ts). */
  lastDuration?: number;
}
interface ServerRoles {
  catalogue?: { user: string; roles: Role[] };
  recents?: { role: string; usedAt: number }[];
}

/**
 * Prints cached credentials and returns true, or returns false having printed nothing. Printing
 * comes after every check, outside them: a failed write is an error of its own, never a reason to
 * run the full command and print a second time.
 */
export async function answerFromCache(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  now = Date.now(),
  print: (text: string) => void = printToStdout,
): Promise<boolean> {
  let answer: string | undefined;
  try {
    answer = await cachedAnswer(args, env, now);
  } catch {
    return false; // the full command meets the same problem and reports it properly
  }
  if (answer === undefined) return false;
  print(answer);
  return true;
}

/** What `creds --format process` would print, when the cache can answer exactly as the full command would. */
async function cachedAnswer(args: readonly string[], env: NodeJS.ProcessEnv, now: number): Promise<string | undefined> {
  const request = parseFastArgs(args);
  if (!request) return undefined;
  const paths = clientPaths(env);
  // A directory another user could have filled is the full command's to refuse and explain.
  if (ownClientDirProblem(paths.dir)) return undefined;
  const settings = readJson<{ server?: string }>(paths.settings);
  const sessions = readJson<{ sessions?: Record<string, { user: { idp: string; subject: string } }> }>(paths.sessions);
  const book = readJson<{ servers?: Record<string, ServerRoles> }>(paths.roles);
  const cache = readJson<{ entries?: Record<string, { credentials: Credentials; localExpiresAt?: number }> }>(paths.credentials);
  const server = await serverFor(request.server ?? env.RAMBRIDGE_SERVER ?? settings?.server, sessions?.sessions ?? {});
  const sessionUser = server === undefined ? undefined : sessions?.sessions?.[server]?.user;
  if (server === undefined || !sessionUser) return undefined;
  const user = `${sessionUser.idp}/${sessionUser.subject}`;
  const serverRoles = book?.servers?.[server];
  if (serverRoles?.catalogue?.user !== user) return undefined;
  const wanted = request.role.trim().toLowerCase();
  const role = serverRoles.catalogue.roles.find((r) => r.id.toLowerCase() === wanted);
  // An elevated role is never cached (credential-source.ts): the full command asks for a justification.
  if (!role || role.elevated) return undefined;
  // A --duration the full command would refuse is left to it, to say why.
  const durationSeconds = request.duration === undefined ? defaultDuration(role) : stsDuration(request.duration);
  if (durationSeconds === undefined || durationSeconds > role.maxSessionDuration) return undefined;
  const entry = cache?.entries?.[JSON.stringify([server, user, role.id, durationSeconds])];
  // By the earlier of its expiry by this machine's clock and the server's `expiration` (credential-cache.ts isUsable).
  const expiration = Date.parse(entry?.credentials.expiration ?? '');
  const expiresAt = typeof entry?.localExpiresAt === 'number' ? Math.min(entry.localExpiresAt, expiration) : expiration;
  if (!entry || !(expiresAt - now > CACHED_REFRESH_MARGIN_MS)) return undefined;
  const { credentials } = entry;
  const last = serverRoles.recents?.[0];
  // The full command records every use (role-book.ts recordUse); so does this one, unless the
  // role is already the most recent, used within the last minute: then the file would not change
  // but for the timestamp, and the aliyun CLI calls this for every command.
  if (!(last?.role === role.id && now - last.usedAt < RECENT_USE_RESOLUTION_MS)) await recordUse(paths, server, role.id, now);
  return processFormat(credentials, expiresAt);
}

/** A `--duration` in seconds, when it is the notation and within STS's limits (as duration.ts parseDuration checks). */
function stsDuration(input: string): number | undefined {
  const seconds = parseDurationSyntax(input);
  return seconds !== undefined && withinStsLimits(seconds) ? seconds : undefined;
}

/**
 * The server a command means (server-url.ts chooseServer). Sessions are stored under the URL as
 * login normalised and checked it, so a value that already names a stored session needs nothing
 * more; anything else goes through the full normalisation and its checks.
 */
async function serverFor(chosen: string | undefined, sessions: Record<string, unknown>): Promise<string | undefined> {
  if (chosen === undefined) return undefined;
  if (Object.hasOwn(sessions, chosen)) return chosen;
  const { normalizeServerUrl } = await import('./client/server-url.js');
  return normalizeServerUrl(chosen);
}

/** formats.ts formatProcess, second precision included: `expiration` is `expiresAt`, as `expiresLocally` gives it. */
function processFormat(c: Credentials, expiresAt: number): string {
  return `${JSON.stringify({
    mode: 'StsToken',
    access_key_id: c.accessKeyId,
    access_key_secret: c.accessKeySecret,
    sts_token: c.securityToken,
    expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  })}\n`;
}

/**
 * Writes to file descriptor 1 directly: creating `process.stdout` (a stream over the pipe the
 * aliyun CLI reads) costs about 3 ms, a sixth of starting Node. A write may be partial, so loop.
 */
function printToStdout(text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length;) offset += writeSync(1, bytes, offset);
}

/** Small files read synchronously: a one-shot command has nothing else to do meanwhile. */
function readJson<T>(path: string): T | undefined {
  // A file another user made or could write is the full command's to refuse and explain.
  if (ownClientFileProblem(path)) throw new Error(`${path} is not safely this user's`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The rare write goes through the client's own role book (atomic, 0600). */
async function recordUse(paths: ClientPaths, server: string, role: string, at: number): Promise<void> {
  const { RoleBook } = await import('./client/role-book.js');
  await new RoleBook(paths).recordUse(server, role, at);
}
