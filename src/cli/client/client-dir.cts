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
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

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
 * clientDirProblem for this process's user, asked before every read: nothing is remembered, since
 * whoever can write the parent can rename a checked directory away and put their own in its place
 * (a long-lived `credential-server` would read it unchecked). One or two `lstat` calls a read.
 */
export function ownClientDirProblem(dir: string): ClientDirProblem | undefined {
  return clientDirProblem(dir, process.getuid?.());
}

export type ClientFileProblem = { kind: 'foreign-owner'; owner: number } | { kind: 'writable-by-others'; mode: number };

/**
 * What is wrong with a file of the client directory, or undefined when it is safe to read, or
 * absent. The directory's check is not enough: one that was writable by others at some time may
 * hold their files still after a `chmod 700`. The file must be this user's and writable by no one
 * else; a symlink must be this user's (a dotfile manager's), and then so must what it points to.
 * One `lstat` a read (a second for a symlink). `uid` as in clientDirProblem.
 */
export function clientFileProblem(path: string, uid: number | undefined): ClientFileProblem | undefined {
  if (uid === undefined) return undefined;
  let info = lstatOrUndefined(path);
  if (info?.isSymbolicLink() && info.uid === uid) info = statOrUndefined(path);
  if (!info) return undefined;
  if (info.uid !== uid) return { kind: 'foreign-owner', owner: info.uid };
  if ((info.mode & WRITABLE_BY_OTHERS) !== 0) return { kind: 'writable-by-others', mode: info.mode & 0o7777 };
  return undefined;
}

/** clientFileProblem for this process's user, asked before every read of the file. */
export function ownClientFileProblem(path: string): ClientFileProblem | undefined {
  return clientFileProblem(path, process.getuid?.());
}

/** Symlinks followed at most, as the kernel's own limit is about this order (ELOOP). */
const MAX_LINKS = 8;

function inspect(dir: string, uid: number | undefined): ClientDirProblem | 'trusted' | 'absent' | 'unchecked' {
  if (uid === undefined) return 'unchecked';
  let path = dir;
  for (let links = 0; ; links++) {
    const info = lstatOrUndefined(path);
    if (!info) return links === 0 ? 'absent' : { kind: 'not-a-directory' };
    if (info.isSymbolicLink()) {
      // Each link on the way must be this user's (a dotfile manager's): a link of someone else's,
      // anywhere in the chain, could be pointed elsewhere at any time.
      if (info.uid !== uid || links === MAX_LINKS) return { kind: 'symlink' };
      // Relative to where the link really is, as the kernel reads it: `..` in a link under a
      // symlinked directory leaves that directory's target, not the name in the path.
      path = resolve(realpathSync(dirname(path)), readlinkSync(path));
      continue;
    }
    if (!info.isDirectory()) return { kind: 'not-a-directory' };
    if (info.uid !== uid) return { kind: 'foreign-owner', owner: info.uid };
    if ((info.mode & WRITABLE_BY_OTHERS) !== 0) return { kind: 'writable-by-others', mode: info.mode & 0o7777 };
    return 'trusted';
  }
}

function lstatOrUndefined(path: string) {
  return orUndefinedIfAbsent(() => lstatSync(path));
}

function statOrUndefined(path: string) {
  return orUndefinedIfAbsent(() => statSync(path));
}

function orUndefinedIfAbsent<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
