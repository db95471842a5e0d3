import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext } from '../../../src/cli/client/context.js';
import { deviceLogin } from '../../../src/cli/client/device-login.js';
import { bridgeWithEmulator } from '../../helpers/bridge.js';
import { runBuiltCli, storeCliLogin } from '../../helpers/built-cli.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { ALICE, decide, loggedIn, signedIn } from '../../helpers/device-flow.js';

/**
 * The built `rambridge` against a real bridge (and the emulator) whose CLI sessions end soon: the
 * bridge's clock stands still, so what is left of the session is `device.sessionMaxAgeSeconds`
 * exactly: `GET /api/roles` says so in `maxDurationNow`, and `POST /api/credentials` cuts to it and
 * says what it granted (`durationSeconds`), or refuses under 900 s.
 */

let op: FakeOp;
beforeAll(async () => (op = await FakeOp.start()));
afterAll(() => op?.close());

/** A bridge whose CLI sessions last `seconds`, and a HOME logged in to it. */
async function loggedInFor(seconds: number) {
  const bridge = await bridgeWithEmulator(op, { logLevel: 'warn', config: (c) => (c.device.sessionMaxAgeSeconds = seconds) });
  const home = mkdtempSync(join(tmpdir(), 'rambridge-ending-'));
  const { tokens } = await loggedIn(bridge, op, ALICE);
  await storeCliLogin(home, bridge.publicUrl, tokens);
  return runIn(bridge, home);
}

/** The built `rambridge`, with HOME `home`, against `bridge`. */
function runIn(bridge: Awaited<ReturnType<typeof bridgeWithEmulator>>, home: string) {
  const run = (...args: string[]) => runBuiltCli(bridge.publicUrl, home, args);
  return { bridge, run };
}

describe('40 min left of the CLI session', () => {
  let setup: Awaited<ReturnType<typeof loggedInFor>>;
  beforeAll(async () => (setup = await loggedInFor(2400)));
  afterAll(() => setup?.bridge.close());
  const cut = (requested: string) =>
    `Credentials for 40 min, not ${requested}: your rambridge session ends in 40 min. For longer ones: rambridge login --server ${setup.bridge.publicUrl}\n`;

  test('rambridge roles shows what can be had now beside the role’s maximum', async () => {
    const { code, stdout } = await setup.run('roles');
    expect(code).toBe(0);
    expect(stdout).toMatch(/ dev-readonly .*\(up to 12 h, 39 min now: session ends in 40 min\)/);
  });

  test('creds without -d: stdout is the tool’s JSON alone; the cut is said once on stderr', async () => {
    const first = await setup.run('creds', 'dev-readonly', '--format', 'process');
    expect(first).toMatchObject({ code: 0, stderr: cut('1 h') });
    expect(JSON.parse(first.stdout)).toMatchObject({ mode: 'StsToken' });
    // The choice is what the server remembers; the credentials last what was left.
    expect(setup.bridge.audits().at(-1)).toMatchObject({ roleId: 'dev-readonly', durationSeconds: 2400, requestedDurationSeconds: 3600 });
    const cached = await setup.run('creds', 'dev-readonly', '--format', 'process');
    expect(cached).toEqual({ code: 0, stdout: first.stdout, stderr: '' });
  });

  test('creds -d 12h: the same cut and line; over the role’s maximum stays exit 2', async () => {
    const json = await setup.run('creds', 'dev-readonly', '-d', '12h', '--format', 'json');
    expect(json).toMatchObject({ code: 0, stderr: cut('12 h') });
    expect(JSON.parse(json.stdout)).toMatchObject({ accessKeyId: expect.any(String), durationSeconds: 2400 });
    const over = await setup.run('creds', 'dev-admin', '-d', '12h', '--format', 'env');
    expect(over).toMatchObject({ code: 2, stdout: '' });
    expect(over.stderr).toContain('dev-admin allows sessions of at most 4 h.');
  });
});

describe('15 min 50 s left: nothing is offered, what the server still grants is had', () => {
  let setup: Awaited<ReturnType<typeof loggedInFor>>;
  beforeAll(async () => (setup = await loggedInFor(950)));
  afterAll(() => setup?.bridge.close());

  test('roles: none now', async () => {
    expect((await setup.run('roles')).stdout).toContain('(up to 12 h, none now: session ends in under 16 min)');
  });

  test('creds: the server’s 15 min 50 s, with the line', async () => {
    const { code, stdout, stderr } = await setup.run('creds', 'dev-readonly', '--format', 'process');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ mode: 'StsToken' });
    expect(stderr).toBe(
      `Credentials for 15 min, not 1 h: your rambridge session ends in 15 min. For longer ones: rambridge login --server ${setup.bridge.publicUrl}\n`,
    );
    expect(setup.bridge.audits().at(-1)).toMatchObject({ durationSeconds: 950, requestedDurationSeconds: 3600 });
  });
});

describe('14 min 10 s left: too soon for credentials', () => {
  let setup: Awaited<ReturnType<typeof loggedInFor>>;
  beforeAll(async () => (setup = await loggedInFor(850)));
  afterAll(() => setup?.bridge.close());

  test('creds: the server refuses before STS; exit 3 with its words and rambridge login the way out', async () => {
    const { code, stdout, stderr } = await setup.run('creds', 'dev-readonly', '--format', 'process');
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      'rambridge: error: Your rambridge session ends in 14 min: too soon for credentials, which last at least 15 min and never outlive the session that asked for them.',
    );
    expect(stderr).toContain(`hint: Run: rambridge login --server ${setup.bridge.publicUrl}`);
    expect(stderr).not.toContain('Sign out');
    expect(setup.bridge.audits()).toEqual([]);
  });
});

describe('rambridge login, as the line advises', () => {
  let setup: Awaited<ReturnType<typeof loggedInFor>> & { home: string };
  beforeAll(async () => {
    const bridge = await bridgeWithEmulator(op, { logLevel: 'warn' }); // 12 h CLI sessions
    const home = mkdtempSync(join(tmpdir(), 'rambridge-relogin-cut-'));
    setup = { ...runIn(bridge, home), home };
  });
  afterAll(() => setup?.bridge.close());

  /** `rambridge login` itself (the device flow), approved in the browser as Alice. */
  async function login(): Promise<void> {
    const { bridge, home } = setup;
    let shown = '';
    let approved: Promise<unknown> | undefined;
    await deviceLogin(createContext({ HOME: home }), bridge.publicUrl, {
      stream: { write: (text: string) => Boolean((shown += text)) },
      sleep: async () => {
        const code = /Enter code:\s+(\S+)/.exec(shown)![1]!;
        await (approved ??= signedIn(bridge, op, ALICE).then((browser) => decide(browser, code, 'approve')));
      },
    });
  }

  /** Ages every CLI session of the bridge: 40 min left of it. */
  async function fortyMinutesLeft(): Promise<void> {
    const { bridge } = setup;
    const entries = (bridge.store as unknown as { entries: Map<string, unknown> }).entries;
    for (const key of [...entries.keys()].filter((k) => k.startsWith('cli:session:')))
      await bridge.store.update<{ expiresAt: number }>(key, (s) => ({ ...s, expiresAt: bridge.clock.now() + 2400_000 }));
  }

  test('the cut credentials are cached for that session only; those not cut stay cached', async () => {
    const { run, bridge } = setup;
    await login();
    await fortyMinutesLeft();
    const cut = await run('creds', 'dev-readonly', '-d', '1h', '--format', 'json');
    expect(cut.stderr).toContain('Credentials for 40 min, not 1 h');
    const cutKey = (JSON.parse(cut.stdout) as { accessKeyId: string }).accessKeyId;
    const whole = await run('creds', 'dev-readonly', '-d', '15m', '--format', 'process');
    expect(whole).toMatchObject({ code: 0, stderr: '' });
    // Within that session, the cut ones are served again (fast path), without a line.
    expect(await run('creds', 'dev-readonly', '-d', '1h', '--format', 'process')).toMatchObject({
      code: 0,
      stderr: '',
      stdout: expect.stringContaining(cutKey),
    });

    await login();
    // The fast path misses: new credentials of the length asked for, from the new session.
    const fresh = await run('creds', 'dev-readonly', '-d', '1h', '--format', 'process');
    expect(fresh).toMatchObject({ code: 0, stderr: '' });
    expect(fresh.stdout).not.toContain(cutKey);
    const json = await run('creds', 'dev-readonly', '-d', '1h', '--format', 'json');
    expect(JSON.parse(json.stdout)).toMatchObject({ durationSeconds: 3600 });
    expect(fresh.stdout).toContain((JSON.parse(json.stdout) as { accessKeyId: string }).accessKeyId);
    // Those not cut are still the ones cached.
    expect(await run('creds', 'dev-readonly', '-d', '15m', '--format', 'process')).toEqual(whole);
    // One issuance each: the cut one, the one not cut, and the fresh one after the login.
    expect(bridge.audits().map((a) => [a.roleId, a.durationSeconds])).toEqual([
      ['dev-readonly', 2400],
      ['dev-readonly', 900],
      ['dev-readonly', 3600],
    ]);
  });
});
