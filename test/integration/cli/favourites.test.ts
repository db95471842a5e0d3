import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoleMapper } from '../../../src/mapping/index.js';
import { rolePreferencesFor } from '../../../src/web/role-preferences.js';
import { bridgeWithEmulator } from '../../helpers/bridge.js';
import { runBuiltCli, storeCliLogin } from '../../helpers/built-cli.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { ALICE, loggedIn, signedIn } from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * The built `rambridge` against a real bridge (and the emulator): a star set by `rambridge fav` is
 * the web picker's, one set on the web is listed first by `rambridge roles`, and `creds` without
 * `--duration` asks for the length last chosen on the web.
 */

let op: FakeOp;
let bridge: Awaited<ReturnType<typeof bridgeWithEmulator>>;
let home: string;
beforeAll(async () => {
  op = await FakeOp.start();
  bridge = await bridgeWithEmulator(op, { logLevel: 'warn' });
  home = mkdtempSync(join(tmpdir(), 'rambridge-fav-'));
  // What `rambridge login` leaves behind, from a real device login.
  const { tokens } = await loggedIn(bridge, op, ALICE);
  await storeCliLogin(home, bridge.publicUrl, tokens);
});
afterAll(async () => {
  await bridge?.close();
  await op?.close();
});

const run = (...args: string[]) => runBuiltCli(bridge.publicUrl, home, args);

const picker = () => {
  const identity = { idp: 'demo', issuer: op.issuer, subject: ALICE.sub, groups: ALICE.groups ?? [], amr: ['pwd'] };
  return rolePreferencesFor(bridge, identity, new RoleMapper(bridge.config.roles, bridge.config.grants).rolesFor(identity));
};

test('rambridge fav / unfav: the web picker sees the star', async () => {
  const fav = await run('fav', 'readonly');
  expect(fav).toMatchObject({ code: 0 });
  expect(fav.stderr).toContain('★ dev-readonly is a favourite now');
  expect((await picker()).favourites).toEqual(['dev-readonly']);

  expect((await run('unfav', 'dev-readonly', '--json')).stdout.trim()).toBe('{"role":"dev-readonly","favourite":false,"shared":true}');
  expect((await picker()).favourites).toEqual([]);
});

test('starred and used on the web: rambridge roles lists it first, and creds asks for the last length', async () => {
  const browser = await signedIn(bridge, op, ALICE);
  const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
  const form = (path: string, body: Record<string, string>) =>
    browser
      .post(path)
      .type('form')
      .send({ _csrf: csrf, ...body });
  await form('/roles/favourite', { role: 'dev-admin', favourite: 'true' }).expect(303);
  await form('/roles/credentials', { role: 'dev-admin', duration: '7200' }).expect(303);

  const roles = await run('roles');
  expect(roles.code).toBe(0);
  const lines = roles.stdout.split('\n');
  expect(lines[1]).toMatch(/^ {2}★ dev-admin\s/);
  expect(lines[1]).toContain('used');

  const creds = await run('creds', 'dev-admin', '--format', 'json');
  expect(creds.code).toBe(0);
  expect(bridge.audits().at(-1)).toMatchObject({ channel: 'cli', roleId: 'dev-admin', durationSeconds: 7200 });
});
