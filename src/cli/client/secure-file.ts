import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ownClientDirProblem, ownClientFileProblem, type ClientDirProblem, type ClientFileProblem } from './client-dir.cjs';
import { CliError } from './errors.js';
import type { MessageKey } from '../i18n/en.js';
import { t } from '../i18n/index.js';

/**
 * Files holding tokens and keys: 0600 in a 0700 directory, replaced atomically (temp file + fsync +
 * rename) so a crash or a concurrent reader never sees half a file.
 */

/** Reads a JSON file; `undefined` when it does not exist. A corrupt file is an error, not a reset. */
export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError(path, err);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new CliError('ERR_CLI_FILE', t('fileNotJson', { path }), { hint: t('fileNotJsonHint'), cause: err });
  }
}

export interface WriteOptions {
  /** Mode of the directory when this call creates it (default 0700). */
  dirMode?: number;
  /** Indentation of the JSON (default 2 spaces). */
  indent?: string | number;
}

/** Writes JSON atomically with mode 0600. A symlinked target (dotfile managers) is written through. */
export async function writeJsonFile(path: string, value: unknown, options: WriteOptions = {}): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, options.indent ?? 2)}\n`, options.dirMode ?? 0o700);
}

async function writeFileAtomic(path: string, content: string, dirMode: number): Promise<void> {
  const target = await realpath(path).catch(() => path);
  try {
    await mkdir(dirname(target), { recursive: true, mode: dirMode });
    const temp = await writeTempBeside(target, content);
    try {
      // open() honours the umask; chmod makes 0600 exact whatever the umask.
      await chmod(temp, 0o600);
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  } catch (err) {
    throw fileError(target, err);
  }
}

/**
 * Writes `content` to a new temp file next to `target` and flushes it to disk; returns its path.
 * A failed write or flush removes the file: what is left of it may be part of a token.
 */
async function writeTempBeside(target: string, content: string): Promise<string> {
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  await createFileExclusively(temp, content, { flush: true });
  return temp;
}

/**
 * Creates `path` (0600, failing with EEXIST if it exists) holding `content`, flushed to disk when
 * asked. A file that was created but could not be written or closed (disk full) is removed, never
 * left half-written: a temp file may hold part of a token, an empty lock would hold up every
 * other process.
 */
export async function createFileExclusively(path: string, content: string, options: { flush: boolean }): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(content);
    if (options.flush) await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw err;
  }
  await handle.close().catch(async (err: unknown) => {
    await rm(path, { force: true });
    throw err;
  });
}

/** Room a rewrite needs beyond the file's current size: new tokens may be a little longer. */
const REWRITE_SLACK_BYTES = 4096;

/** One JSON file of the client directory, read whole and replaced whole. */
export class PrivateJsonFile<T> {
  constructor(
    readonly path: string,
    private readonly dir: string,
  ) {}

  async read(): Promise<T | undefined> {
    assertTrustedClientDir(this.dir);
    assertTrustedClientFile(this.path);
    return readJsonFile<T>(this.path);
  }

  async write(value: T): Promise<void> {
    await ensurePrivateDir(this.dir);
    await writeJsonFile(this.path, value);
  }

  /**
   * Fails as `write` would (disk full, read-only file system, permissions) without changing the
   * file, by writing as much as a rewrite would to a temp file beside it and removing that.
   */
  async assertWritable(): Promise<void> {
    await ensurePrivateDir(this.dir);
    const target = await realpath(this.path).catch(() => this.path);
    const size = await stat(target).then(
      (info) => info.size,
      () => 0,
    );
    try {
      await rm(await writeTempBeside(target, ' '.repeat(size + REWRITE_SLACK_BYTES)), { force: true });
    } catch (err) {
      throw fileError(target, err);
    }
  }

  /** Read-modify-write. Concurrent writers are serialised by the caller's lock where it matters. */
  async update(change: (current: T | undefined) => T): Promise<T> {
    const next = change(await this.read());
    await this.write(next);
    return next;
  }
}

/** Creates the client directory 0700, tightening it if an older version left it wider. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
  } catch (err) {
    throw fileError(dir, err);
  }
}

/**
 * Refuses a client directory that another user could have filled (client-dir.cts says why);
 * checked before the first file of it is read.
 */
function assertTrustedClientDir(dir: string): void {
  let problem: ClientDirProblem | undefined;
  try {
    problem = ownClientDirProblem(dir);
  } catch (err) {
    throw fileError(dir, err);
  }
  if (problem) throw untrustedDirError(dir, problem);
}

/** Refuses a file of the client directory that another user made or could have written (client-dir.cts). */
function assertTrustedClientFile(path: string): void {
  let problem: ClientFileProblem | undefined;
  try {
    problem = ownClientFileProblem(path);
  } catch (err) {
    throw fileError(path, err);
  }
  if (!problem) return;
  const message =
    problem.kind === 'foreign-owner'
      ? t('clientFileForeignOwner', { path, owner: problem.owner })
      : t('clientFileWritableByOthers', { path, mode: problem.mode.toString(8).padStart(4, '0') });
  throw new CliError('ERR_CLI_FILE', message, { hint: t('clientFileHint', { path }) });
}

function untrustedDirError(dir: string, problem: ClientDirProblem): CliError {
  switch (problem.kind) {
    case 'symlink':
      return new CliError('ERR_CLI_FILE', t('clientDirSymlink', { dir }), { hint: t('clientDirHint') });
    case 'not-a-directory':
      return new CliError('ERR_CLI_FILE', t('clientDirNotDirectory', { dir }), { hint: t('clientDirHint') });
    case 'foreign-owner':
      return new CliError('ERR_CLI_FILE', t('clientDirForeignOwner', { dir, owner: problem.owner }), { hint: t('clientDirHint') });
    case 'writable-by-others': {
      const mode = problem.mode.toString(8).padStart(4, '0');
      return new CliError('ERR_CLI_FILE', t('clientDirWritableByOthers', { dir, mode }), { hint: t('clientDirWritableHint', { dir }) });
    }
  }
}

/** Causes the user fixes elsewhere than in the file's owner or mode: "check the file belongs to you" would mislead. */
const FILE_PROBLEMS: Partial<Record<string, readonly [MessageKey, MessageKey]>> = {
  ENOSPC: ['fileDiskFull', 'fileDiskFullHint'],
  EDQUOT: ['fileDiskFull', 'fileDiskFullHint'],
  EROFS: ['fileReadOnly', 'fileReadOnlyHint'],
};

/** A file that cannot be read or written, said in the words that fit why (its errno). */
export function fileError(path: string, err: unknown): CliError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  const [message, hint] = FILE_PROBLEMS[code] ?? ['fileUnusable', 'fileUnusableHint'];
  return new CliError('ERR_CLI_FILE', t(message, { path, code }), { hint: t(hint), cause: err });
}
