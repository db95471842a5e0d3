import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { AliyunConfig } from '../../../src/cli/client/aliyun-config.js';
import { createContext } from '../../../src/cli/client/context.js';
import { REFRESH_MARGIN_MS } from '../../../src/cli/client/credential-cache.js';
import { credentialEnvironment } from '../../../src/cli/client/credential-env.js';
import { cutNotice } from '../../../src/cli/client/cut-notice.js';
import { credentialsUriBody } from '../../../src/cli/client/credential-server.js';
import {
  credentialQuery,
  laterCredentials,
  obtainCredentials,
  repeatQuery,
  useCredentials,
} from '../../../src/cli/client/credential-source.js';
import { formatProcess, formatSummary } from '../../../src/cli/client/formats.js';
import { writeProfile } from '../../../src/cli/commands/creds.js';
import { useLanguage } from '../../../src/cli/i18n/index.js';
import { ROLES } from '../../unit/cli/fixtures.js';
import { SERVER, type FakeBridge } from './fake-bridge.js';
import { fakeSetup, loggedIn } from './setup.js';

async function ready() {
  const setup = fakeSetup();
  setup.bridge.roles = ROLES;
  await loggedIn(setup.context(), setup.bridge, setup.clock);
  return setup;
}

test('first call: roles and credentials from the server; second: no request at all', async () => {
  const { bridge, context } = await ready();
  const first = await obtainCredentials(context(), { server: SERVER, role: 'admin' });
  expect(first).toMatchObject({ role: { id: 'dev-admin' }, durationSeconds: 3600, fromCache: false });
  expect(bridge.calls).toEqual(['GET /api/roles', 'POST /api/credentials']);

  bridge.calls.length = 0;
  const second = await obtainCredentials(context(), { server: SERVER, role: 'dev-adm' });
  expect(second).toMatchObject({ fromCache: true, credentials: { accessKeyId: first.credentials.accessKeyId } });
  expect(bridge.calls).toEqual([]);
});

test('with the local clock 2 h slow, cached credentials last as long as the server says they do', async () => {
  const { bridge, clock, context } = await ready();
  clock.set(Date.now() - 2 * 3_600_000);
  await obtainCredentials(context(), { server: SERVER, role: 'dev-admin' });
  clock.advance(54 * 60_000); // 6 min left by the server's clock: more than the refresh margin
  await expect(obtainCredentials(context(), { server: SERVER, role: 'dev-admin' })).resolves.toMatchObject({ fromCache: true });
  clock.advance(2 * 60_000); // 4 min left: new ones
  await expect(obtainCredentials(context(), { server: SERVER, role: 'dev-admin' })).resolves.toMatchObject({ fromCache: false });
  expect(bridge.count('POST /api/credentials')).toBe(2);
});

test('with the local clock 30 min fast, cached credentials are never kept past their expiration', async () => {
  const { bridge, clock, context } = await ready();
  clock.set(Date.now() + 30 * 60_000);
  await obtainCredentials(context(), { server: SERVER, role: 'dev-admin' });
  clock.advance(24 * 60_000); // 6 min left by their expiration (36 by the server's clock)
  await expect(obtainCredentials(context(), { server: SERVER, role: 'dev-admin' })).resolves.toMatchObject({ fromCache: true });
  clock.advance(2 * 60_000); // 4 min left: new ones
  await expect(obtainCredentials(context(), { server: SERVER, role: 'dev-admin' })).resolves.toMatchObject({ fromCache: false });
  expect(bridge.count('POST /api/credentials')).toBe(2);
});

test.each([
  // The server's answer, on the local clock: 1 h, not 3 h.
  ['2 h slow', -2 * 3_600_000, '(1 h left)', '(40 min left), from the local cache'],
  // By their expiration, as their reuse is judged: never more than they have.
  ['30 min fast', 30 * 60_000, '(30 min left)', '(10 min left), from the local cache'],
])('with the local clock %s, the time shown as left is the one their reuse is judged by', async (_, skew, fresh, cached) => {
  const { clock, context } = await ready();
  clock.set(Date.now() + skew);
  const first = await obtainCredentials(context(), { server: SERVER, role: 'dev-admin' });
  expect(formatSummary({ ...first, now: clock.now() })).toContain(fresh);
  clock.advance(20 * 60_000);
  const again = await obtainCredentials(context(), { server: SERVER, role: 'dev-admin' });
  expect(formatSummary({ ...again, now: clock.now() })).toContain(cached);
});

test('with the local clock 2 h slow, every expiration handed to another program is the one by the local clock, fresh or cached', async () => {
  const { bridge, clock, context, home } = await ready();
  const serverNow = Date.parse('2026-01-01T10:00:00Z');
  bridge.now = () => serverNow;
  clock.set(serverNow - 2 * 3_600_000);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    for (const fromCache of [false, true]) {
      const obtained = await obtainCredentials(context(), { server: SERVER, role: 'dev-admin' });
      expect(obtained).toMatchObject({ fromCache, credentials: { expiration: '2026-01-01T11:00:00.000Z' } });
      // An hour after they arrived, by the clock these programs judge it by: not three.
      const local = '2026-01-01T09:00:00Z';
      expect(JSON.parse(formatProcess(obtained))).toMatchObject({ expiration: local });
      expect(credentialsUriBody(obtained).Expiration).toBe(local);
      expect(credentialEnvironment(obtained).RAMBRIDGE_CREDENTIALS_EXPIRATION).toBe(local);
      await writeProfile(context(), SERVER, obtained, {});
      const config = JSON.parse(readFileSync(join(home, '.aliyun', 'config.json'), 'utf8')) as AliyunConfig;
      expect(config.profiles?.[0]).toMatchObject({ sts_expiration: Date.parse(local) / 1000 });
      clock.advance(20 * 60_000);
    }
  } finally {
    jest.restoreAllMocks();
  }
});

test('the first answer tells other programs the expiration the cache keeps, however long the cache took to write', async () => {
  const { bridge, home } = await ready();
  const serverNow = Date.parse('2026-01-01T10:00:00Z');
  bridge.now = () => serverNow;
  // The local clock 2 h slow and moving on 600 ms at each reading, as a real one does while the cache file is written.
  let now = serverNow - 2 * 3_600_000 + 300;
  const moving = () => createContext({ HOME: home }, { fetch: bridge.fetch, clock: { now: () => (now += 600) } });
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const fresh = await obtainCredentials(moving(), { server: SERVER, role: 'dev-admin' });
    const cached = await obtainCredentials(moving(), { server: SERVER, role: 'dev-admin' });
    expect(cached).toMatchObject({ fromCache: true, localExpiresAt: fresh.localExpiresAt });
    expect(formatProcess(fresh)).toBe(formatProcess(cached));
  } finally {
    jest.restoreAllMocks();
  }
});

test('the default duration is capped by the role; longer than the role allows is refused locally', async () => {
  const { bridge, context } = await ready();
  await expect(obtainCredentials(context(), { server: SERVER, role: 'prod-ops' })).resolves.toMatchObject({ durationSeconds: 3600 });
  await expect(obtainCredentials(context(), { server: SERVER, role: 'prod-ops', durationSeconds: 7200 })).rejects.toMatchObject({
    code: 'ERR_CLI_DURATION_INVALID',
    message: 'prod-ops allows sessions of at most 1 h.',
    hint: 'Use --duration 1h or less.',
  });
  expect(bridge.count('POST /api/credentials')).toBe(1);
});

test('in zh-CN the role’s limit is a Chinese length, the hint what to type', async () => {
  const { context } = await ready();
  useLanguage('zh-CN');
  try {
    await expect(obtainCredentials(context(), { server: SERVER, role: 'prod-ops', durationSeconds: 7200 })).rejects.toMatchObject({
      message: 'prod-ops 的会话最长为 1 小时。',
      hint: '请使用 --duration 1h 或更短。',
    });
  } finally {
    useLanguage('en');
  }
});

test('a justification always asks the server (it audits each reason)', async () => {
  const { bridge, context } = await ready();
  await obtainCredentials(context(), { server: SERVER, role: 'prod-ops' });
  await obtainCredentials(context(), { server: SERVER, role: 'prod-ops', justification: 'incident 42' });
  expect(bridge.count('POST /api/credentials')).toBe(2);
});

test('an elevated role is never answered from or kept in the cache: each use needs the server’s yes to a reason', async () => {
  const { bridge, context } = await ready();
  const ctx = context();
  const first = await obtainCredentials(ctx, { server: SERVER, role: 'prod-ops', justification: 'incident 42' });
  const again = await obtainCredentials(ctx, { server: SERVER, role: 'prod-ops' });
  expect([first.fromCache, again.fromCache]).toEqual([false, false]);
  expect(bridge.count('POST /api/credentials')).toBe(2);
  const user = (await ctx.sessions.get(SERVER))!.user;
  expect(
    await ctx.cache.get({ server: SERVER, user: `${user.idp}/${user.subject}`, role: 'prod-ops', durationSeconds: 3600 }),
  ).toBeUndefined();
});

test('credentials sent for with a reason are not kept, even for a role the remembered catalogue does not know as elevated', async () => {
  const { bridge, context } = await ready();
  const ctx = context();
  await obtainCredentials(ctx, { server: SERVER, role: 'dev-readonly' }); // the catalogue is remembered
  bridge.roles = ROLES.map((r) => (r.id === 'dev-admin' ? { ...r, elevated: true } : r)); // made elevated since
  const justified = await obtainCredentials(ctx, { server: SERVER, role: 'dev-admin', justification: 'incident 42' });
  const again = await obtainCredentials(ctx, { server: SERVER, role: 'dev-admin' });
  expect(again.fromCache).toBe(false);
  expect(again.credentials.accessKeyId).not.toBe(justified.credentials.accessKeyId);
});

test('credential-server’s later requests: an elevated role asks again with the same reason, another from the cache without one', async () => {
  const { context } = await ready();
  const ctx = context();
  const elevated = credentialQuery(SERVER, 'ops', { justification: 'incident 42 on prod' });
  const first = await obtainCredentials(ctx, elevated);
  expect(repeatQuery(elevated, first.role)).toEqual({ ...elevated, role: 'prod-ops' });
  const plain = credentialQuery(SERVER, 'dev-readonly', { justification: 'not needed' });
  const other = await obtainCredentials(ctx, plain);
  expect(repeatQuery(plain, other.role)).toEqual({ ...plain, role: 'dev-readonly', justification: undefined });
});

test('credential-server holds an elevated role’s latest credentials in memory only, and asks again with the reason when they near expiry', async () => {
  const { bridge, clock, home } = await ready();
  bridge.now = () => clock.now(); // the clocks agree
  const reasons: unknown[] = [];
  const ctx = createContext(
    { HOME: home },
    {
      clock,
      fetch: (input, init) => {
        if (input.endsWith('/api/credentials'))
          reasons.push((JSON.parse(init?.body as string) as { justification?: string }).justification);
        return bridge.fetch(input, init);
      },
    },
  );
  const request = credentialQuery(SERVER, 'ops', { justification: 'incident 42 on prod' });
  const first = await useCredentials(ctx, request);
  const later = laterCredentials(ctx, request, first);
  const nearExpiry = Date.parse(first.credentials.expiration) - REFRESH_MARGIN_MS;

  // Each aliyun command asks the server process: no issuance (no STS call, no MFA age check) while they last.
  clock.set(nearExpiry - 60_000);
  for (const served of await Promise.all([later(), later(), later()])) expect(served.credentials).toEqual(first.credentials);
  expect(bridge.count('POST /api/credentials')).toBe(1);
  for (const file of readdirSync(ctx.paths.dir)) {
    expect(readFileSync(join(ctx.paths.dir, file), 'utf8')).not.toContain(first.credentials.accessKeyId);
  }

  clock.set(nearExpiry + 1_000);
  const [renewed, together] = await Promise.all([later(), later()]);
  expect(renewed.credentials.accessKeyId).not.toBe(first.credentials.accessKeyId);
  expect(together.credentials).toEqual(renewed.credentials);
  // One issuance, reported new once: what it prints (served … new, a cut line) is said once, not per waiting request.
  expect([renewed.fromCache, together.fromCache]).toEqual([false, true]);
  expect((await later()).credentials).toEqual(renewed.credentials);
  expect(bridge.count('POST /api/credentials')).toBe(2);
  expect(reasons).toEqual(['incident 42 on prod', 'incident 42 on prod']);
});

test('parallel cache misses cost one issuance', async () => {
  const { bridge, context } = await ready();
  const all = await Promise.all(Array.from({ length: 4 }, () => obtainCredentials(context(), { server: SERVER, role: 'dev-readonly' })));
  expect(new Set(all.map((a) => a.credentials.accessKeyId)).size).toBe(1);
  expect(bridge.count('POST /api/credentials')).toBe(1);
});

test('a role added since the last listing is found by asking the server again', async () => {
  const { bridge, context } = await ready();
  bridge.roles = ROLES.slice(0, 1);
  await obtainCredentials(context(), { server: SERVER, role: 'dev-admin' });
  bridge.roles = ROLES;
  await expect(obtainCredentials(context(), { server: SERVER, role: 'prod-readonly' })).resolves.toMatchObject({
    role: { id: 'prod-readonly' },
  });
  expect(bridge.count('GET /api/roles')).toBe(2);
});

test('the server refusing a role: exit 4 with its message and request id', async () => {
  const { bridge, context } = await ready();
  await obtainCredentials(context(), { server: SERVER, role: 'dev-admin' });
  bridge.roles = ROLES.slice(1);
  await expect(obtainCredentials(context(), { server: SERVER, role: 'dev-admin', durationSeconds: 900 })).rejects.toMatchObject({
    code: 'ERR_CLI_NOT_ALLOWED',
    exitCode: 4,
    message: 'You may not use this role.',
    serverCode: 'ERR_ROLE_NOT_GRANTED',
    requestId: 'req-9',
  });
});

describe('near the end of the CLI session: the server cuts, and says what it granted', () => {
  /** A session of the server's with `left` ms to go, the clocks agreeing; stderr captured. */
  async function ending(left: number) {
    const setup = await ready();
    setup.bridge.now = () => setup.clock.now();
    setup.bridge.sessionEndsAt = setup.clock.now() + left;
    const stderr: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (stderr.push(String(chunk)), true));
    return { ...setup, stderr };
  }
  afterEach(() => jest.restoreAllMocks());
  const cutLine = (duration: string, requested: string, ends: string) =>
    `Credentials for ${duration}, not ${requested}: your rambridge session ends in ${ends}. For longer ones: rambridge login --server ${SERVER}\n`;

  test('40 min left: the default length is cut by the server, said once on stderr', async () => {
    const { bridge, clock, context, stderr } = await ending(40 * 60_000);
    const first = await useCredentials(context(), { server: SERVER, role: 'dev-readonly' });
    expect(first).toMatchObject({ durationSeconds: 3600, credentials: { durationSeconds: 2400 }, fromCache: false });
    expect(stderr).toEqual([cutLine('40 min', '1 h', '40 min')]);
    // The length chosen is sent (the server cuts it and remembers the choice), and they last 40 min.
    expect(bridge.credentialRequests).toEqual([{ role: 'dev-readonly', durationSeconds: 3600 }]);
    expect(Date.parse(first.credentials.expiration) - clock.now()).toBe(40 * 60_000);

    const again = await useCredentials(context(), { server: SERVER, role: 'dev-readonly' });
    expect(again).toMatchObject({ fromCache: true, credentials: first.credentials });
    expect(cutNotice(again, SERVER)).toBeUndefined();
    expect(stderr).toHaveLength(1);
  });

  test('an explicit -d within the role’s maximum is cut the same way; over it stays an error', async () => {
    const { bridge, context, stderr } = await ending(40 * 60_000);
    await expect(useCredentials(context(), { server: SERVER, role: 'dev-readonly', durationSeconds: 43_200 })).resolves.toMatchObject({
      durationSeconds: 43_200,
      credentials: { durationSeconds: 2400 },
    });
    expect(stderr).toEqual([cutLine('40 min', '12 h', '40 min')]);
    await expect(obtainCredentials(context(), { server: SERVER, role: 'dev-admin', durationSeconds: 43_200 })).rejects.toMatchObject({
      code: 'ERR_CLI_DURATION_INVALID',
      message: 'dev-admin allows sessions of at most 4 h.',
    });
    expect(bridge.count('POST /api/credentials')).toBe(1);
  });

  test('a length the session can still give is not cut and says nothing', async () => {
    const { context, stderr } = await ending(40 * 60_000);
    const obtained = await useCredentials(context(), { server: SERVER, role: 'dev-readonly', durationSeconds: 1800 });
    expect(obtained.credentials.durationSeconds).toBe(1800);
    expect(cutNotice(obtained, SERVER)).toBeUndefined();
    expect(stderr).toEqual([]);
  });

  test('with the role list remembered hours ago, one creds near the end is one request: no list asked again', async () => {
    const { bridge, clock, context, stderr } = await ending(12 * 3_600_000);
    await useCredentials(context(), { server: SERVER, role: 'dev-admin' });
    expect(stderr).toEqual([]);
    clock.advance(11 * 3_600_000 + 20 * 60_000); // 40 min left
    bridge.calls.length = 0;
    await expect(useCredentials(context(), { server: SERVER, role: 'dev-readonly' })).resolves.toMatchObject({
      credentials: { durationSeconds: 2400 },
    });
    // The access token, hours old, is refreshed (as with any request); the bridge API is asked once.
    expect(bridge.calls.filter((c) => c.includes('/api/'))).toEqual(['POST /api/credentials']);
    expect(stderr).toEqual([cutLine('40 min', '1 h', '40 min')]);
  });

  test('15 min 50 s left: what the server still grants is had, with the line', async () => {
    const { bridge, context, stderr } = await ending(15 * 60_000 + 50_000);
    await expect(useCredentials(context(), { server: SERVER, role: 'dev-readonly' })).resolves.toMatchObject({
      credentials: { durationSeconds: 950 },
      fromCache: false,
    });
    expect(stderr).toEqual([cutLine('15 min', '1 h', '15 min')]);
    expect(bridge.calls.filter((c) => c.includes('/api/'))).toEqual(['GET /api/roles', 'POST /api/credentials']);
  });

  test('under 15 min left: the server’s refusal is exit 3 with its words and rambridge login the way out; after a new login it works', async () => {
    const { bridge, clock, context } = await ending(14 * 60_000 + 10_000);
    await expect(obtainCredentials(context(), { server: SERVER, role: 'dev-readonly' })).rejects.toMatchObject({
      code: 'ERR_CLI_REAUTH_REQUIRED',
      exitCode: 3,
      serverCode: 'ERR_NOT_SIGNED_IN',
      message: 'Your rambridge session ends in 14 min: too soon for credentials.',
      hint: `Run: rambridge login --server ${SERVER}`,
    });
    // The CLI asked nothing more than the list it had not yet and the credentials.
    expect(bridge.calls.filter((c) => c.includes('/api/'))).toEqual(['GET /api/roles', 'POST /api/credentials']);

    bridge.sessionEndsAt = clock.now() + 12 * 3_600_000; // a new login
    await expect(obtainCredentials(context(), { server: SERVER, role: 'dev-readonly' })).resolves.toMatchObject({
      fromCache: false,
      credentials: { durationSeconds: 3600 },
    });
  });

  test('in zh-CN the line is Chinese', async () => {
    const { context, stderr } = await ending(40 * 60_000);
    useLanguage('zh-CN');
    try {
      await useCredentials(context(), { server: SERVER, role: 'dev-readonly' });
      expect(stderr).toEqual([
        `凭证有效期为 40 分钟，而非 1 小时：你的 rambridge 会话将在 40 分钟后结束。如需更长的凭证，请运行：rambridge login --server ${SERVER}\n`,
      ]);
    } finally {
      useLanguage('en');
    }
  });

  test('credential-server says it for new credentials only, not each time it serves an elevated role’s held ones', async () => {
    const { context } = await ending(40 * 60_000);
    const ctx = context();
    const request = credentialQuery(SERVER, 'ops', { justification: 'incident 42 on prod' });
    const first = await obtainCredentials(ctx, request);
    expect(cutNotice(first, SERVER)).toBe(cutLine('40 min', '1 h', '40 min').trimEnd());
    const served = await laterCredentials(ctx, request, first)();
    expect(served).toMatchObject({ fromCache: true, credentials: first.credentials });
    expect(cutNotice(served, SERVER)).toBeUndefined();
  });

  test.each([
    ['that cuts but does not say so (no durationSeconds)', (bridge: FakeBridge) => (bridge.answersDuration = false)],
    ['older than maxDurationNow', (bridge: FakeBridge) => (bridge.sessionEndsAt = undefined)],
  ])('a server %s: nothing said, one request as before', async (_name, older) => {
    const { bridge, context, stderr } = await ending(40 * 60_000);
    older(bridge);
    await useCredentials(context(), { server: SERVER, role: 'dev-admin' });
    bridge.calls.length = 0;
    const obtained = await useCredentials(context(), { server: SERVER, role: 'dev-readonly' });
    expect(obtained.credentials).not.toHaveProperty('durationSeconds');
    expect(bridge.calls).toEqual(['POST /api/credentials']);
    expect(stderr).toEqual([]);
  });
});
