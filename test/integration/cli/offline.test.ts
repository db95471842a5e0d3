import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createContext } from '../../../src/cli/client/context.js';
import { ROLES } from '../../unit/cli/fixtures.js';

/** The built `rambridge` command (npm test builds dist/ first). */
const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));

async function run(args: string[], home: string) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, HOME: home } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A loopback URL nothing listens on: a server that is down. */
async function downServer(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}`;
}

const NOTE = /^\(offline: from cache, \d{4}-\d\d-\d\d \d\d:\d\d\)$/m;

describe('roles and whoami with the server down', () => {
  let home: string;
  let server: string;
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'rambridge-offline-'));
    server = await downServer();
    // What a login and a listing left behind.
    const ctx = createContext({ HOME: home });
    const user = { idp: 'okta', subject: 'u-1', email: 'alice@example.com' };
    await ctx.sessions.put(server, {
      tokenEndpoint: `${server}/oauth/token`,
      accessToken: 'at',
      accessTokenExpiresAt: Date.now() + 600_000,
      refreshToken: 'rt',
      user,
    });
    // Listed with 40 min left of the session: what could be had then is not what can be had now.
    const listed = ROLES.map((r) => ({ ...r, maxDurationNow: Math.min(r.maxSessionDuration, 2340) }));
    await ctx.roleBook.saveCatalogue(server, 'okta/u-1', listed, Date.now());
    // Seen with the local clock 2 h slow: the session had 1 h 30 min (and 30 s) left by the server's.
    const serverDate = Date.now() + 2 * 3_600_000;
    const sessionExpiresAt = new Date(serverDate + 90 * 60_000 + 30_000).toISOString();
    await ctx.roleBook.saveIdentity(server, 'okta/u-1', {
      me: { ...user, issuer: 'https://okta.example', groups: ['dev'], sessionExpiresAt },
      fetchedAt: Date.now(),
      serverDate,
    });
  });

  test('roles: the remembered list on stdout, the offline note on stderr, exit 0', async () => {
    const r = await run(['roles', '--server', server], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dev-admin');
    expect(r.stderr).toMatch(NOTE);
    // The role's maximum alone: what the session could get when the list was fetched is long past.
    expect(r.stdout).toMatch(/ dev-readonly .*\(up to 12 h\)$/m);
    expect(r.stdout).not.toContain('now');
  });

  test('roles --json says offline and since when', async () => {
    const r = await run(['roles', '--server', server, '--json'], home);
    expect(JSON.parse(r.stdout)).toMatchObject({ offline: true, cachedAt: expect.any(String), roles: expect.any(Array) });
    // As the server sent it, as of `cachedAt` (docs/cli.md).
    expect((JSON.parse(r.stdout) as { roles: Array<{ id: string }> }).roles.find((x) => x.id === 'dev-readonly')).toMatchObject({
      maxDurationNow: 2340,
    });
  });

  test('whoami: the identity last seen, groups included', async () => {
    const r = await run(['whoami', '--server', server], home);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('alice@example.com');
    expect(r.stdout).toContain('groups   dev');
    expect(r.stderr).toMatch(NOTE);
  });

  test('whoami: the session’s time left is counted from when that answer arrived, by the server’s clock then', async () => {
    const r = await run(['whoami', '--server', server], home);
    expect(r.stdout).toContain('(1 h 30 min left)');
  });
});
