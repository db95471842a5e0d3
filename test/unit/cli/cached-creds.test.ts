import { execFile } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { answerFromCache, CACHED_REFRESH_MARGIN_MS, parseFastArgs } from '../../../src/cli/cached-creds.cjs';
import { REFRESH_MARGIN_MS } from '../../../src/cli/client/credential-cache.js';
import { createContext } from '../../../src/cli/client/context.js';
import { formatProcess } from '../../../src/cli/client/formats.js';
import { ManualClock } from '../../../src/clock.js';
import { credentials, ROLES } from './fixtures.js';

const SERVER = 'https://bridge.example';
const NOW = Date.parse('2026-01-01T10:00:00Z');
const EXPIRATION = '2026-01-01T11:00:00Z';

/** A logged-in client home, its files written by the client's own classes. */
async function loggedIn(cached: { role: string; durationSeconds: number }[] = [{ role: 'dev-readonly', durationSeconds: 3600 }]) {
  const env = { HOME: mkdtempSync(join(tmpdir(), 'rambridge-fast-')) };
  const ctx = createContext(env, { clock: new ManualClock(NOW) });
  await ctx.settings.write({ server: SERVER });
  await ctx.sessions.put(SERVER, {
    tokenEndpoint: `${SERVER}/oauth/token`,
    accessToken: 'a',
    accessTokenExpiresAt: NOW + 600_000,
    refreshToken: 'r',
    user: { idp: 'okta', subject: 'alice' },
  });
  await ctx.roleBook.saveCatalogue(SERVER, 'okta/alice', ROLES, NOW);
  for (const c of cached) await ctx.cache.put({ server: SERVER, user: 'okta/alice', ...c }, credentials(EXPIRATION));
  return { env, ctx };
}

/** A new $XDG_CONFIG_HOME holding a copy of a client directory as `rambridge/`. */
async function plantedCopy(dir: string): Promise<string> {
  const xdg = mkdtempSync(join(tmpdir(), 'rambridge-planted-'));
  cpSync(dir, join(xdg, 'rambridge'), { recursive: true });
  return xdg;
}

async function answer(args: string[], env: NodeJS.ProcessEnv, now = NOW) {
  const printed: string[] = [];
  const answered = await answerFromCache(args, env, now, (text) => printed.push(text));
  return { answered, printed: printed.join('') };
}

describe('cached creds fast path', () => {
  test('prints exactly what `creds --format process` prints, from the files the client wrote', async () => {
    const { env } = await loggedIn();
    const r = await answer(['creds', 'dev-readonly', '--format', 'process'], env);
    expect(r).toEqual({ answered: true, printed: formatProcess({ credentials: credentials(EXPIRATION) }) });
  });

  test('a local clock 2 h slow: answers while the server’s time leaves more than the margin, with the expiration by the local clock, as the full path does', async () => {
    const { env } = await loggedIn([]);
    const local = NOW - 2 * 3_600_000;
    const key = { server: SERVER, user: 'okta/alice', role: 'dev-readonly', durationSeconds: 3600 };
    await createContext(env, { clock: new ManualClock(local) }).cache.put(key, credentials(EXPIRATION), NOW);
    const args = ['creds', 'dev-readonly', '--format', 'process'];
    // What the slow path prints for the same entry: the expiration by the local clock, an hour after it arrived.
    const printed = formatProcess({ credentials: credentials(EXPIRATION), localExpiresAt: local + 3_600_000 });
    expect(JSON.parse(printed)).toMatchObject({ expiration: '2026-01-01T09:00:00Z' });
    await expect(answer(args, env, local + 55 * 60_000 - 1)).resolves.toEqual({ answered: true, printed });
    await expect(answer(args, env, local + 55 * 60_000)).resolves.toEqual({ answered: false, printed: '' });
  });

  test('keys cached while the local clock ran fast are never printed past their expiration once it is set right', async () => {
    const { env } = await loggedIn([]);
    const key = { server: SERVER, user: 'okta/alice', role: 'dev-readonly', durationSeconds: 3600 };
    await createContext(env, { clock: new ManualClock(NOW + 30 * 60_000) }).cache.put(key, credentials(EXPIRATION), NOW);
    const args = ['creds', 'dev-readonly', '--format', 'process'];
    const lastUsable = Date.parse(EXPIRATION) - CACHED_REFRESH_MARGIN_MS - 1;
    await expect(answer(args, env, lastUsable)).resolves.toMatchObject({ answered: true });
    await expect(answer(args, env, lastUsable + 1)).resolves.toEqual({ answered: false, printed: '' });
    await expect(answer(args, env, Date.parse('2026-01-01T11:20:00Z'))).resolves.toEqual({ answered: false, printed: '' });
  });

  test('an entry an older version wrote (no local expiry) is judged by its expiration', async () => {
    const { env, ctx } = await loggedIn();
    const file = JSON.parse(readFileSync(ctx.paths.credentials, 'utf8')) as { entries: Record<string, Record<string, unknown>> };
    expect(Object.values(file.entries)[0]).not.toHaveProperty('localExpiresAt');
    const args = ['creds', 'dev-readonly', '--format', 'process'];
    await expect(answer(args, env, Date.parse(EXPIRATION) - CACHED_REFRESH_MARGIN_MS - 1)).resolves.toMatchObject({ answered: true });
    await expect(answer(args, env, Date.parse(EXPIRATION) - CACHED_REFRESH_MARGIN_MS)).resolves.toMatchObject({ answered: false });
  });

  test('a failed write is an error, not a miss: the full command never runs to print a second time', async () => {
    const { env } = await loggedIn();
    const brokenPipe = () => {
      throw Object.assign(new Error('EPIPE: broken pipe, write'), { code: 'EPIPE' });
    };
    await expect(answerFromCache(['creds', 'dev-readonly', '--format', 'process'], env, NOW, brokenPipe)).rejects.toThrow('EPIPE');
  });

  test('the External profile command line (--server, --duration) is answered too', async () => {
    const { env } = await loggedIn([{ role: 'dev-admin', durationSeconds: 7200 }]);
    const r = await answer(['creds', 'dev-admin', '--format', 'process', '--server', SERVER, '--duration', '2h'], env);
    expect(r.answered).toBe(true);
  });

  test.each([
    ['another format', ['creds', 'dev-readonly', '--format', 'env']],
    ['no format (the full command picks the default)', ['creds', 'dev-readonly']],
    ['a fuzzy role name', ['creds', 'readonly', '--format', 'process']],
    ['an option it does not know', ['creds', 'dev-readonly', '--format', 'process', '--justification', 'x']],
    ['a role never fetched', ['creds', 'prod-readonly', '--format', 'process']],
    ['another duration', ['creds', 'dev-readonly', '--format', 'process', '-d', '2h']],
    ['a duration the role does not allow', ['creds', 'dev-readonly', '--format', 'process', '-d', '13h']],
    ['another server', ['creds', 'dev-readonly', '--format', 'process', '--server', 'https://other.example']],
    ['a plain-http server off loopback', ['creds', 'dev-readonly', '--format', 'process', '--server', 'http://bridge.example']],
  ])('leaves %s to the full command, printing nothing', async (_what, args) => {
    const { env } = await loggedIn();
    await expect(answer(args, env)).resolves.toEqual({ answered: false, printed: '' });
  });

  test('an elevated role is left to the full command even when cached (by an older client): each use needs a justification', async () => {
    const { env } = await loggedIn([{ role: 'prod-ops', durationSeconds: 3600 }]);
    await expect(answer(['creds', 'prod-ops', '--format', 'process'], env)).resolves.toEqual({ answered: false, printed: '' });
  });

  test('credentials within the 5-minute refresh margin are not served (the same margin as the cache)', async () => {
    expect(CACHED_REFRESH_MARGIN_MS).toBe(REFRESH_MARGIN_MS);
    const { env } = await loggedIn();
    const late = Date.parse(EXPIRATION) - 5 * 60_000;
    await expect(answer(['creds', 'dev-readonly', '--format', 'process'], env, late)).resolves.toEqual({ answered: false, printed: '' });
  });

  test('not logged in, or a corrupt file: the full command reports it', async () => {
    const env = { HOME: mkdtempSync(join(tmpdir(), 'rambridge-fast-')) };
    await expect(answer(['creds', 'dev-readonly', '--format', 'process'], env)).resolves.toEqual({ answered: false, printed: '' });
    const { env: corrupt, ctx } = await loggedIn();
    writeFileSync(ctx.paths.credentials, '{not json');
    await expect(answer(['creds', 'dev-readonly', '--format', 'process'], corrupt)).resolves.toEqual({ answered: false, printed: '' });
  });

  test('a client directory another user could have filled (writable by others, itself or behind a symlink) is not answered from', async () => {
    const { ctx } = await loggedIn();
    // Copies under new paths: this process already trusts the directory the client wrote.
    const writable = await plantedCopy(ctx.paths.dir);
    chmodSync(join(writable, 'rambridge'), 0o777);
    const linked = await plantedCopy(ctx.paths.dir);
    renameSync(join(linked, 'rambridge'), join(linked, 'target'));
    symlinkSync(join(linked, 'target'), join(linked, 'rambridge'));
    const env = (xdg: string) => ({ HOME: ctx.env.HOME, XDG_CONFIG_HOME: xdg });
    const creds = ['creds', 'dev-readonly', '--format', 'process'];
    await expect(answer(creds, env(writable))).resolves.toEqual({ answered: false, printed: '' });
    // A link of this user's (a dotfile manager's) to a directory of theirs is read through…
    await expect(answer(creds, env(linked))).resolves.toMatchObject({ answered: true });
    // …and checked like one: a target others can write is not.
    const linkedToWritable = await plantedCopy(ctx.paths.dir);
    renameSync(join(linkedToWritable, 'rambridge'), join(linkedToWritable, 'target'));
    chmodSync(join(linkedToWritable, 'target'), 0o777);
    symlinkSync(join(linkedToWritable, 'target'), join(linkedToWritable, 'rambridge'));
    await expect(answer(creds, env(linkedToWritable))).resolves.toEqual({ answered: false, printed: '' });
  });

  test.each(['config.json', 'sessions.json', 'roles.json', 'credentials.json'])(
    'a %s another user owns, or others can write, is not answered from, though the directory is 0700',
    async (name) => {
      const { ctx } = await loggedIn();
      const env = (xdg: string) => ({ HOME: ctx.env.HOME, XDG_CONFIG_HOME: xdg });
      const creds = ['creds', 'dev-readonly', '--format', 'process'];
      const foreign = await plantedCopy(ctx.paths.dir);
      chownSync(join(foreign, 'rambridge', name), 65534, 65534);
      await expect(answer(creds, env(foreign))).resolves.toEqual({ answered: false, printed: '' });
      const writable = await plantedCopy(ctx.paths.dir);
      chmodSync(join(writable, 'rambridge', name), 0o646);
      await expect(answer(creds, env(writable))).resolves.toEqual({ answered: false, printed: '' });
      const fine = await plantedCopy(ctx.paths.dir);
      await expect(answer(creds, env(fine))).resolves.toMatchObject({ answered: true });
    },
  );

  test('records the use like the full command, rewriting the file at most once a minute for the same role', async () => {
    const { env, ctx } = await loggedIn();
    await answer(['creds', 'dev-readonly', '--format', 'process'], env, NOW);
    expect((await ctx.roleBook.get(SERVER)).recents).toEqual([{ role: 'dev-readonly', usedAt: NOW }]);
    await answer(['creds', 'dev-readonly', '--format', 'process'], env, NOW + 30_000);
    expect((await ctx.roleBook.get(SERVER)).recents).toEqual([{ role: 'dev-readonly', usedAt: NOW }]);
    await answer(['creds', 'dev-readonly', '--format', 'process'], env, NOW + 60_000);
    expect((await ctx.roleBook.get(SERVER)).recents).toEqual([{ role: 'dev-readonly', usedAt: NOW + 60_000 }]);
  });

  test("without --duration: the role's last duration the server reported, exactly as the full command chooses it", async () => {
    const { env, ctx } = await loggedIn([{ role: 'dev-readonly', durationSeconds: 7200 }]);
    const withLast = ROLES.map((r) => (r.id === 'dev-readonly' ? { ...r, lastDuration: 7200 } : r));
    await ctx.roleBook.saveCatalogue(SERVER, 'okta/alice', withLast, NOW);
    expect(await answer(['creds', 'dev-readonly', '--format', 'process'], env)).toMatchObject({ answered: true });
    // Without it, the one hour default is asked for, which is not in the cache: the full command runs.
    await ctx.roleBook.saveCatalogue(SERVER, 'okta/alice', ROLES, NOW);
    expect(await answer(['creds', 'dev-readonly', '--format', 'process'], env)).toEqual({ answered: false, printed: '' });
  });

  test('argument forms: --format=process, -F process; a repeated option is not guessed at', () => {
    expect(parseFastArgs(['creds', 'r', '--format=process'])).toEqual({ role: 'r' });
    expect(parseFastArgs(['creds', '-F', 'process', 'r'])).toEqual({ role: 'r' });
    expect(parseFastArgs(['creds', 'r', '-F', 'process', '-F', 'process'])).toBeUndefined();
    expect(parseFastArgs(['roles'])).toBeUndefined();
  });
});

test('bin/rambridge.js answers a cache hit through the fast path', async () => {
  const { env } = await loggedIn();
  const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));
  // Credentials valid for an hour from now: the launcher reads the real clock.
  const ctx = createContext(env);
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  await ctx.cache.put({ server: SERVER, user: 'okta/alice', role: 'dev-readonly', durationSeconds: 3600 }, credentials(expiration));
  const run = promisify(execFile);
  const { stdout } = await run(process.execPath, [bin, 'creds', 'dev-readonly', '--format', 'process'], {
    env: { ...env, PATH: process.env.PATH },
  });
  expect(stdout).toBe(formatProcess({ credentials: credentials(expiration) }));
});

test('bin/rambridge.js: a client directory others can write is refused with the reason, and its keys are never printed', async () => {
  const { env, ctx } = await loggedIn();
  const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));
  await ctx.cache.put(
    { server: SERVER, user: 'okta/alice', role: 'dev-readonly', durationSeconds: 3600 },
    credentials(new Date(Date.now() + 3600_000).toISOString()),
  );
  chmodSync(ctx.paths.dir, 0o757);
  const failed = promisify(execFile)(process.execPath, [bin, 'creds', 'dev-readonly', '--format', 'process'], {
    env: { ...env, PATH: process.env.PATH, LANG: 'C' },
  });
  await expect(failed).rejects.toMatchObject({
    stdout: '',
    stderr: expect.stringContaining(`rambridge: error: ${ctx.paths.dir} can be written by other users (mode 0757)`) as unknown,
  });
});

test('a repeated cache hit never starts the ES module loader; any other command does', async () => {
  const { env } = await loggedIn();
  const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));
  await createContext(env).cache.put(
    { server: SERVER, user: 'okta/alice', role: 'dev-readonly', durationSeconds: 3600 },
    credentials(new Date(Date.now() + 3600_000).toISOString()),
  );
  // NODE_DEBUG=esm makes Node's ES module loader log each step it takes to stderr: for a command
  // that loads the whole CLI, over a megabyte (execFile's default limit) once the paths are long.
  const run = (...args: string[]) =>
    promisify(execFile)(process.execPath, [bin, ...args], {
      env: { ...env, PATH: process.env.PATH, NODE_DEBUG: 'esm' },
      maxBuffer: 64 * 1024 * 1024,
    });
  await run('creds', 'dev-readonly', '--format', 'process'); // records the use: the rare write loads the role book
  // What every aliyun command then runs: the External profile's command line (configure-aliyun.ts).
  const hit = await run('creds', 'dev-readonly', '--format', 'process', '--server', SERVER, '--duration', '1h');
  expect(hit.stdout).toContain('"access_key_id"');
  expect(hit.stderr).toBe('');
  const other = await run('--version');
  expect(other.stderr).toMatch(/^ESM \d+:/m);
});

/** The modules a file loads, static and lazy imports (not `import type`), followed through the sources. */
function reachable(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = readFileSync(file, 'utf8');
  const specifiers = [
    ...source.matchAll(/^import (?!type )[^;]*? from '([^']+)'/gms),
    ...source.matchAll(/^export [^;]*? from '([^']+)'/gms),
    ...source.matchAll(/import\('([^']+)'\)/g),
  ].map((m) => m[1]!);
  for (const specifier of specifiers) {
    if (specifier.startsWith('.')) reachable(fileURLToPath(new URL(specifier.replace(/\.(c?)js$/, '.$1ts'), pathToFileURL(file))), seen);
    else seen.add(specifier);
  }
  return seen;
}

test('the fast path loads neither commander nor the help catalogues', () => {
  const loaded = [...reachable(fileURLToPath(new URL('../../../src/cli/cached-creds.cts', import.meta.url)))];
  expect(loaded.some((m) => m.endsWith('/i18n/en.ts'))).toBe(true); // what it loaded before: the messages
  expect(loaded.filter((m) => /commander|\/help[^/]*\.ts$|help-format/.test(m))).toEqual([]);
});
