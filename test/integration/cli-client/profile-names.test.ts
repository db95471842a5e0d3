import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import type { AliyunConfig } from '../../../src/cli/client/aliyun-config.js';
import { configureAliyun } from '../../../src/cli/commands/configure-aliyun.js';
import { writeProfile } from '../../../src/cli/commands/creds.js';
import { credentialsView } from '../../../src/web/console-actions.js';
import { aliyunProfileName } from '../../../src/wire/aliyun-profile.js';
import { credentials, ROLES } from '../../unit/cli/fixtures.js';
import { SERVER } from './fake-bridge.js';
import { fakeSetup, loggedIn } from './setup.js';

/**
 * Issue 12 item 6: one profile-naming scheme everywhere. The web credentials page (its JSON and
 * its `aliyun configure set` lines), `rambridge configure-aliyun` and `rambridge creds ROLE
 * --format aliyun-profile` all name a role's profile `rambridge-<role id>`.
 */
afterEach(() => jest.restoreAllMocks());

test('the web page, configure-aliyun and creds --format aliyun-profile agree on the profile name', async () => {
  const role = ROLES.find((r) => r.id === 'dev-readonly')!;
  const expected = 'rambridge-dev-readonly';
  expect(aliyunProfileName(role.id)).toBe(expected);

  // configure-aliyun
  const s = fakeSetup();
  s.bridge.roles = ROLES;
  await loggedIn(s.context(), s.bridge, s.clock);
  const configured = await configureAliyun(s.context(), [role.id], { server: SERVER });
  const fromConfigure = configured.profiles.map((p) => p.name);

  // creds --format aliyun-profile, without --profile
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const expiration = new Date(s.clock.now() + 3600_000).toISOString();
  await writeProfile(
    s.context(),
    SERVER,
    { user: 'okta/u-1', role, durationSeconds: 3600, credentials: credentials(expiration), fromCache: false },
    {},
  );
  const file = JSON.parse(readFileSync(join(s.home, '.aliyun', 'config.json'), 'utf8')) as AliyunConfig;
  const fromCreds = file.profiles?.map((p) => p.name);

  // the web page
  const page = credentialsView(
    { roleSessionName: 'alice', credentials: { ...credentials(expiration), expiration: new Date(expiration) } },
    role.id,
    'en',
    s.clock.now(),
  );
  const fromWeb = [
    page.profileName,
    (JSON.parse(page.profileJson) as { name: string }).name,
    ...page.shells.map((sh) => /--profile ['"]?([^'" ]+)/.exec(sh.configure ?? '')?.[1]),
  ];

  expect(fromConfigure).toEqual([expected]);
  // The StsToken profile from creds replaces the External one of the same name: one profile per role.
  expect(fromCreds).toEqual([expected]);
  expect(fromWeb).toEqual(Array(2 + page.shells.length).fill(expected));
});
