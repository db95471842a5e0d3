/**
 * Whether the client directory may be trusted before anything is read from it. Its files decide
 * whose keys `rambridge creds` hands to the aliyun CLI. When $XDG_CONFIG_HOME sits somewhere
 * another local user can write (a shared or sticky tmp, some CI and container setups), that user
 * can create `rambridge/` first and plant sessions and credentials in it. Writes there fail (chmod
 * is refused), but reads would not notice. So the directory must be a directory of this user that
 * nobody else can write to (reached through a symlink only if the link is this user's too).
 *
 * CommonJS and dependency-free like the fast path (cached-creds.cts), which checks with it too.
 */
import { lstatSync, statSync } from 'node:fs';

export type ClientDirProblem =
  | { kind: 'symlink' }
  | { kind: 'not-a-directory' }
  | { kind: 'foreign-owner'; owner: number }
  | { kind: 'writable-by-others'; mode: number };

/** The group and other write bits: either lets someone else add or replace files. */
const WRITABLE_BY_OTHERS = 0o022;

/**
 * What is wrong with `dir`, or undefined when it is safe to read, or absent (the first run creates
 * it 0700). `uid` is the user it must belong to: undefined where there are no POSIX owners
 * (Windows), and then there is nothing to check.
 */
export function clientDirProblem(dir: string, uid: number | undefined): ClientDirProblem | undefined {
  const verdict = inspect(dir, uid);
  return typeof verdict === 'string' ? undefined : verdict;
}

/**
 * Directories found safe in this process. Only a good verdict is remembered: another user cannot
 * change the owner or mode of a directory of ours, whereas an absent one may be created by someone
 * else later in the run.
 */
const trustedDirs = new Set<string>();

/** clientDirProblem for this process's user, checked once per process for a directory that passed. */
export function trustedClientDirProblem(dir: string): ClientDirProblem | undefined {
  if (trustedDirs.has(dir)) return undefined;
  const verdict = inspect(dir, process.getuid?.());
  if (verdict === 'trusted') trustedDirs.add(dir);
  return typeof verdict === 'string' ? undefined : verdict;
}

function inspect(dir: string, uid: number | undefined): ClientDirProblem | 'trusted' | 'absent' | 'unchecked' {
  if (uid === undefined) return 'unchecked';
  let info = lstatOrUndefined(dir);
  if (!info) return 'absent';
  if (info.isSymbolicLink()) {
    // A link of this user's (a dotfile manager's) is followed, and what it points to checked like
    // the directory itself; a link someone else made is not followed at all.
    if (info.uid !== uid) return { kind: 'symlink' };
    info = statOrUndefined(dir);
    if (!info) return { kind: 'not-a-directory' };
  }
  if (!info.isDirectory()) return { kind: 'not-a-directory' };
  if (info.uid !== uid) return { kind: 'foreign-owner', owner: info.uid };
  if ((info.mode & WRITABLE_BY_OTHERS) !== 0) return { kind: 'writable-by-others', mode: info.mode & 0o7777 };
  return 'trusted';
}

function lstatOrUndefined(path: string) {
  return absentAsUndefined(() => lstatSync(path));
}

function statOrUndefined(path: string) {
  return absentAsUndefined(() => statSync(path));
}

function absentAsUndefined<T>(look: () => T): T | undefined {
  try {
    return look();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
