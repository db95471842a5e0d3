import { chmodSync, chownSync, lchownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientDirProblem, clientFileProblem, ownClientDirProblem } from '../../../src/cli/client/client-dir.cjs';
import { createContext } from '../../../src/cli/client/context.js';
import { credentials } from './fixtures.js';

/**
 * Another local user who creates `$XDG_CONFIG_HOME/rambridge` first must not have the CLI use the
 * sessions and keys planted there. Ownership cannot be given away without root, so the owner check
 * is tested with the uid to expect passed in; mode and symlink cases go through the real client.
 */
let home: string;
let dir: string;
const me = process.getuid!();
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'rambridge-client-dir-'));
  dir = join(home, '.config', 'rambridge');
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** The client directory as an earlier rambridge left it: written by the client, 0700. */
async function clientWithSettings() {
  const ctx = createContext({ HOME: home });
  await ctx.settings.write({ server: 'https://bridge.example' });
  return ctx;
}

describe('clientDirProblem', () => {
  test('a 0700 directory of this user is fine; so is none at all (the first run creates it)', () => {
    expect(clientDirProblem(dir, me)).toBeUndefined();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    expect(clientDirProblem(dir, me)).toBeUndefined();
  });

  test('a directory another user owns is refused, whatever its mode', () => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    expect(clientDirProblem(dir, me + 1)).toEqual({ kind: 'foreign-owner', owner: me });
  });

  test('group- or other-writable, a symlink, or not a directory: refused', () => {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o770);
    expect(clientDirProblem(dir, me)).toEqual({ kind: 'writable-by-others', mode: 0o770 });
    chmodSync(dir, 0o702);
    expect(clientDirProblem(dir, me)).toEqual({ kind: 'writable-by-others', mode: 0o702 });
    const link = join(home, 'link');
    symlinkSync(dir, link);
    // A link is followed only when it is this user's (a dotfile manager's); then its target is checked.
    expect(clientDirProblem(link, me + 1)).toEqual({ kind: 'symlink' });
    expect(clientDirProblem(link, me)).toEqual({ kind: 'writable-by-others', mode: 0o702 });
    chmodSync(dir, 0o700);
    expect(clientDirProblem(link, me)).toBeUndefined();
    symlinkSync(join(home, 'nowhere'), join(home, 'dangling'));
    expect(clientDirProblem(join(home, 'dangling'), me)).toEqual({ kind: 'not-a-directory' });
    const file = join(home, 'file');
    writeFileSync(file, '');
    expect(clientDirProblem(file, me)).toEqual({ kind: 'not-a-directory' });
  });

  test('without POSIX owners (Windows: no process.getuid) there is nothing to check', () => {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o777);
    expect(clientDirProblem(dir, undefined)).toBeUndefined();
  });

  test('a directory that passed is checked again at the next read: one swapped in after is refused', async () => {
    await clientWithSettings();
    expect(ownClientDirProblem(dir)).toBeUndefined();
    chmodSync(dir, 0o777);
    expect(ownClientDirProblem(dir)).toEqual({ kind: 'writable-by-others', mode: 0o777 });
  });

  test('every link of a chain must be this user’s: a link of another user’s in the middle is refused', () => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const middle = join(home, 'middle');
    symlinkSync(dir, middle);
    lchownSync(middle, me + 1, me + 1);
    const first = join(home, 'first');
    symlinkSync(middle, first);
    expect(clientDirProblem(first, me)).toEqual({ kind: 'symlink' });
    // A relative link under a symlinked directory is read where the kernel reads it.
    const real = join(home, 'real');
    mkdirSync(join(real, 'config'), { recursive: true });
    mkdirSync(join(real, 'dotfiles', 'rambridge'), { recursive: true, mode: 0o777 });
    chmodSync(join(real, 'dotfiles', 'rambridge'), 0o777);
    mkdirSync(join(home, 'dotfiles', 'rambridge'), { recursive: true, mode: 0o700 });
    symlinkSync(join(real, 'config'), join(home, 'config'));
    symlinkSync('../dotfiles/rambridge', join(home, 'config', 'rambridge'));
    expect(clientDirProblem(join(home, 'config', 'rambridge'), me)).toEqual({ kind: 'writable-by-others', mode: 0o777 });
    const loop = join(home, 'loop');
    symlinkSync(loop, loop);
    expect(clientDirProblem(loop, me)).toEqual({ kind: 'symlink' });
  });
});

describe('clientFileProblem', () => {
  test('a file of this user’s writable by no one else is fine; so is none at all', () => {
    const file = join(home, 'credentials.json');
    expect(clientFileProblem(file, me)).toBeUndefined();
    writeFileSync(file, '{}', { mode: 0o600 });
    expect(clientFileProblem(file, me)).toBeUndefined();
    chmodSync(file, 0o644);
    expect(clientFileProblem(file, me)).toBeUndefined();
    expect(clientFileProblem(file, undefined)).toBeUndefined();
  });

  test('another user’s file, or one group- or other-writable, is refused', () => {
    const file = join(home, 'credentials.json');
    writeFileSync(file, '{}', { mode: 0o600 });
    expect(clientFileProblem(file, me + 1)).toEqual({ kind: 'foreign-owner', owner: me });
    chmodSync(file, 0o620);
    expect(clientFileProblem(file, me)).toEqual({ kind: 'writable-by-others', mode: 0o620 });
    chmodSync(file, 0o602);
    expect(clientFileProblem(file, me)).toEqual({ kind: 'writable-by-others', mode: 0o602 });
  });

  test('a symlink must be this user’s, and so must the file it points to', () => {
    const file = join(home, 'real.json');
    writeFileSync(file, '{}', { mode: 0o600 });
    const link = join(home, 'credentials.json');
    symlinkSync(file, link);
    expect(clientFileProblem(link, me)).toBeUndefined();
    lchownSync(link, me + 1, me + 1);
    expect(clientFileProblem(link, me)).toEqual({ kind: 'foreign-owner', owner: me + 1 });
    lchownSync(link, me, me);
    chownSync(file, me + 1, me + 1);
    expect(clientFileProblem(link, me)).toEqual({ kind: 'foreign-owner', owner: me + 1 });
  });
});

describe('the client refuses to read a directory another user could have filled', () => {
  test('group-writable: ERR_CLI_FILE naming the directory, and how to fix it', async () => {
    const ctx = await clientWithSettings();
    chmodSync(dir, 0o775);
    await expect(ctx.settings.read()).rejects.toMatchObject({
      code: 'ERR_CLI_FILE',
      message: `${dir} can be written by other users (mode 0775): its sessions and keys could be theirs.`,
      hint: `Files others put in it would be read as yours: remove it (rm -r ${dir}) and log in again, or set XDG_CONFIG_HOME to a directory of your own.`,
    });
    await expect(ctx.sessions.get('https://bridge.example')).rejects.toMatchObject({ code: 'ERR_CLI_FILE' });
  });

  test('a file another user planted stays refused after the directory is made 0700', async () => {
    const ctx = await clientWithSettings();
    const key = { server: 'https://bridge.example', user: 'okta/alice', role: 'dev', durationSeconds: 3600 };
    await ctx.cache.put(key, { ...credentials(new Date(Date.now() + 3_600_000).toISOString(), 'STS.ATTACKER') });
    chownSync(ctx.paths.credentials, 65534, 65534);
    await expect(ctx.cache.get(key)).rejects.toMatchObject({
      code: 'ERR_CLI_FILE',
      message: `${ctx.paths.credentials} belongs to another user (uid 65534): what it holds could be theirs.`,
      hint: `Remove it (rambridge writes a new one; you may have to log in again): rm ${ctx.paths.credentials}`,
    });
    chownSync(ctx.paths.credentials, me, me);
    chmodSync(ctx.paths.credentials, 0o666);
    await expect(ctx.cache.get(key)).rejects.toMatchObject({
      code: 'ERR_CLI_FILE',
      message: `${ctx.paths.credentials} can be written by other users (mode 0666): what it holds could be theirs.`,
    });
    chmodSync(ctx.paths.credentials, 0o600);
    await expect(ctx.cache.get(key)).resolves.toMatchObject({ accessKeyId: 'STS.ATTACKER' });
  });

  test('a symlink of this user’s in place of the directory (a dotfile manager’s) is read through', async () => {
    await clientWithSettings();
    mkdirSync(join(home, 'xdg'));
    symlinkSync(join(home, '.config', 'rambridge'), join(home, 'xdg', 'rambridge'));
    const ctx = createContext({ HOME: home, XDG_CONFIG_HOME: join(home, 'xdg') });
    expect(await ctx.settings.read()).toEqual({ server: 'https://bridge.example' });
  });

  test('the first run still creates the directory 0700 and reads back what it wrote', async () => {
    const ctx = createContext({ HOME: home });
    expect(await ctx.settings.read()).toBeUndefined();
    await ctx.settings.write({ server: 'https://bridge.example' });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(await ctx.settings.read()).toEqual({ server: 'https://bridge.example' });
  });
});
