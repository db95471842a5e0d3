import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { constants, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { RunningDemo } from '../../src/demo/index.js';
import { createStsClient } from '../../src/sts/index.js';
import { artifactPath, chromiumForFile } from '../helpers/browser.js';
import { completeSignIn, startTestDemo } from '../helpers/demo.js';

/**
 * Issue 6, done when: the real built CLI logs in through the device flow approved in real
 * Chromium, then hands out credentials in every format that the emulated STS accepts, from its
 * cache without any network call, and that @alicloud/credentials consumes through both the
 * External (process) profile and the credential server.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/rambridge.js');

// A demo of this file's own: its last test stops the bridge. The browser is the shared one.
let demo: RunningDemo;
let demoClosed = false;
const chromium = chromiumForFile();
let home: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  demo = await startTestDemo();
  home = mkdtempSync(join(tmpdir(), 'rambridge-cli-home-'));
  // No DISPLAY and RAMBRIDGE_NO_BROWSER: the CLI must never start a browser of its own here.
  env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), RAMBRIDGE_NO_BROWSER: '1', LANG: 'C' };
});
afterAll(async () => {
  if (!demoClosed) await demo?.close();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...(options.nodeArgs ?? []), bin, ...args],
      { env: options.env ?? env, cwd: tmpdir() },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr: withoutRuntimeWarning(stderr) });
      },
    );
  });
}

/** oidc-provider (loaded by the server commands of the same binary) warns on Node 20 at import. */
function withoutRuntimeWarning(stderr: string): string {
  return stderr.replace(/^oidc-provider WARNING: Unsupported runtime.*\n/m, '');
}

/** Starts `rambridge login` and resolves once it has printed the link that fills in the code. */
function startLogin(): Promise<{ link: string; code: string; done: Promise<Run> }> {
  const child = spawn(process.execPath, [bin, 'login', '--server', demo.bridgeUrl], { env, cwd: tmpdir() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr })));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      const link = /^\s+(http\S+\/device\?user_code=\S+)$/m.exec(stderr)?.[1];
      const code = /Enter code:\s+([A-Z]{4}-[A-Z]{4})/.exec(stderr)?.[1];
      if (link && code) resolve({ link, code, done });
    });
    void done.then((r) => reject(new Error(`login ended before printing a link: ${r.stderr}`)));
  });
}

/** Opens the link in a fresh browser, signs in at the development IdP as `user`, checks what the
 * confirmation page says about the requester, and clicks `decision`. */
async function decideInBrowser(link: string, code: string, user: string, decision: 'device-approve' | 'device-deny'): Promise<Page> {
  const page = await (await chromium.browser.newContext()).newPage();
  await page.goto(link);
  await completeSignIn(page, demo, user);
  await page.waitForURL((url) => url.href.startsWith(`${demo.bridgeUrl}/device`));
  await expect(page.getByTestId('device-code-input').inputValue()).resolves.toBe(code);
  await page.getByTestId('device-code-submit').click();
  await page.getByTestId('device-confirm').waitFor();
  await expect(page.getByTestId('device-user-code').textContent()).resolves.toBe(code);
  await expect(page.getByTestId('device-client-host').textContent()).resolves.toBe(hostname());
  await expect(page.getByTestId('device-client-id').textContent()).resolves.toContain('rambridge-cli');
  await page.getByTestId(decision).click();
  return page;
}

const sts = () => createStsClient({ endpoint: new URL(demo.emulatorUrl).host, protocol: 'http' });

async function callerArn(keys: { accessKeyId: string; accessKeySecret: string; securityToken: string }): Promise<string> {
  const who = await sts().getCallerIdentity(keys);
  expect(who.identityType).toBe('AssumedRoleUser');
  return who.arn;
}

test('a login denied in the browser ends with exit code 6 and stores nothing', async () => {
  const login = await startLogin();
  const page = await decideInBrowser(login.link, login.code, 'alice', 'device-deny');
  await page.getByTestId('device-denied').waitFor();
  await page.context().close();
  const result = await login.done;
  expect(result.code).toBe(6);
  expect(result.stderr).toContain('denied in the browser');
  expect((await cli(['whoami', '--server', demo.bridgeUrl])).code).toBe(3);
});

test('login: approved in Chromium as alice, tokens stored 0600 in a 0700 directory', async () => {
  const login = await startLogin();
  const page = await decideInBrowser(login.link, login.code, 'alice', 'device-approve');
  await page.getByTestId('device-approved').waitFor();
  await page.screenshot({ path: artifactPath('cli-device-approved.png'), fullPage: true });
  await page.context().close();

  const result = await login.done;
  expect(result.stderr).toContain(`Signed in to ${demo.bridgeUrl} as alice@example.com`);
  expect(result.code).toBe(0);
  const dir = join(home, '.config', 'rambridge');
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  expect(statSync(join(dir, 'sessions.json')).mode & 0o777).toBe(0o600);
  expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ server: demo.bridgeUrl });
});

test('whoami and roles use the stored session', async () => {
  const me = await cli(['whoami', '--json']);
  expect(me.code).toBe(0);
  expect(JSON.parse(me.stdout)).toMatchObject({ server: demo.bridgeUrl, email: 'alice@example.com' });

  const roles = await cli(['roles']);
  expect(roles.code).toBe(0);
  expect(roles.stdout).toMatch(/^Development {2}1111222233334444\n {4}dev-admin +Full access/m);
  const filtered = JSON.parse((await cli(['roles', 'prd', 'ops', '--json'])).stdout) as { roles: Array<{ id: string }> };
  expect(filtered.roles.map((r) => r.id)).toEqual(['prod-ops']);
});

let first: { accessKeyId: string; accessKeySecret: string; securityToken: string; expiration: string };

test('creds in every format: the emulated STS accepts them', async () => {
  const json = await cli(['creds', 'dev-readonly', '--format', 'json']);
  expect(json.code).toBe(0);
  first = JSON.parse(json.stdout);
  expect(await callerArn(first)).toContain('rambridge-dev-readonly');
  expect(Date.parse(first.expiration) - Date.now()).toBeGreaterThan(3600_000 - 120_000);

  // Not a TTY: env is the default, shell-quoted, and the same (cached) keys.
  const envOut = await cli(['creds', 'dev-readonly']);
  const value = (name: string) => new RegExp(`^export ${name}='?([^'\\n]+)'?$`, 'm').exec(envOut.stdout)![1]!;
  expect(value('ALIBABA_CLOUD_ACCESS_KEY_ID')).toBe(first.accessKeyId);
  expect(value('ALIBABA_CLOUD_SECURITY_TOKEN')).toBe(first.securityToken);

  const processOut = JSON.parse((await cli(['creds', 'dev-readonly', '--format', 'process'])).stdout);
  expect(Object.keys(processOut)).toEqual(['mode', 'access_key_id', 'access_key_secret', 'sts_token', 'expiration']);
  expect(processOut).toMatchObject({ mode: 'StsToken', access_key_id: first.accessKeyId, sts_token: first.securityToken });
  expect(processOut.expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const summary = await cli(['creds', 'dev-readonly', '--format', 'summary']);
  expect(summary.stdout).toContain('Credentials for dev-readonly');
  for (const secret of [first.accessKeySecret, first.securityToken]) expect(summary.stdout + summary.stderr).not.toContain(secret);

  // Another duration is another cache entry: new keys, also accepted.
  const longerRun = await cli(['creds', 'dev-admin', '--duration', '2h', '--format', 'json']);
  expect(longerRun.stderr).toBe('');
  const longer = JSON.parse(longerRun.stdout);
  expect(longer.accessKeyId).not.toBe(first.accessKeyId);
  expect(await callerArn(longer)).toContain('rambridge-dev-admin');
});

test('aliyun-profile writes one StsToken profile and keeps the others and unknown fields', async () => {
  const aliyunDir = join(home, '.aliyun');
  mkdirSync(aliyunDir, { recursive: true });
  const personal = {
    name: 'personal',
    mode: 'AK',
    access_key_id: 'LTAIpersonal',
    access_key_secret: 'x',
    region_id: 'eu-central-1',
    plugin_thing: { keep: true },
  };
  writeFileSync(join(aliyunDir, 'config.json'), JSON.stringify({ current: 'personal', profiles: [personal], meta_path: '', extra: 1 }));

  const result = await cli(['creds', 'dev-readonly', '--format', 'aliyun-profile', '--profile', 'dev']);
  expect(result.code).toBe(0);
  const config = JSON.parse(readFileSync(join(aliyunDir, 'config.json'), 'utf8'));
  expect(config).toMatchObject({ current: 'personal', extra: 1 });
  expect(config.profiles[0]).toEqual(personal);
  expect(config.profiles[1]).toMatchObject({
    name: 'dev',
    mode: 'StsToken',
    access_key_id: first.accessKeyId,
    sts_token: first.securityToken,
    region_id: 'eu-central-1',
  });
  expect(statSync(join(aliyunDir, 'config.json')).mode & 0o777).toBe(0o600);
});

test('a second creds within the hour makes no network call at all', async () => {
  // Any fetch in the CLI process throws: a cache miss or a token refresh would fail with exit 5.
  const offline = ['--import', 'data:text/javascript,globalThis.fetch=async()=>{throw new TypeError("network used")}'];
  const cached = await cli(['creds', 'dev-readonly', '--format', 'json'], { nodeArgs: offline });
  expect(cached.stderr).toBe('');
  expect(cached.code).toBe(0);
  expect(JSON.parse(cached.stdout).accessKeyId).toBe(first.accessKeyId);
  // The check itself works: something not cached does need the network.
  expect((await cli(['creds', 'prod-readonly', '--format', 'json'], { nodeArgs: offline })).code).toBe(5);
});

test('exec runs the command with the credentials and passes its exit code through', async () => {
  const script =
    'console.log(JSON.stringify({id:process.env.ALIBABA_CLOUD_ACCESS_KEY_ID,secret:process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET,token:process.env.ALIBABA_CLOUD_SECURITY_TOKEN,alias:process.env.ALICLOUD_ACCESS_KEY_ID,role:process.env.RAMBRIDGE_ROLE}))';
  const run = await cli(['exec', 'dev-readonly', '--', process.execPath, '-e', script]);
  expect(run.code).toBe(0);
  const seen = JSON.parse(run.stdout);
  expect(seen).toEqual({
    id: first.accessKeyId,
    secret: first.accessKeySecret,
    token: first.securityToken,
    alias: first.accessKeyId,
    role: 'dev-readonly',
  });
  expect(await callerArn({ accessKeyId: seen.id, accessKeySecret: seen.secret, securityToken: seen.token })).toContain(
    'rambridge-dev-readonly',
  );

  expect((await cli(['exec', 'dev-readonly', '--', process.execPath, '-e', 'process.exit(7)'])).code).toBe(7);
  expect((await cli(['exec', 'dev-readonly', '--', 'no-such-command-rambridge'])).code).toBe(127);
});

test('exec: a command killed by a signal is reported as the shell reports it, never as success', async () => {
  // Node ignores SIGPIPE and starts its inspector on SIGUSR1: re-raising those exited 0.
  const pipe = await cli(['exec', 'dev-readonly', '--', 'sh', '-c', 'kill -PIPE $$']);
  expect(pipe.code).toBe(128 + constants.signals.SIGPIPE);
  const usr1 = await cli(['exec', 'dev-readonly', '--', 'sh', '-c', 'kill -USR1 $$']);
  expect(usr1.code).toBe(128 + constants.signals.SIGUSR1);
  expect(usr1.stderr).not.toContain('Debugger listening');
  // A terminating signal is raised again, so the caller sees the same death.
  const term = await new Promise<NodeJS.Signals | null>((resolve) =>
    execFile(process.execPath, [bin, 'exec', 'dev-readonly', '--', 'sh', '-c', 'kill -TERM $$'], { env, cwd: tmpdir() }, (err) =>
      resolve((err as { signal?: NodeJS.Signals } | null)?.signal ?? null),
    ),
  );
  expect(term).toBe('SIGTERM');
});

test('exec: the aliyun CLI is told to ignore its profiles (it prefers a profile’s keys to the environment), keeping the profile’s region', async () => {
  // The user's own profile, with keys of their own: the command must not act as it. (The file the
  // tests before wrote is put back after.)
  const config = join(home, '.aliyun', 'config.json');
  const before = readFileSync(config);
  writeFileSync(
    config,
    JSON.stringify({ current: 'mine', profiles: [{ name: 'mine', mode: 'AK', access_key_id: 'LTAI-own', region_id: 'cn-shanghai' }] }),
  );
  const script =
    'console.log(JSON.stringify({ignore:process.env.ALIBABA_CLOUD_IGNORE_PROFILE,profile:process.env.ALIBABA_CLOUD_PROFILE ?? null,alias:process.env.ALICLOUD_PROFILE ?? null,region:process.env.ALIBABA_CLOUD_REGION_ID}))';
  const run = await cli(['exec', 'dev-readonly', '--', process.execPath, '-e', script], {
    env: { ...env, ALIBABA_CLOUD_PROFILE: 'mine', ALICLOUD_PROFILE: 'mine' },
  });
  expect(run.code).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ ignore: 'TRUE', profile: null, alias: null, region: 'cn-shanghai' });
  writeFileSync(config, before);
});

/** A separate process using the official SDK's default credential chain, as any tool would. */
function sdkConsumer(extraEnv: NodeJS.ProcessEnv): Promise<Run> {
  const script = `import Credential from '@alicloud/credentials';
    const c = await new Credential.default().getCredential();
    console.log(JSON.stringify({ accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret, securityToken: c.securityToken, provider: c.providerName }));`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { ...env, ...extraEnv } }, (err, stdout, stderr) =>
      resolve({ code: err ? 1 : 0, stdout, stderr }),
    );
  });
}

test('configure-aliyun: @alicloud/credentials runs the External profile and gets working keys', async () => {
  const result = await cli(['configure-aliyun']);
  expect(result.code).toBe(0);
  const config = JSON.parse(readFileSync(join(home, '.aliyun', 'config.json'), 'utf8'));
  const names = config.profiles.map((p: { name: string }) => p.name);
  expect(names).toEqual(
    expect.arrayContaining([
      'personal',
      'dev',
      'rambridge-dev-admin',
      'rambridge-dev-readonly',
      'rambridge-prod-ops',
      'rambridge-prod-readonly',
    ]),
  );
  const profile = config.profiles.find((p: { name: string }) => p.name === 'rambridge-dev-readonly');
  expect(profile).toMatchObject({
    mode: 'External',
    process_command: `${process.execPath} ${bin} creds dev-readonly --format process --server ${demo.bridgeUrl}`,
  });

  const consumed = await sdkConsumer({ ALIBABA_CLOUD_PROFILE: 'rambridge-dev-readonly' });
  expect(consumed.stderr).toBe('');
  const keys = JSON.parse(consumed.stdout);
  expect(keys.provider).toContain('cli_profile');
  // The profile held no keys: these can only come from running `rambridge creds` (its cache).
  expect(keys.accessKeyId).toBe(first.accessKeyId);
  expect(await callerArn(keys)).toContain('rambridge-dev-readonly');
});

test('credential-server: @alicloud/credentials reads ALIBABA_CLOUD_CREDENTIALS_URI; browsers are refused', async () => {
  const server = spawn(process.execPath, [bin, 'credential-server', '--role', 'dev-readonly'], { env, cwd: tmpdir() });
  let log = '';
  server.stderr.on('data', (d) => (log += d));
  try {
    const uri = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout.on('data', (d) => {
        out += d;
        const match = /^export ALIBABA_CLOUD_CREDENTIALS_URI='?(http:\/\/127\.0\.0\.1:\d+\/[\w-]{43})'?$/m.exec(out);
        if (match) resolve(match[1]!);
      });
      server.on('close', () => reject(new Error(`credential-server exited: ${log}`)));
    });
    const consumed = await sdkConsumer({ ALIBABA_CLOUD_CREDENTIALS_URI: uri, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: 'true' });
    expect(consumed.stderr).toBe('');
    const keys = JSON.parse(consumed.stdout);
    expect(keys.provider).toContain('credential_uri');
    expect(await callerArn(keys)).toContain('rambridge-dev-readonly');
    expect(log).toContain('served dev-readonly');

    // A web page that learnt the URL (or a rebinding attacker's) gets nothing: a browser sends Sec-Fetch-*.
    const page = await (await chromium.browser.newContext()).newPage();
    const answer = await page.goto(uri);
    expect(answer?.status()).toBe(403);
    expect(await page.content()).not.toContain(keys.accessKeyId);
    await page.context().close();
    expect(log).toContain('refused a request: a browser request');
    expect((await fetch(uri.replace(/\/[\w-]+$/, '/guess'))).status).toBe(404);
  } finally {
    server.kill('SIGTERM');
  }
});

test('role names: ambiguity and unknown roles are errors with distinct exit codes', async () => {
  const ambiguous = await cli(['creds', 'readonly', '--format', 'json']);
  expect(ambiguous.code).toBe(2);
  expect(ambiguous.stderr).toContain('dev-readonly (Development), prod-readonly (Production)');
  const unknown = await cli(['creds', 'zzz-nothing', '--json']);
  expect(unknown.code).toBe(4);
  expect(JSON.parse(unknown.stderr).error.code).toBe('ERR_CLI_ROLE_UNKNOWN');
});

test('with the bridge stopped, cached credentials are still served; logout then forgets them', async () => {
  await demo.close();
  demoClosed = true;
  const cached = await cli(['creds', 'dev-readonly', '--format', 'json']);
  expect(cached.code).toBe(0);
  expect(JSON.parse(cached.stdout).accessKeyId).toBe(first.accessKeyId);

  const out = await cli(['logout']);
  expect(out.code).toBe(0);
  expect(out.stderr).toContain('could not be told');
  const after = await cli(['creds', 'dev-readonly', '--format', 'json']);
  expect(after.code).toBe(3);
  expect(after.stderr).toContain('rambridge login');
});
