import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withFileLock } from '../../../src/cli/client/lock.js';

/**
 * The CLI's refresh lock across processes, as an External profile's tool starts them: several at
 * once. The lock file is the built one's (npm test builds dist/ first).
 */
const lockModule = fileURLToPath(new URL('../../../dist/cli/client/lock.js', import.meta.url));

/** A worker holds the lock ~100 ms (a refresh's HTTP call) and writes when it enters and leaves. */
const WORKER = `
  const { withFileLock } = await import(process.argv[1]);
  const [lock, log, startAt] = process.argv.slice(2);
  const { appendFileSync } = await import('node:fs');
  await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
  await withFileLock(lock, async () => {
    appendFileSync(log, 'enter\\n');
    await new Promise((r) => setTimeout(r, 100));
    appendFileSync(log, 'leave\\n');
  });
`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rambridge-lock-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has exited: what a refresh killed by Ctrl-C leaves in the lock. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

test('a lock left by a dead process is taken over by exactly one of the processes that find it', async () => {
  const workers = 8;
  for (let round = 0; round < 4; round++) {
    const lock = join(dir, `refresh-${round}.lock`);
    const log = join(dir, `holders-${round}.log`);
    writeFileSync(lock, String(await deadPid()), { mode: 0o600 });
    writeFileSync(log, '');
    const startAt = String(Date.now() + 600);
    await Promise.all(
      Array.from({ length: workers }, () =>
        promisify(execFile)(process.execPath, ['--input-type=module', '-e', WORKER, lockModule, lock, log, startAt]),
      ),
    );
    let holders = 0;
    let most = 0;
    for (const line of readFileSync(log, 'utf8').trim().split('\n')) most = Math.max(most, (holders += line === 'enter' ? 1 : -1));
    expect({ round, most, entered: readFileSync(log, 'utf8').split('enter').length - 1 }).toEqual({ round, most: 1, entered: workers });
  }
  // Nothing left behind: neither a lock nor a claim to remove one.
  expect(readdirSync(dir).filter((f) => f.endsWith('.lock') || f.includes('.claim'))).toEqual([]);
});

describe('a lock that cannot be written', () => {
  test('a full disk while writing the lock: a file error that says so, and no empty lock left to hold up others', async () => {
    const lock = join(dir, 'full-disk.lock');
    const restore = await failingFileWrites('ENOSPC');
    const failure = await withFileLock(lock, async () => 'ran')
      .catch((err: unknown) => err)
      .finally(restore);
    expect(failure).toMatchObject({ code: 'ERR_CLI_FILE', message: expect.stringContaining('the disk is full') });
    expect(existsSync(lock)).toBe(false);
  });

  test('an empty lock older than a couple of seconds lost its writer between open and write: it is taken over', async () => {
    const lock = join(dir, 'empty.lock');
    writeFileSync(lock, '', { mode: 0o600 });
    const threeSecondsAgo = new Date(Date.now() - 3_000);
    utimesSync(lock, threeSecondsAgo, threeSecondsAgo);
    // With the default options: it would otherwise wait 30 s and fail as busy.
    await expect(withFileLock(lock, async () => 'ran')).resolves.toBe('ran');
  });
});

/** Makes file writes fail with `code` (a full disk); returns the undo. */
async function failingFileWrites(code: string): Promise<() => void> {
  const probe = await open(process.execPath, 'r');
  const proto = Object.getPrototypeOf(probe) as { writeFile: (data: unknown) => Promise<void> };
  await probe.close();
  const writeFile = proto.writeFile;
  proto.writeFile = () => Promise.reject(Object.assign(new Error(`${code}: simulated, write`), { code }));
  return () => {
    proto.writeFile = writeFile;
  };
}
