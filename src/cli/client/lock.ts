import { createHash, randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from './errors.js';
import { createFileExclusively, ensurePrivateDir, fileError } from './secure-file.js';
import { t } from '../i18n/index.js';

/** A claim to remove an abandoned lock lives milliseconds; one this old, its owner alive or not, is left over. */
const CLAIM_STALE_MS = 10_000;

/**
 * A lock is written within milliseconds of its creation; one still empty this long after (by
 * mtime) lost its writer between open and write (killed), and would otherwise block everyone
 * until it is stale by age.
 */
const EMPTY_LOCK_STALE_MS = 2_000;

export interface LockOptions {
  /** Give up after this long (default 30 s: a login-free refresh takes well under a second). */
  timeoutMs?: number;
  /** A lock older than this is a leftover of a crashed process (default 60 s). */
  staleMs?: number;
}

/**
 * Runs `task` while holding an exclusive lock file. Needed because refresh tokens rotate: two
 * `rambridge creds` started at once by a tool (the aliyun CLI runs its External command for every
 * call, Terraform runs providers in parallel) would both spend the same refresh token, and the
 * server treats reuse as theft and ends the session.
 */
export async function withFileLock<T>(path: string, task: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const staleMs = options.staleMs ?? 60_000;
  // Who holds a lock: the pid (to tell a crashed holder) and a nonce (a file's name and inode are
  // reused, so only its content tells one lock from the next).
  const mine = `${process.pid} ${randomBytes(9).toString('base64url')}`;
  await ensurePrivateDir(dirname(path));
  for (;;) {
    try {
      await createFileExclusively(path, mine, { flush: false }); // EEXIST: another process holds it
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(path, err);
      const abandoned = await abandonedLock(path, staleMs);
      if (abandoned !== undefined) {
        // Whoever else is removing it takes a few milliseconds.
        if (!(await takeOver(path, abandoned))) await sleep(10 + Math.random() * 10);
        continue;
      }
      if (Date.now() > deadline) {
        throw new CliError('ERR_CLI_FILE', t('lockBusy'), { hint: t('lockBusyHint', { path }) });
      }
      await sleep(50 + Math.random() * 50);
    }
  }
  try {
    return await task();
  } finally {
    // Only our own: had it been taken over as stale, the file there now is someone else's lock.
    if ((await readFile(path, 'utf8').catch(() => undefined)) === mine) await rm(path, { force: true });
  }
}

/**
 * Removes the abandoned lock whose content is `owner`, and nothing else. Several processes may
 * judge the same lock abandoned at once; deleting it by name, a slow one would delete the lock a
 * fast one had just taken, and both would hold it (and spend the same refresh token, which ends
 * the session). So one of them is elected per abandoned lock (the claim file, created
 * exclusively), and it removes the lock only if it still is the abandoned one.
 */
async function takeOver(path: string, owner: string): Promise<boolean> {
  const claim = `${path}.${createHash('sha256').update(owner).digest('hex').slice(0, 16)}.claim`;
  try {
    const handle = await open(claim, 'wx', 0o600);
    await handle.writeFile(String(process.pid));
    await handle.close();
  } catch {
    // Another process is removing it. Unless that one died doing so: then its claim goes too.
    if ((await abandonedLock(claim, CLAIM_STALE_MS)) !== undefined) await rm(claim, { force: true });
    return false;
  }
  try {
    if ((await readFile(path, 'utf8').catch(() => undefined)) !== owner) return true; // already gone
    // Moved aside, not deleted: its holder, merely slow (stale by age), may have released it and
    // someone else locked since; then what was moved is theirs and goes back.
    const moved = `${claim}.${randomBytes(6).toString('hex')}`;
    await rename(path, moved);
    if ((await readFile(moved, 'utf8')) !== owner) await link(moved, path).catch(() => undefined);
    await rm(moved, { force: true });
  } catch {
    // Gone in between: nothing to remove.
  } finally {
    await rm(claim, { force: true });
  }
  return true;
}

/** The content of the lock at `path` if it is a leftover of a crashed process, else undefined. */
async function abandonedLock(path: string, staleMs: number): Promise<string | undefined> {
  try {
    const [info, owner] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    const age = Date.now() - info.mtimeMs;
    if (age > staleMs) return owner;
    // An empty file is a lock being written right now, unless it has been empty for too long.
    if (owner === '') return age > EMPTY_LOCK_STALE_MS ? owner : undefined;
    const pid = Number(owner.split(' ')[0]);
    return Number.isInteger(pid) && pid > 0 && !isAlive(pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
