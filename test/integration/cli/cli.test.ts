import { execFile } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateKeyFiles } from '../../../src/issuer/generate-keys.js';
import { RoleMapper } from '../../../src/mapping/index.js';
import { noRolesPage } from '../../../src/web/no-roles.js';
import { demoConfig } from '../../helpers/config.js';

/** The built `rambridge` command, as an admin runs it (npm test builds dist/ first). */
const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));
const demoFile = fileURLToPath(new URL('../../../config/demo.yaml', import.meta.url));

async function run(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The demo config's variables, with real key files: check-config opens the files it names. */
const demoEnv: Record<string, string> = {
  RAMBRIDGE_SESSION_SECRET: 's'.repeat(40),
  RAMBRIDGE_DEMO_CLIENT_SECRET: 'c',
  RAMBRIDGE_DEMO_SUBJECT_SECRET: 'x'.repeat(32),
};
let keyDir: string;
beforeAll(async () => {
  keyDir = await mkdtemp(join(tmpdir(), 'rambridge-cli-keys-'));
  const saml = await generateKeyFiles({ dir: keyDir, purpose: 'saml' });
  const oidc = await generateKeyFiles({ dir: keyDir, purpose: 'oidc', alg: 'ES256' });
  Object.assign(demoEnv, {
    RAMBRIDGE_DEMO_SAML_KEY: saml.privateKey,
    RAMBRIDGE_DEMO_SAML_CERT: saml.certificate!,
    RAMBRIDGE_DEMO_OIDC_KEY: oidc.privateKey,
  });
});
afterAll(() => rm(keyDir, { recursive: true, force: true }));

describe('rambridge check-config', () => {
  test('a valid file: exit 0 with a summary and its warnings', async () => {
    const r = await run(['check-config', demoFile], demoEnv);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid — 1 IdP(s), 2 account(s), 6 role(s), 4 grant(s)');
    expect(r.stdout).toContain('warning: idps.demo.insecureAllowHttp is on');
  });

  test('an invalid file: exit 2, every problem on its own line with its path', async () => {
    const r = await run(['check-config', fixture('invalid-many.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('roles[2].account: unknown account "prod"');
    expect(r.stderr).toContain('grants[0].roles[1]: unknown role "missing"');
    expect(r.stderr).toContain('server.colour: unknown key');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('  ')).length).toBeGreaterThanOrEqual(12);
  });

  test('in Chinese: the summary and the frame around the problems; each problem and warning as the validator wrote it', async () => {
    const valid = await run(['check-config', demoFile], { ...demoEnv, LANG: 'zh_CN.UTF-8' });
    expect(valid.code).toBe(0);
    expect(valid.stdout).toContain(`${demoFile} 有效：1 个身份提供商、2 个账号、6 个角色、4 条授权\n`);
    expect(valid.stdout).toContain('warning: idps.demo.insecureAllowHttp is on');
    expect(valid.stdout).not.toMatch(/valid —/);
    const invalid = await run(['check-config', fixture('invalid-many.yaml')], { LANG: 'zh_CN.UTF-8' });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^rambridge: error: \S+invalid-many\.yaml 不是有效的配置（\d+ 个问题）：\n/);
    expect(invalid.stderr).toContain('  roles[2].account: unknown account "prod"');
  });

  test('serve with an invalid file exits 2 and starts nothing', async () => {
    const r = await run(['serve', '--config', fixture('invalid-many.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('listening');
  });
});

describe('rambridge explain', () => {
  test('lists the roles and the grant behind each', async () => {
    const r = await run(['explain', '--config', demoFile, '--groups', 'rambridge-readonly'], demoEnv);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'dev-readonly  acs:ram::1111222233334444:role/rambridge-dev-readonly',
        '  by grant readers: group "rambridge-readonly" matches "rambridge-readonly"',
        'prod-readonly  acs:ram::5555666677778888:role/rambridge-prod-readonly',
        '  by grant readers: group "rambridge-readonly" matches "rambridge-readonly"',
        '',
      ].join('\n'),
    );
  });

  test("the no-roles page's admin command, run as shown, finds what the bridge decided: a group holding a comma or spaces at its ends stays whole", async () => {
    const config = await demoConfig();
    config.support.adminGroups = ['*'];
    const user = {
      idp: 'demo',
      issuer: 'https://idp',
      subject: 's',
      groups: ['helpdesk', 'x,rambridge-readonly', 'rambridge-dev '],
      amr: [],
    };
    expect(new RoleMapper(config.roles, config.grants).rolesFor(user)).toEqual([]);
    const command = noRolesPage(config, user)
      .adminCommand!.replace('rambridge', `"${process.execPath}" "${bin}"`)
      .replace('CONFIG.yaml', `"${demoFile}"`);
    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', command], { env: { PATH: process.env.PATH } });
    expect(stdout).toBe('No roles for groups [helpdesk, x,rambridge-readonly, rambridge-dev ].\n');
  });

  test("the admin command leaves out amr values that are no method name: 'pwd,mfa' is not a second factor to the bridge either", async () => {
    const config = await demoConfig();
    config.support.adminGroups = ['*'];
    // The demo's break-glass grant (prod-admin) wants mfa; "pwd,mfa" and "mfa " are not mfa.
    const user = { idp: 'demo', issuer: 'https://idp', subject: 's', groups: ['rambridge-ops'], amr: ['pwd,mfa', 'mfa '] };
    const granted = new RoleMapper(config.roles, config.grants).rolesFor(user).map((c) => c.role.id);
    expect(granted).not.toContain('prod-admin');
    const command = noRolesPage(config, user)
      .adminCommand!.replace('rambridge', `"${process.execPath}" "${bin}"`)
      .replace('CONFIG.yaml', `"${demoFile}"`);
    const { stdout } = await promisify(execFile)('/bin/sh', ['-c', command], { env: { PATH: process.env.PATH } });
    const explained = stdout
      .split('\n')
      .filter((line) => /^\S/.test(line))
      .map((line) => line.split(' ')[0]);
    expect(explained).toEqual(granted);
  });

  test('says why a role is not granted', async () => {
    const r = await run(['explain', '--config', demoFile, '--groups', 'rambridge-readonly', '--role', 'prod-ops'], demoEnv);
    expect(r.stdout).toBe(
      [
        'NOT GRANTED prod-ops (acs:ram::5555666677778888:role/rambridge-prod-ops)',
        '  grant operators: needs one of the groups "rambridge-ops"',
        '',
      ].join('\n'),
    );
  });

  test('works from the mapping alone: no production secret set, the rest of the file unchecked', async () => {
    const r = await run(['explain', '--config', demoFile, '--groups', 'rambridge-dev', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((c: { role: string }) => c.role)).toEqual(['dev-admin', 'dev-readonly']);
  });

  test('a mapping that is wrong is still refused, with only the mapping problems', async () => {
    const r = await run(['explain', '--config', fixture('invalid-many.yaml'), '--groups', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('roles[2].account: unknown account "prod"');
    expect(r.stderr).not.toContain('server.colour');
  });

  test('in Chinese: the whole report; role ids, ARNs and names as configured, --json unchanged', async () => {
    const zh = { ...demoEnv, LANG: 'zh_CN.UTF-8' };
    const listed = await run(['explain', '--config', demoFile, '--groups', 'rambridge-readonly'], zh);
    expect(listed.stdout).toContain('dev-readonly  acs:ram::1111222233334444:role/rambridge-dev-readonly\n');
    expect(listed.stdout).toContain('  由授权 readers 授予：组“rambridge-readonly”匹配“rambridge-readonly”\n');
    const denied = await run(['explain', '--config', demoFile, '--groups', 'rambridge-readonly', '--role', 'prod-ops'], zh);
    expect(denied.stdout).toBe(
      [
        '未授予 prod-ops（acs:ram::5555666677778888:role/rambridge-prod-ops）',
        '  授权 operators：需要属于以下组之一：“rambridge-ops”',
        '',
      ].join('\n'),
    );
    expect((await run(['explain', '--config', demoFile, '--groups', 'x,y'], zh)).stdout).toBe('组 [x、y] 没有任何角色。\n');
    const json = ['explain', '--config', demoFile, '--groups', 'rambridge-dev', '--role', 'dev-admin', '--json'];
    expect((await run(json, zh)).stdout).toBe((await run(json, demoEnv)).stdout);
  });

  test('--json is machine-readable', async () => {
    const r = await run(['explain', '--config', demoFile, '--groups', 'rambridge-dev', '--json'], demoEnv);
    expect(JSON.parse(r.stdout).map((c: { role: string }) => c.role)).toEqual(['dev-admin', 'dev-readonly']);
  });
});

test.each(['summary', 'env'])(
  'creds --json with --format %s: a usage error as one JSON object, before any server is asked',
  async (format) => {
    const r = await run(['creds', 'dev-admin', '--json', '--format', format, '--server', 'http://127.0.0.1:9']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toMatchObject({
      error: { code: 'ERR_CLI_USAGE', message: expect.stringContaining(`--format ${format}`) as unknown },
    });
  },
);

describe('rambridge keys generate', () => {
  test.each([
    ['saml', 'issuer.samlKeys', 'upload the new metadata to the SAML provider of every RAM account'],
    ['oidc', 'issuer.oidcKeys', 'wait until STS has fetched the new JWKS (at least its max-age, 5 minutes'],
  ])(
    '--purpose %s: add the new key second, then move it first, as docs/operations.md says (first at once is an outage)',
    async (purpose, list, wait) => {
      const r = await run(['keys', 'generate', '--dir', mkdtempSync(join(tmpdir(), 'rambridge-keys-next-')), '--purpose', purpose]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Add it SECOND in ${list} (published, not signing yet) and roll out; ${wait}`);
      expect(r.stdout).toContain('then move it FIRST and roll out again. See docs/operations.md, "Key rotation without downtime".');
    },
  );

  test('in Chinese too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rambridge-keys-next-'));
    const r = await run(['keys', 'generate', '--dir', dir, '--purpose', 'saml'], { LANG: 'zh_CN.UTF-8' });
    expect(r.stdout).toContain('先将它添加为 issuer.samlKeys 的第二个密钥');
    expect(r.stdout).toContain('然后再把它移到第一位');
    expect(r.stdout).not.toContain('Add it');
  });

  test('in Chinese: the file labels and its usage errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rambridge-keys-next-'));
    const r = await run(['keys', 'generate', '--dir', dir, '--purpose', 'saml'], { LANG: 'zh_CN.UTF-8' });
    expect(r.stdout).toMatch(/^私钥 {2}\S+\.key\n证书 {2}\S+\.crt\n/);
    const bits = await run(['keys', 'generate', '--dir', dir, '--purpose', 'oidc', '--bits', '1024'], { LANG: 'zh_CN.UTF-8' });
    expect(bits.stderr).toMatch(/^rambridge: error: --bits 只能是 2048、3072、4096\n/);
  });

  test('--bits 3072 writes an RSA key of that size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rambridge-keys-bits-'));
    const r = await run(['keys', 'generate', '--dir', dir, '--purpose', 'oidc', '--bits', '3072']);
    expect(r.code).toBe(0);
    const path = /^private key {2}(\S+)$/m.exec(r.stdout)![1]!;
    expect(createPrivateKey(readFileSync(path)).asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  test.each([
    ['a size it does not offer', ['--bits', '1024'], '--bits is 2048, 3072, 4096'],
    ['a size for an ES256 key', ['--alg', 'ES256', '--bits', '2048'], '--bits is for RSA keys'],
  ])('%s: a usage error, and no file written', async (_name, flags, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'rambridge-keys-bits-'));
    const r = await run(['keys', 'generate', '--dir', dir, '--purpose', 'oidc', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(readdirSync(dir)).toEqual([]);
  });
});

test.each([
  [['creds'], 'missing required argument role', '缺少必需的参数 role'],
  [
    ['creds', 'dev-admin', '--format', 'xml'],
    '--format: "xml" is not one of summary, env, json, process, aliyun-profile',
    '--format 的值“xml”无效，可选值：summary, env, json, process, aliyun-profile',
  ],
  [['creds', 'dev-admin', '-d'], 'option --duration needs a value', '选项 --duration 缺少值'],
  [['nosuchcmd'], 'unknown command nosuchcmd', '未知命令 nosuchcmd'],
  [['creds', 'dev-admin', '--jsno'], 'unknown option --jsno (did you mean --json?)', '未知选项 --jsno（你是否想输入 --json？）'],
  [
    ['console', 'dev-admin', '--service', 'ecs', '--destination', 'https://x'],
    '--service cannot be used with --destination',
    '--service 不能与 --destination 同时使用',
  ],
])('usage error %j: the sentence in the CLI’s language', async (args, english, chinese) => {
  expect((await run(args, { LANG: 'C' })).stderr).toMatch(new RegExp(`^rambridge: error: ${escapeRegex(english)}\n`));
  expect((await run(args, { LANG: 'zh_CN.UTF-8' })).stderr).toMatch(new RegExp(`^rambridge: error: ${escapeRegex(chinese)}\n`));
});

test('a usage error with --json is one JSON object with a stable code, like every other error', async () => {
  const r = await run(['creds', 'dev-admin', '--json', '-d'], { LANG: 'C' });
  expect(r.code).toBe(2);
  expect(JSON.parse(r.stderr)).toEqual({
    error: {
      code: 'ERR_CLI_USAGE',
      message: 'option --duration needs a value',
      hint: 'rambridge creds --help shows the usage',
      exitCode: 2,
    },
  });
  // After `--`, --json belongs to the command exec runs; as an option's value it is that value; a
  // command without --json cannot ask for it.
  for (const args of [
    ['exec', '--bogus', '--', 'env', '--json'],
    ['creds', 'dev-admin', '--justification', '--json', '--bogus'],
    ['completion', 'bash', '--json'],
  ]) {
    expect((await run(args, { LANG: 'C' })).stderr).toMatch(/^rambridge: error: unknown option --(bogus|json)\n/);
  }
});

test('the hint after a usage error names the command typed, subcommands included', async () => {
  const r = await run(['keys', 'generate', '--dir', tmpdir(), '--bogus'], { LANG: 'C' });
  expect(r.stderr).toBe('rambridge: error: unknown option --bogus\nhint: rambridge keys generate --help shows the usage\n');
});

test.each([
  [['emulator', '--config', 'x.yaml', '--tls-cert', 'c.pem'], '--tls-cert 和 --tls-key 须同时给出，或都不给出'],
  [['demo', '--shutdown-grace', '999'], '--shutdown-grace 的值“999”无效：应为 0–300 秒'],
  [['demo', '--port', 'abc'], '--port（或 PORT）应为端口号（0-65535），而不是“abc”'],
  [['serve', '--config', 'x.yaml', '--port', '99999'], '--port 的值“99999”无效：应为端口号（0-65535）'],
])('server command %j refused before it starts: in Chinese', async (args, chinese) => {
  const r = await run(args, { LANG: 'zh_CN.UTF-8' });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^rambridge: error: ${escapeRegex(chinese)}\n`, 'm'));
});

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('one error prefix for every command', () => {
  const home = mkdtempSync(join(tmpdir(), 'rambridge-errors-'));
  const cases: Array<[string, string[], number]> = [
    ['a client command (not logged in)', ['whoami', '--server', 'http://127.0.0.1:1'], 3],
    ["commander's usage errors", ['check-config', '--bogus'], 2],
    ['a client command given a bad flag', ['roles', '--bogus'], 2],
    ['an invalid configuration', ['check-config', fixture('invalid-many.yaml')], 2],
    ['a bad value found inside an administrator command', ['keys', 'generate', '--dir', home, '--purpose', 'nope'], 2],
  ];
  test.each(cases)('%s: "rambridge: error: …", a "hint:" where there is one, no stack trace', async (_name, args, exit) => {
    const r = await run(args, { HOME: home });
    expect(r.code).toBe(exit);
    expect(r.stderr).toMatch(/^rambridge: error: \S/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toMatch(/^\s+hint:/m);
  });
});

test('--help of a command ends with examples', async () => {
  const r = await run(['creds', '--help']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/\nExamples:\n {2}# .*\n {2}rambridge creds dev-admin\n/);
});

test('LANG=zh_CN: --help in Chinese, commands, flags and examples as typed', async () => {
  const r = await run(['--help'], { LANG: 'zh_CN.UTF-8' });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^用法：rambridge \[options\] \[command\]\n\n通过企业登录使用阿里云 RAM 角色/);
  expect(r.stdout).toContain('\n选项：\n  -V, --version ');
  expect(r.stdout).toMatch(/\n命令：\n {2}serve \[options\] +按配置文件运行桥接服务\n/);
  expect(r.stdout).toMatch(/\n {2}help \[command\] +显示命令帮助\n/);
  expect(r.stdout).toContain('\n示例：\n  # 每次会话登录一次\n  rambridge login --server https://rambridge.example.com\n');
  const creds = await run(['creds', '--help'], { LANG: 'zh_CN.UTF-8' });
  expect(creds.code).toBe(0);
  expect(creds.stdout).toMatch(/^用法：rambridge creds \[options\] <role>\n\n获取角色的临时凭证/);
  expect(creds.stdout).toMatch(/\n参数：\n {2}role +角色 ID、别名/);
  expect(creds.stdout).toMatch(/\n {2}-F, --format <format> +输出格式：summary/);
  expect(creds.stdout).toContain('（可选值："summary"，"env"，"json"，');
  expect(creds.stdout).toMatch(/\n {2}-h, --help +显示命令帮助\n/);
  expect(creds.stdout).toContain('\n示例：\n  # 摘要，不含密钥（在终端上）\n  rambridge creds dev-admin\n');
  expect(creds.stdout).not.toMatch(/Usage:|Options:|Arguments:|Examples:|display help|\(default:|choices:/);
});

test('LANG=zh_CN: a usage error and its hint in Chinese, its prefix and the command as typed', async () => {
  const r = await run(['roles', '--bogus'], { LANG: 'zh_CN.UTF-8' });
  expect(r.code).toBe(2);
  expect(r.stderr).toBe('rambridge: error: 未知选项 --bogus\nhint: 运行 rambridge roles --help 查看用法。\n');
  const exec = await run(['exec', 'dev-admin'], { LANG: 'zh_CN.UTF-8' });
  expect(exec.stderr).toContain('\nhint: 在命令前加上 --，例如 rambridge exec dev-admin -- aliyun ecs DescribeRegions\n');
  const english = await run(['roles', '--bogus'], { LANG: 'C' });
  expect(english.stderr).toContain('\nhint: rambridge roles --help shows the usage\n');
});

test('LANG=C: --help is the English it always was', async () => {
  const r = await run(['creds', '--help'], { LANG: 'C' });
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    [
      'Usage: rambridge creds [options] <role>',
      '',
      'temporary credentials for a role, cached until 5 minutes before they expire',
      '',
      'Arguments:',
      '  role                    role id, alias (RAM role name, name without the',
      '                          account) or a unique fuzzy match',
      '',
      'Options:',
      '  --server <url>          rambridge server (default: RAMBRIDGE_SERVER, else the',
      '                          last one logged in to)',
      '  --json                  machine-readable output, errors included',
      '  -d, --duration <time>   session length: 900, 15m, 1h, 1h30m, 12h (default: the',
      '                          last one you chose for the role, else 1h or the role',
      '                          maximum if lower); cut, with a note, to what is left',
      '                          of your session',
      '  --justification <text>  why you need an elevated role (recorded by the server;',
      '                          always fetches new credentials)',
      '  -F, --format <format>   output: summary (the default on a terminal) never',
      '                          shows secrets; env is the default otherwise (choices:',
      '                          "summary", "env", "json", "process", "aliyun-profile")',
      '  --profile <name>        aliyun-profile: the profile to write (default:',
      '                          rambridge-ROLE, the name configure-aliyun gives it)',
      '  --region <id>           aliyun-profile: region_id of a new profile (default:',
      "                          the current profile's)",
      '  -h, --help              display help for command',
      '',
      'Examples:',
      '  # a summary, no secret (on a terminal)',
      '  rambridge creds dev-admin',
      '  # the keys into this shell',
      '  eval "$(rambridge creds dev-admin --format env)"',
      '  # an elevated role, for 30 minutes',
      '  rambridge creds prod-admin -d 30m --justification "INC-42: fix orders DB"',
      '  # a profile for the aliyun CLI',
      '  rambridge creds dev-readonly --format aliyun-profile --profile dev',
      '',
      '',
    ].join('\n'),
  );
  const top = await run(['--help'], { LANG: 'C', LC_MESSAGES: 'zh_CN.UTF-8', LC_ALL: 'C' });
  expect(top.stdout).toMatch(/^Usage: rambridge \[options\] \[command\]\n\nCorporate sign-in/);
  expect(top.stdout).toMatch(/\n {2}help \[command\] +display help for command\n/);
  expect(top.stdout).not.toMatch(/[\u4e00-\u9fff]/);
});

test('LANG=zh_CN: the messages in Chinese, the prefixes as everywhere', async () => {
  const home = mkdtempSync(join(tmpdir(), 'rambridge-zh-'));
  const r = await run(['whoami', '--server', 'http://127.0.0.1:1'], { HOME: home, LANG: 'zh_CN.UTF-8' });
  expect(r.code).toBe(3);
  expect(r.stderr).toBe('rambridge: error: 你尚未登录 http://127.0.0.1:1。\nhint: 请运行：rambridge login --server http://127.0.0.1:1\n');
  const english = await run(['whoami', '--server', 'http://127.0.0.1:1'], { HOME: home, LANG: 'en_US.UTF-8' });
  expect(english.stderr).toContain('You are not logged in to http://127.0.0.1:1.');
});
