import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { jest } from '@jest/globals';
import type { AliyunConfig } from '../../../src/cli/client/aliyun-config.js';
import { obtainCredentials, useCredentials, credentialQuery } from '../../../src/cli/client/credential-source.js';
import { logOut } from '../../../src/cli/client/logout.js';
import { writeJsonFile } from '../../../src/cli/client/secure-file.js';
import { writeProfile } from '../../../src/cli/commands/creds.js';
import { ROLES } from '../../unit/cli/fixtures.js';
import { SERVER } from './fake-bridge.js';
import { fakeSetup, loggedIn } from './setup.js';

async function ready() {
  const setup = fakeSetup();
  setup.bridge.roles = ROLES;
  await loggedIn(setup.context(), setup.bridge, setup.clock);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return setup;
}

afterEach(() => jest.restoreAllMocks());

test('logout blanks the keys creds --format aliyun-profile wrote from this server, and names those profiles', async () => {
  const { context } = await ready();
  const ctx = context();
  const personal = { name: 'personal', mode: 'AK', access_key_id: 'LTAI', access_key_secret: 'mine', region_id: 'cn-hangzhou' };
  const elsewhere = { name: 'other', mode: 'StsToken', access_key_id: 'STS.other-server', access_key_secret: 's', sts_token: 't' };
  await writeJsonFile(ctx.paths.aliyunConfig, { profiles: [personal, elsewhere] }, { dirMode: 0o755 });
  const obtained = await obtainCredentials(ctx, { server: SERVER, role: 'dev-readonly' });
  await writeProfile(ctx, SERVER, obtained, { region: 'cn-shanghai' });

  await expect(logOut(context(), SERVER)).resolves.toMatchObject({ wasLoggedIn: true, clearedProfiles: ['rambridge-dev-readonly'] });

  const config = JSON.parse(readFileSync(ctx.paths.aliyunConfig, 'utf8')) as AliyunConfig;
  expect(JSON.stringify(config)).not.toContain(obtained.credentials.accessKeyId);
  expect(config.profiles).toEqual([
    personal,
    elsewhere,
    {
      name: 'rambridge-dev-readonly',
      mode: 'StsToken',
      access_key_id: '',
      access_key_secret: '',
      sts_token: '',
      sts_expiration: 0,
      region_id: 'cn-shanghai',
    },
  ]);
});

test('an elevated role’s keys, never cached, are found in their profile and blanked too', async () => {
  const { context } = await ready();
  const ctx = context();
  const obtained = await obtainCredentials(ctx, { server: SERVER, role: 'prod-ops', justification: 'INC-1' });
  await writeProfile(ctx, SERVER, obtained, { profile: 'break-glass' });
  expect(readFileSync(ctx.paths.aliyunConfig, 'utf8')).toContain(obtained.credentials.accessKeyId);

  await expect(logOut(context(), SERVER)).resolves.toMatchObject({ clearedProfiles: ['break-glass'] });
  expect(readFileSync(ctx.paths.aliyunConfig, 'utf8')).not.toContain(obtained.credentials.accessKeyId);
  expect(readFileSync(ctx.paths.credentials, 'utf8')).not.toContain(obtained.credentials.accessKeyId);
});

test('a logout with no aliyun profile of this server neither creates nor rewrites the aliyun config', async () => {
  const { context } = await ready();
  await obtainCredentials(context(), { server: SERVER, role: 'dev-readonly' });
  await expect(logOut(context(), SERVER)).resolves.toMatchObject({ clearedProfiles: [] });
  expect(existsSync(context().paths.aliyunConfig)).toBe(false);
});

test('an aliyun config the user left invalid never stops the logout: revoked and forgotten, the keys there blanked by the next one', async () => {
  const { context, bridge } = await ready();
  const ctx = context();
  const obtained = await obtainCredentials(ctx, { server: SERVER, role: 'dev-readonly' });
  await writeProfile(ctx, SERVER, obtained, {});
  const written = readFileSync(ctx.paths.aliyunConfig, 'utf8');
  writeFileSync(ctx.paths.aliyunConfig, written.replace(/\}\s*$/, ',}\n')); // a trailing comma, hand-edited

  const result = await logOut(context(), SERVER);
  expect(result).toMatchObject({ wasLoggedIn: true, revoked: true, clearedProfiles: [] });
  expect(result.profilesNotCleared).toEqual({ path: ctx.paths.aliyunConfig, reason: `${ctx.paths.aliyunConfig} is not valid JSON.` });
  expect(await context().sessions.get(SERVER)).toBeUndefined();
  expect(bridge.revoked).toHaveLength(1);
  expect(readFileSync(ctx.paths.credentials, 'utf8')).not.toContain(obtained.credentials.accessKeySecret);

  writeFileSync(ctx.paths.aliyunConfig, written); // fixed
  await expect(logOut(context(), SERVER)).resolves.toMatchObject({ wasLoggedIn: false, clearedProfiles: ['rambridge-dev-readonly'] });
  expect(readFileSync(ctx.paths.aliyunConfig, 'utf8')).not.toContain(obtained.credentials.accessKeyId);
});

test('cached keys an aliyun config left invalid kept are remembered for the next logout too', async () => {
  const { context, bridge } = await ready();
  const ctx = context();
  const obtained = await obtainCredentials(ctx, { server: SERVER, role: 'dev-readonly' });
  // A profile holding the cached keys, written by hand: only the cache entry knows their id.
  const profiles = [
    { name: 'personal', mode: 'AK', access_key_id: 'LTAI', access_key_secret: 'mine' },
    { name: 'mine-sts', mode: 'StsToken', access_key_id: obtained.credentials.accessKeyId, access_key_secret: 's', sts_token: 't' },
  ];
  await writeJsonFile(ctx.paths.aliyunConfig, { profiles }, { dirMode: 0o755 });
  const written = readFileSync(ctx.paths.aliyunConfig, 'utf8');
  writeFileSync(ctx.paths.aliyunConfig, `${written.trimEnd()},\n`);

  await expect(logOut(context(), SERVER)).resolves.toMatchObject({ wasLoggedIn: true, revoked: true, clearedProfiles: [] });
  expect(bridge.revoked).toHaveLength(1);
  writeFileSync(ctx.paths.aliyunConfig, written);
  await expect(logOut(context(), SERVER)).resolves.toMatchObject({ clearedProfiles: ['mine-sts'] });
  expect(readFileSync(ctx.paths.aliyunConfig, 'utf8')).not.toContain(obtained.credentials.accessKeyId);
});

test('creds --format aliyun-profile racing logout: keys obtained before the logout are never written after it', async () => {
  const { context, bridge, clock } = await ready();
  const ctx = context();
  const obtained = await useCredentials(ctx, credentialQuery(SERVER, 'dev-readonly', {}));
  await expect(logOut(context(), SERVER)).resolves.toMatchObject({ wasLoggedIn: true, clearedProfiles: [] }); // in another shell
  await expect(writeProfile(ctx, SERVER, obtained, {})).rejects.toMatchObject({ code: 'ERR_CLI_NOT_LOGGED_IN' });
  expect(existsSync(ctx.paths.aliyunConfig)).toBe(false);
  expect(readFileSync(ctx.paths.credentials, 'utf8')).not.toContain(obtained.credentials.accessKeyId);

  // Nor once someone else has logged in on this machine meanwhile.
  await loggedIn(context(), bridge, clock);
  const session = (await ctx.sessions.get(SERVER))!;
  await ctx.sessions.put(SERVER, { ...session, user: { idp: 'okta', subject: 'u-2' } });
  await expect(writeProfile(ctx, SERVER, obtained, {})).rejects.toMatchObject({ code: 'ERR_CLI_NOT_LOGGED_IN' });
  expect(existsSync(ctx.paths.aliyunConfig)).toBe(false);
});
