import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { jest } from '@jest/globals';
import {
  chmodSync,
  chownSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditOnDescriptor, sessionsCommand, sessionsReport } from '../../../src/cli/commands/sessions.js';
import type { CliSession } from '../../../src/device/index.js';
import { ManualClock } from '../../../src/clock.js';
import { CliSessions } from '../../../src/device/index.js';
import { MemoryStore } from '../../../src/store/index.js';
import { useLanguage } from '../../../src/cli/i18n/index.js';
import { configFromYaml } from '../../helpers/config.js';

const SESSION: CliSession = {
  sid: 'sid-1',
  identity: { idp: 'corp', issuer: 'https://idp', subject: 'alice-sub', email: 'alice@example.com', groups: [], amr: [] },
  client: { clientId: 'rambridge-cli', host: 'laptop', ip: '10.0.0.1', version: '0.1.0' },
  createdAt: Date.UTC(2026, 0, 1, 8),
  expiresAt: Date.UTC(2026, 0, 1, 20),
  refreshHash: 'hash-never-shown',
};

describe('rambridge sessions', () => {
  test.each(['list', 'revoke'] as const)('%s with the memory store says it needs a shared store, and exits 2', async (action) => {
    const result = await sessionsCommand(configFromYaml(''), action, { user: 'alice@example.com' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('memory store');
    expect(result.stderr).toContain('shared store (Redis');
  });

  test('the report names each session by id, user, host, address and lifetime, never a token hash', () => {
    const text = sessionsReport([SESSION], 'list', { user: 'alice@example.com' });
    expect(text).toBe(
      '1 live CLI session for alice@example.com\n' +
        '  sid-1  alice@example.com  laptop  10.0.0.1  since 2026-01-01T08:00:00.000Z  until 2026-01-01T20:00:00.000Z\n',
    );
    const json = JSON.parse(sessionsReport([SESSION], 'revoke', { user: 'alice-sub', json: true }));
    expect(json).toEqual({
      revoked: [expect.objectContaining({ sid: 'sid-1', subject: 'alice-sub', clientHost: 'laptop', clientVersion: '0.1.0' })],
    });
    expect(JSON.stringify(json)).not.toContain('hash-never-shown');
    expect(sessionsReport([], 'revoke', { user: 'bob' })).toBe('0 CLI sessions revoked for bob\n');
  });

  test('revoke refuses a --user that names users of two IdPs, and --idp picks one', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore(clock);
    const sessions = new CliSessions({ store, clock, maxAgeSeconds: 3600 });
    const alice = SESSION.identity;
    await sessions.start(alice, SESSION.client);
    await sessions.start({ ...alice, idp: 'partner', issuer: 'https://partner-idp', email: undefined }, SESSION.client);
    const one = configFromYaml('store: {type: redis, url: "redis://127.0.0.1:1"}');
    const config = { ...one, idps: [...one.idps, { ...one.idps[0]!, id: 'partner', issuer: 'https://partner-idp' }] };
    // The command closes its store when done; this one must outlive each run.
    const unclosable = Object.assign(Object.create(store) as MemoryStore, { close: () => Promise.resolve() });
    const run = (opts: { user: string; idp?: string }) => sessionsCommand(config, 'revoke', opts, clock, () => unclosable);

    const refused = await run({ user: 'alice-sub' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--idp');
    expect(await sessions.listForUser('alice-sub')).toHaveLength(2);

    expect((await run({ user: 'alice-sub', idp: 'partner' })).code).toBe(0);
    expect((await sessions.listForUser('alice-sub')).map((s) => s.identity.idp)).toEqual(['corp']);
  });

  test('revoke writes one cli-session-revoked record (by: admin) per session to audit.destination, never a token', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore(clock);
    const sessions = new CliSessions({ store, clock, maxAgeSeconds: 3600 });
    const started = await sessions.start(SESSION.identity, SESSION.client);
    await sessions.start({ ...SESSION.identity, subject: 'bob-sub', email: 'bob@example.com' }, SESSION.client);
    const file = join(mkdtempSync(join(tmpdir(), 'rambridge-audit-')), 'audit.log');
    writeFileSync(file, ''); // serve created it
    const config = configFromYaml(`store: {type: redis, url: "redis://127.0.0.1:1"}\naudit: {destination: ${file}}`);
    const unclosable = Object.assign(Object.create(store) as MemoryStore, { close: () => Promise.resolve() });

    const result = await sessionsCommand(config, 'revoke', { user: 'alice@example.com' }, clock, () => unclosable);
    expect(result.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    const records = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records).toEqual([
      expect.objectContaining({
        audit: true,
        stream: 'audit',
        event: 'cli-session-revoked',
        by: 'admin',
        sid: started.session.sid,
        user: { idp: 'corp', issuer: 'https://idp', subject: 'alice-sub', email: 'alice@example.com' },
        msg: 'CLI session revoked',
      }),
    ]);
    expect(text).not.toContain(started.refreshToken);
    expect(text).not.toContain(started.session.refreshHash);
    // Listing is not a change of access: no record.
    await sessionsCommand(config, 'list', { user: 'bob-sub' }, clock, () => unclosable);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  test.each(['list', 'revoke'] as const)(
    '%s --idp with an IdP the configuration does not have (a typo): exit 2 naming the configured ones; nothing revoked',
    async (action) => {
      const clock = new ManualClock();
      const store = new MemoryStore(clock);
      const sessions = new CliSessions({ store, clock, maxAgeSeconds: 3600 });
      await sessions.start(SESSION.identity, SESSION.client);
      const config = configFromYaml('store: {type: redis, url: "redis://127.0.0.1:1"}');
      const unclosable = Object.assign(Object.create(store) as MemoryStore, { close: () => Promise.resolve() });
      const result = await sessionsCommand(config, action, { user: 'alice@example.com', idp: 'Corp' }, clock, () => unclosable);
      expect(result).toMatchObject({ code: 2, stdout: '' });
      expect(result.stderr).toContain('No IdP "Corp" in this configuration (its IdPs: corp)');
      expect(await sessions.listForUser('alice@example.com')).toHaveLength(1);
      const json = await sessionsCommand(config, action, { user: 'alice@example.com', idp: 'Corp', json: true }, clock, () => unclosable);
      expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'ERR_CLI_USAGE', exitCode: 2 } });
    },
  );

  test.each(['list', 'revoke'] as const)(
    '%s --idp with an IdP removed from the configuration reaches its sessions still in the store',
    async (action) => {
      const clock = new ManualClock();
      const store = new MemoryStore(clock);
      const sessions = new CliSessions({ store, clock, maxAgeSeconds: 3600 });
      await sessions.start(SESSION.identity, SESSION.client);
      await sessions.start({ ...SESSION.identity, idp: 'partner', issuer: 'https://partner-idp' }, SESSION.client);
      const config = configFromYaml('store: {type: redis, url: "redis://127.0.0.1:1"}'); // partner removed
      const unclosable = Object.assign(Object.create(store) as MemoryStore, { close: () => Promise.resolve() });
      const result = await sessionsCommand(
        config,
        action,
        { user: 'alice@example.com', idp: 'partner', json: true },
        clock,
        () => unclosable,
      );
      expect(result.code).toBe(0);
      const rows = JSON.parse(result.stdout) as { idp: string }[] | { revoked: { idp: string }[] };
      expect((Array.isArray(rows) ? rows : rows.revoked).map((r) => r.idp)).toEqual(['partner']);
      const left = (await sessions.listForUser('alice@example.com')).map((s) => s.identity.idp);
      expect(left).toEqual(action === 'list' ? ['corp', 'partner'] : ['corp']);
      // Once none is left under it, the id is a typo again.
      if (action === 'revoke') {
        const again = await sessionsCommand(config, action, { user: 'alice@example.com', idp: 'partner' }, clock, () => unclosable);
        expect(again).toMatchObject({ code: 2, stdout: '' });
      }
    },
  );

  test('revoke with an audit file that refuses writes (ENOSPC): exit 1 naming the sessions revoked but not recorded', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore(clock);
    const sessions = new CliSessions({ store, clock, maxAgeSeconds: 3600 });
    const started = await sessions.start(SESSION.identity, SESSION.client);
    const config = configFromYaml('store: {type: redis, url: "redis://127.0.0.1:1"}\naudit: {destination: /dev/full}');
    const unclosable = Object.assign(Object.create(store) as MemoryStore, { close: () => Promise.resolve() });
    // Not a regular file, so refused as audit.destination (below): here it stands for a full disk.
    const full = () => auditOnDescriptor(openSync('/dev/full', 'a'), '/dev/full');

    const result = await sessionsCommand(config, 'revoke', { user: 'alice-sub', json: true }, clock, () => unclosable, full);
    expect(await sessions.listForUser('alice-sub')).toEqual([]); // revoked all the same
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).revoked).toEqual([expect.objectContaining({ sid: started.session.sid })]);
    expect(JSON.parse(result.stderr)).toEqual({
      error: {
        code: 'ERR_CLI_AUDIT_NOT_RECORDED',
        message: `1 CLI session was revoked, and its record may not be in the audit stream (/dev/full): ${started.session.sid}.`,
        hint: expect.stringContaining('by hand'),
        exitCode: 1,
      },
    });
  });

  test('records refused and then written before the end are not named as unrecorded; the rest may be, and are', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore(clock);
    const sessions = new CliSessions({ store, clock, maxAgeSeconds: 3600 });
    for (let i = 0; i < 3; i++) await sessions.start(SESSION.identity, SESSION.client);
    const file = join(mkdtempSync(join(tmpdir(), 'rambridge-audit-')), 'audit.log');
    writeFileSync(file, '');
    const fd = openSync(file, 'a');
    const config = configFromYaml(`store: {type: redis, url: "redis://127.0.0.1:1"}\naudit: {destination: ${file}}`);
    const unclosable = Object.assign(Object.create(store) as MemoryStore, { close: () => Promise.resolve() });
    // The disk refuses the first record, takes it and the second with the second, then refuses the third for good.
    const realWrite = fs.writeSync;
    let writes = 0;
    const spy = jest.spyOn(fs, 'writeSync').mockImplementation((...args: Parameters<typeof fs.writeSync>) => {
      if (args[0] !== fd || [2, 3].includes(++writes)) return (realWrite as (...a: unknown[]) => number)(...args);
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    try {
      const result = await sessionsCommand(
        config,
        'revoke',
        { user: 'alice-sub', json: true },
        clock,
        () => unclosable,
        () => auditOnDescriptor(fd, file),
      );
      const revoked = (JSON.parse(result.stdout) as { revoked: Array<{ sid: string }> }).revoked.map((r) => r.sid);
      const written = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { sid: string }).sid);
      expect(written).toEqual(revoked.slice(0, 2));
      expect(result.code).toBe(1);
      const { message } = (JSON.parse(result.stderr) as { error: { message: string } }).error;
      expect(message).toContain(revoked[2]);
      for (const sid of written) expect(message).not.toContain(sid);
    } finally {
      spy.mockRestore();
    }
  });

  describe('revoke as the CLI runs it, audit.destination: stderr (a memory store stands in for Redis)', () => {
    const dist = (file: string) => JSON.stringify(new URL(`../../../dist/${file}`, import.meta.url).href);
    // `sessions` sessions revoked; `firstLine`: only the report’s first line on stdout.
    const script = (sessions: number, { json = false, firstLine = false } = {}) => `
      const { sessionsCommand } = await import(${dist('cli/commands/sessions.js')});
      const { parseConfigText } = await import(${dist('config/index.js')});
      const { MemoryStore } = await import(${dist('store/index.js')});
      const { CliSessions } = await import(${dist('device/index.js')});
      const { systemClock } = await import(${dist('clock.js')});
      const config = parseConfigText(${JSON.stringify(
        `server: {publicUrl: "https://bridge.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}\n` +
          'idps: [{id: corp, type: oidc, issuer: "https://idp", clientId: rambridge}]\n' +
          'store: {type: redis, url: "redis://127.0.0.1:1"}\naudit: {destination: stderr}',
      )}, {});
      const store = new MemoryStore(systemClock);
      const sessions = new CliSessions({ store, clock: systemClock, maxAgeSeconds: 3600 });
      for (let i = 0; i < ${sessions}; i++) await sessions.start(${JSON.stringify(SESSION.identity)}, ${JSON.stringify(SESSION.client)});
      const result = await sessionsCommand(config, 'revoke', { user: 'alice-sub', json: ${json} }, systemClock, () => store);
      process.stdout.write(${firstLine ? "result.stdout.split('\\n')[0] + '\\n'" : 'result.stdout'});
      process.stderr.write(result.stderr);
      process.exitCode = result.code;
    `;
    // `shell(node)`: the shell command line around the node command.
    const run = (code: string, shell: (node: string) => string) =>
      spawnSync('/bin/sh', ['-c', shell(`"${process.execPath}" --input-type=module -e '${code.replace(/'/g, `'\\''`)}'`)], {
        encoding: 'utf8',
        timeout: 25_000,
      });
    const records = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.includes('"cli-session-revoked"'))
        .map((l) => (JSON.parse(l) as { sid: string }).sid); // each whole

    test.each([
      ['2>/dev/full', (node: string) => `${node} 2>/dev/full; echo "exit $?"`],
      ['a stderr reader gone', (node: string) => `{ { ${node} 2>&1 >&3; echo "exit $?" >&3; } | true; } 3>&1`],
    ])('revoke --json, %s: exit 1, and stdout is the report, and only the report', (_, shell) => {
      const child = run(script(3, { json: true }), shell);
      const [report, exit] = child.stdout.split(/(?<=\n)(?=exit \d+\n$)/);
      expect(exit).toBe('exit 1\n');
      expect(report).not.toContain('audit-write-failed');
      expect((JSON.parse(report!) as { revoked: unknown[] }).revoked).toHaveLength(3);
    });

    // 400 sessions, nobody reading for 5 s: writes wait 2 s, then the records are kept; they wait for the reader.
    test('with 2>&1 and a slow reader: the records kept for the full pipe wait for it, and the verdict counts what was written', () => {
      const child = run(script(400, { firstLine: true }), (node) => `{ ${node} 2>&1; echo "exit $?"; } | (sleep 5; cat)`);
      expect(child.stdout).not.toContain('may not be in the audit stream');
      expect(child.stdout).toContain('400 CLI sessions revoked for alice-sub');
      expect(new Set(records(child.stdout)).size).toBe(400);
      expect(child.stdout).toMatch(/\nexit 0\n$/);
    }, 25_000);

    test('with stderr a pipe of its own and a slow reader: the records kept for the full pipe wait for it, and the verdict counts what was written', () => {
      const child = run(script(400), (node) => `{ ${node} 2>&1 >/dev/null; echo "exit $?"; } | (sleep 5; cat)`);
      expect(child.stdout).not.toContain('may not be in the audit stream');
      expect(new Set(records(child.stdout)).size).toBe(400);
      expect(child.stdout).toMatch(/\nexit 0\n$/);
    }, 25_000);
  });

  describe('revoke opens the audit file serve created, never through a symbolic link, and only as its owner', () => {
    const revokeWith = async (destination: string) => {
      const clock = new ManualClock();
      const store = new MemoryStore(clock);
      const sessions = new CliSessions({ store, clock, maxAgeSeconds: 3600 });
      await sessions.start({ ...SESSION.identity, email: 'a$(id>/tmp/pwned)@example.com' }, SESSION.client);
      const config = configFromYaml(`store: {type: redis, url: "redis://127.0.0.1:1"}\naudit: {destination: ${destination}}`);
      const unclosable = Object.assign(Object.create(store) as MemoryStore, { close: () => Promise.resolve() });
      const run = sessionsCommand(config, 'revoke', { user: 'alice-sub' }, clock, () => unclosable);
      const problems = await run.then(
        () => [],
        (err: { problems?: Array<{ path: string; message: string }> }) => err.problems,
      );
      return { problems, left: await sessions.listForUser('alice-sub') };
    };
    const dir = () => mkdtempSync(join(tmpdir(), 'rambridge-audit-'));

    test('a symbolic link (the service user may write the directory; root runs this): refused, its target untouched, nothing revoked', async () => {
      const d = dir();
      writeFileSync(join(d, 'victim.rc'), 'export PATH=/usr/bin\n');
      symlinkSync(join(d, 'victim.rc'), join(d, 'audit.log'));
      const { problems, left } = await revokeWith(join(d, 'audit.log'));
      expect(problems).toEqual([
        { path: 'audit.destination', message: `${join(d, 'audit.log')} is a symbolic link: name the audit file itself` },
      ]);
      expect(left).toHaveLength(1);
      expect(readFileSync(join(d, 'victim.rc'), 'utf8')).toBe('export PATH=/usr/bin\n');
    });

    test('a missing file (or directory) is not created: serve creates it', async () => {
      const missing = join(dir(), 'logs', 'audit.log');
      const { problems, left } = await revokeWith(missing);
      expect(problems).toEqual([{ path: 'audit.destination', message: expect.stringContaining(`cannot open ${missing}: no such file`) }]);
      expect(left).toHaveLength(1);
      expect(existsSync(join(missing, '..'))).toBe(false);
    });

    test('a hard link (another name of a file the service user cannot write): refused, the file untouched', async () => {
      const d = dir();
      writeFileSync(join(d, 'crontab'), 'SHELL=/bin/sh\n');
      linkSync(join(d, 'crontab'), join(d, 'audit.log'));
      const { problems, left } = await revokeWith(join(d, 'audit.log'));
      expect(problems).toEqual([
        { path: 'audit.destination', message: `${join(d, 'audit.log')} has 2 names (hard links): name a file of its own` },
      ]);
      expect(left).toHaveLength(1);
      expect(readFileSync(join(d, 'crontab'), 'utf8')).toBe('SHELL=/bin/sh\n');
    });

    test('a symbolic link on the way to it, or a directory others may change: refused', async () => {
      const d = dir();
      mkdirSync(join(d, 'real'));
      writeFileSync(join(d, 'real', 'audit.log'), '');
      symlinkSync(join(d, 'real'), join(d, 'logs'));
      const viaLink = await revokeWith(join(d, 'logs', 'audit.log'));
      expect(viaLink.problems).toEqual([
        { path: 'audit.destination', message: expect.stringContaining(`${join(d, 'logs')} (on the way to`) },
      ]);
      expect(viaLink.problems![0]!.message).toContain('is a symbolic link');
      expect(viaLink.left).toHaveLength(1);

      chmodSync(join(d, 'real'), 0o777); // anyone may swap the file for another (no sticky bit)
      const open = await revokeWith(join(d, 'real', 'audit.log'));
      expect(open.problems).toEqual([{ path: 'audit.destination', message: expect.stringContaining('may be changed by other users') }]);
      expect(readFileSync(join(d, 'real', 'audit.log'), 'utf8')).toBe('');
    });

    test('a FIFO nobody reads: refused at once, not a command hanging in open', async () => {
      const fifo = join(dir(), 'audit.log');
      execFileSync('mkfifo', [fifo]);
      const { problems, left } = await revokeWith(fifo);
      expect(problems).toEqual([{ path: 'audit.destination', message: expect.stringContaining(`cannot open ${fifo}`) }]);
      expect(left).toHaveLength(1);
    });

    test('not a regular file (a device): refused', async () => {
      const { problems, left } = await revokeWith('/dev/null');
      expect(problems).toEqual([{ path: 'audit.destination', message: '/dev/null is not a regular file' }]);
      expect(left).toHaveLength(1);
    });

    (process.geteuid?.() === 0 ? test : test.skip)(
      'another user’s file (root running it): refused, naming the user to run as',
      async () => {
        const file = join(dir(), 'audit.log');
        writeFileSync(file, '');
        chownSync(file, 65534, 65534);
        const { problems, left } = await revokeWith(file);
        expect(problems).toEqual([{ path: 'audit.destination', message: expect.stringContaining(`${file} belongs to nobody`) }]);
        expect(problems![0]!.message).toContain('run it as nobody');
        expect(left).toHaveLength(1);
        expect(readFileSync(file, 'utf8')).toBe('');
      },
    );
  });

  describe('in zh-CN', () => {
    beforeAll(() => useLanguage('zh-CN'));
    afterAll(() => useLanguage('en'));

    test('the report and the refusals are Chinese; ids, users, hosts and times as they are; --json unchanged', async () => {
      expect(
        sessionsReport([SESSION, { ...SESSION, sid: 'sid-2', client: { ...SESSION.client, host: undefined } }], 'list', {
          user: 'alice@example.com',
        }),
      ).toBe(
        'alice@example.com 的有效 CLI 会话：2 个\n' +
          '  sid-1  alice@example.com  laptop  10.0.0.1  创建于 2026-01-01T08:00:00.000Z  到期于 2026-01-01T20:00:00.000Z\n' +
          '  sid-2  alice@example.com  （无主机名）  10.0.0.1  创建于 2026-01-01T08:00:00.000Z  到期于 2026-01-01T20:00:00.000Z\n',
      );
      expect(sessionsReport([], 'revoke', { user: 'bob' })).toBe('已撤销 bob 的 0 个 CLI 会话\n');
      const json = sessionsReport([SESSION], 'revoke', { user: 'alice-sub', json: true });
      useLanguage('en');
      expect(sessionsReport([SESSION], 'revoke', { user: 'alice-sub', json: true })).toBe(json);
      useLanguage('zh-CN');
      const memory = await sessionsCommand(configFromYaml(''), 'list', { user: 'alice@example.com' });
      expect(memory.stderr).toBe(
        'rambridge: error: 此配置使用内存存储，CLI 会话保存在运行中的服务器进程内，此命令无法访问。\n' +
          'hint: 请配置共享存储（Redis：`store: {type: redis, url: redis://…}`，供桥接服务和此命令共用），才能在这里列出或撤销会话。在此之前，重启服务器会结束所有 CLI 会话。\n',
      );
    });
  });
});
