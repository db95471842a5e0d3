import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileError, writeJsonFile } from '../../../src/cli/client/secure-file.js';

/** Saving a file of tokens when the disk says no: the old file stays whole and no piece of the new one is left. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rambridge-secure-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type FileHandleMethod = 'writeFile' | 'sync';

/** Makes every FileHandle `method` fail with `code`; returns the undo. */
async function failing(method: FileHandleMethod, code: string): Promise<() => void> {
  const probe = await open(process.execPath, 'r');
  const proto = Object.getPrototypeOf(probe) as Record<FileHandleMethod, (...args: unknown[]) => Promise<void>>;
  await probe.close();
  const real = proto[method];
  proto[method] = () => Promise.reject(Object.assign(new Error(`${code}: simulated`), { code }));
  return () => {
    proto[method] = real;
  };
}

async function writeWhileFailing(method: FileHandleMethod, code: string): Promise<unknown> {
  const path = join(dir, 'sessions.json');
  writeFileSync(path, '{"old":true}\n');
  const restore = await failing(method, code);
  return writeJsonFile(path, { refreshToken: 'rt-secret' })
    .then(
      () => undefined,
      (err: unknown) => err,
    )
    .finally(restore);
}

test('a full disk while writing: the disk is named as the cause, the file is unchanged, no temp file is left', async () => {
  const failure = await writeWhileFailing('writeFile', 'ENOSPC');
  expect(failure).toMatchObject({
    code: 'ERR_CLI_FILE',
    message: expect.stringContaining('the disk is full'),
    hint: expect.stringContaining('Free some space'),
  });
  expect(readFileSync(join(dir, 'sessions.json'), 'utf8')).toBe('{"old":true}\n');
  expect(readdirSync(dir)).toEqual(['sessions.json']);
});

test('a failed flush to disk: no temp file is left', async () => {
  const failure = await writeWhileFailing('sync', 'EIO');
  expect(failure).toMatchObject({ code: 'ERR_CLI_FILE', message: expect.stringContaining('EIO') });
  expect(readdirSync(dir)).toEqual(['sessions.json']);
});

test('each cause of a failed save has the hint that fits it', () => {
  const path = join(dir, 'sessions.json');
  const hintOf = (code: string) => fileError(path, Object.assign(new Error(code), { code })).hint;
  expect(fileError(path, { code: 'EROFS' }).message).toContain('read-only file system');
  expect(hintOf('EROFS')).toContain('XDG_CONFIG_HOME');
  expect(hintOf('EDQUOT')).toBe(hintOf('ENOSPC'));
  expect(hintOf('EACCES')).toContain('belong to you');
});
