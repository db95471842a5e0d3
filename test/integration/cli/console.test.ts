import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createContext } from '../../../src/cli/client/context.js';
import { ROLES } from '../../unit/cli/fixtures.js';

/**
 * `rambridge console ROLE [-s SERVICE]` prints (and would open) the server's launch URL,
 * /roles/<id>/console, which opens the console itself. The role is resolved from the role list a
 * previous command left behind, so no server needs to answer here.
 */
const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));
const SERVER = 'http://127.0.0.1:8080';

async function run(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args, '--server', SERVER], {
      env: { PATH: process.env.PATH, HOME: home, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let home: string;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'rambridge-console-'));
  const ctx = createContext({ HOME: home });
  const user = { idp: 'okta', subject: 'u-1', email: 'alice@example.com' };
  await ctx.sessions.put(SERVER, {
    tokenEndpoint: `${SERVER}/oauth/token`,
    accessToken: 'at',
    accessTokenExpiresAt: Date.now() + 600_000,
    refreshToken: 'rt',
    user,
  });
  await ctx.roleBook.saveCatalogue(SERVER, 'okta/u-1', ROLES, Date.now());
});

describe('rambridge console', () => {
  test('-s ecs --no-browser --json: the launch URL of the role with the service, not opened', async () => {
    const r = await run(['console', 'dev-admin', '-s', 'ecs', '--no-browser', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      role: 'dev-admin',
      service: 'ecs',
      url: `${SERVER}/roles/dev-admin/console?service=ecs`,
      opened: false,
    });
  });

  test('an alias resolves to the role id; --service takes any case; --destination still works', async () => {
    const byName = JSON.parse((await run(['console', 'rambridge-prod-ops', '--service', 'OSS', '--no-browser', '--json'])).stdout);
    expect(byName.url).toBe(`${SERVER}/roles/prod-ops/console?service=oss`);
    const consoleHome = JSON.parse((await run(['console', 'dev-readonly', '--no-browser', '--json'])).stdout);
    expect(consoleHome.url).toBe(`${SERVER}/roles/dev-readonly/console`);
    const page = 'https://ecs.console.aliyun.com/';
    const withDestination = JSON.parse((await run(['console', 'dev-admin', '--destination', page, '--no-browser', '--json'])).stdout);
    expect(withDestination.url).toBe(`${SERVER}/roles/dev-admin/console?destination=${encodeURIComponent(page)}`);
  });

  test('--service and --destination together are a usage error', async () => {
    const r = await run(['console', 'dev-admin', '-s', 'ecs', '--destination', 'https://ecs.console.aliyun.com/', '--no-browser']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rambridge: error: --service cannot be used with --destination\n/);
  });

  test('says where it signs in, in English and in Chinese', async () => {
    const en = await run(['console', 'dev-admin', '-s', 'ecs', '--no-browser']);
    expect(en.stdout).toBe(
      `Open this link to sign in to the ecs console as dev-admin (Development):\n${SERVER}/roles/dev-admin/console?service=ecs\n`,
    );
    const zh = await run(['console', 'dev-admin', '--no-browser'], { LANG: 'zh_CN.UTF-8' });
    expect(zh.stdout).toBe(`请打开此链接，以 dev-admin（Development）身份登录阿里云控制台：\n${SERVER}/roles/dev-admin/console\n`);
  });

  test('--help shows the flag and an example', async () => {
    const { stdout } = await run(['console', '--help']);
    expect(stdout).toContain('-s, --service <name>');
    expect(stdout).toContain('rambridge console dev-admin -s ecs');
  });
});
