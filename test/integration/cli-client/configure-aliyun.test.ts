import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { AliyunConfig } from '../../../src/cli/client/aliyun-config.js';
import { writeJsonFile } from '../../../src/cli/client/secure-file.js';
import { configureAliyun } from '../../../src/cli/commands/configure-aliyun.js';
import { ROLES } from '../../unit/cli/fixtures.js';
import { SERVER } from './fake-bridge.js';
import { fakeSetup, loggedIn } from './setup.js';

/**
 * `configure-aliyun` writes one profile per role and leaves the aliyun CLI's `current` profile —
 * what every `aliyun` command without `--profile` runs as — alone unless `--set-current` names one.
 */
async function setup(existing?: AliyunConfig) {
  const s = fakeSetup();
  s.bridge.roles = ROLES;
  await loggedIn(s.context(), s.bridge, s.clock);
  const path = join(s.home, '.aliyun', 'config.json');
  if (existing) await writeJsonFile(path, existing, { dirMode: 0o755 });
  return { ...s, read: () => JSON.parse(readFileSync(path, 'utf8')) as AliyunConfig };
}

afterEach(() => jest.restoreAllMocks());

test('a new config file gets the profiles but no current profile', async () => {
  const { context, read } = await setup();
  await configureAliyun(context(), [], { server: SERVER });
  const config = read();
  expect(config.profiles?.map((p) => p.name)).toEqual(ROLES.filter((r) => !r.elevated).map((r) => `rambridge-${r.id}`));
  expect(config.current).toBeUndefined();
});

test('an elevated role gets no profile: every use needs a justification, which the aliyun CLI cannot give', async () => {
  const { context, read } = await setup();
  await expect(configureAliyun(context(), [], { server: SERVER })).resolves.toMatchObject({ skipped: ['prod-ops'] });
  expect(read().profiles?.map((p) => p.name)).not.toContain('rambridge-prod-ops');
  // Named, it is refused with the way that works, and nothing more is written.
  const before = read();
  await expect(configureAliyun(context(), ['dev-readonly', 'prod-ops'], { server: SERVER })).rejects.toMatchObject({
    code: 'ERR_CLI_USAGE',
    message: expect.stringContaining('prod-ops is elevated') as unknown,
    hint: expect.stringContaining('rambridge exec prod-ops --justification') as unknown,
  });
  expect(read()).toEqual(before);
});

test('an existing current profile stays current', async () => {
  const { context, read } = await setup({ current: 'personal', profiles: [{ name: 'personal', mode: 'AK', region_id: 'eu-central-1' }] });
  await configureAliyun(context(), [], { server: SERVER });
  expect(read().current).toBe('personal');
});

test('--set-current makes the named role current, and only one of the roles written', async () => {
  const { context, read } = await setup({ current: 'personal', profiles: [{ name: 'personal', mode: 'AK' }] });
  await expect(configureAliyun(context(), [], { server: SERVER, setCurrent: 'dev-readonly' })).resolves.toMatchObject({
    current: 'rambridge-dev-readonly',
  });
  expect(read().current).toBe('rambridge-dev-readonly');

  // A role the user has, but whose profile this run does not write: a usage error that says so.
  await expect(configureAliyun(context(), ['dev-readonly'], { server: SERVER, setCurrent: 'dev-admin' })).rejects.toMatchObject({
    code: 'ERR_CLI_USAGE',
    message: expect.stringContaining('--set-current names dev-admin, whose profile this run does not write') as unknown,
  });
  expect(read().current).toBe('rambridge-dev-readonly');
});
