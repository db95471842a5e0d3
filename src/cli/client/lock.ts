import { open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CliError } from './errors.js';
import { ensurePrivateDir } from './secure-file.js';
import { t } from '../i18n/index.js';

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
  await ensurePrivateDir(dirname(path));
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (await isAbandoned(path, options.staleMs ?? 60_000)) {
        await rm(path, { force: true });
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
    await rm(path, { force: true });
  }
}

async function isAbandoned(path: string, staleMs: number): Promise<boolean> {
  try {
    const [info, owner] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    if (Date.now() - info.mtimeMs > staleMs) return true;
    const pid = Number(owner);
    // An empty file is a lock being written right now, not an abandoned one.
    return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
  } catch {
    return false;
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
