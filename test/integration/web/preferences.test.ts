import type TestAgent from 'supertest/lib/agent.js';
import { rolePreferencesFor } from '../../../src/web/role-preferences.js';
import { RoleMapper } from '../../../src/mapping/index.js';
import { RolePreferences } from '../../../src/preferences/index.js';
import type { Store } from '../../../src/store/index.js';
import { bridgeWithEmulator } from '../../helpers/bridge.js';
import { FakeOp, type FakeOpUser } from '../../helpers/fake-op.js';
import { loggedIn, signedIn } from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * "Remember": favourites, recents and last durations are kept per user in the store and shared by
 * the browser and the CLI. Real issuance against the emulator, the real device flow for the CLI.
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());

const ALICE: FakeOpUser = {
  sub: 'alice-sub',
  email: 'alice@example.com',
  name: 'Alice',
  groups: ['rambridge-dev', 'rambridge-ops'],
  amr: ['pwd'],
};

type Bridge = Awaited<ReturnType<typeof bridgeWithEmulator>>;
let open: Bridge[] = [];
afterEach(async () => {
  await Promise.all(open.map((b) => b.close()));
  open = [];
});

async function bridge() {
  const b = await bridgeWithEmulator(op, { logLevel: 'warn' });
  open.push(b);
  return b;
}

/** A browser signed in as `user`, with the form token of its picker. */
async function browserOf(b: Bridge, user: FakeOpUser = ALICE) {
  const browser = await signedIn(b, op, user);
  const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
  const post = (path: string, form: Record<string, string>, accept = 'text/html') =>
    browser
      .post(path)
      .set('Accept', accept)
      .type('form')
      .send({ _csrf: csrf, ...form });
  return { browser, post };
}

/** The CLI's view: `GET /api/roles` with a device-flow access token. */
async function cliOf(b: Bridge, user: FakeOpUser = ALICE) {
  const { cli, tokens } = await loggedIn(b, op, user);
  const auth = (req: ReturnType<TestAgent['get']>) => req.set('Authorization', `Bearer ${tokens.access_token}`);
  type Listed = { id: string; favourite?: boolean; lastUsedAt?: string; lastDuration?: number };
  return {
    roles: async () => ((await auth(cli.get('/api/roles')).expect(200)).body as { roles: Listed[] }).roles,
    role: async (id: string) =>
      ((await auth(cli.get('/api/roles')).expect(200)).body as { roles: Listed[] }).roles.find((r) => r.id === id),
    favourite: (role: string, favourite: boolean) => auth(cli.post('/api/favourites')).send({ role, favourite }),
    put: (role: string) => auth(cli.put(`/api/favourites/${encodeURIComponent(role)}`)),
    del: (role: string) => auth(cli.delete(`/api/favourites/${encodeURIComponent(role)}`)),
    credentials: (role: string, durationSeconds: number) => auth(cli.post('/api/credentials')).send({ role, durationSeconds }),
  };
}

/** What the picker route will show for `user` (the function it calls). */
function pickerOf(b: Bridge, user: FakeOpUser = ALICE) {
  const identity = { idp: 'demo', issuer: op.issuer, subject: user.sub, groups: user.groups ?? [], amr: user.amr ?? [] };
  const choices = new RoleMapper(b.config.roles, b.config.grants).rolesFor(identity);
  return rolePreferencesFor({ store: b.store, clock: b.clock, config: b.config }, identity, choices);
}

test('a web issuance (credentials, console) shows in /api/roles as recent, with its duration', async () => {
  const b = await bridge();
  const web = await browserOf(b);
  await web.post('/roles/credentials', { role: 'dev-readonly', duration: '7200' }).expect(303);
  b.clock.advance(60_000);
  await web.post('/roles/console', { role: 'prod-ops', duration: '900' }).expect(200); // saml-post

  const cli = await cliOf(b);
  const roles = await cli.roles();
  expect(roles.find((r) => r.id === 'dev-readonly')).toMatchObject({
    favourite: false,
    lastUsedAt: expect.any(String),
    lastDuration: 7200,
  });
  expect(roles.find((r) => r.id === 'prod-ops')).toMatchObject({ lastDuration: 900 });
  expect(
    Date.parse(roles.find((r) => r.id === 'prod-ops')!.lastUsedAt!) - Date.parse(roles.find((r) => r.id === 'dev-readonly')!.lastUsedAt!),
  ).toBe(60_000);
  // Never used: no time, no duration; existing fields unchanged.
  expect(roles.find((r) => r.id === 'dev-admin')).toEqual({
    id: 'dev-admin',
    arn: expect.any(String),
    accountId: expect.any(String),
    accountName: expect.any(String),
    description: expect.any(String),
    via: 'saml',
    maxSessionDuration: 14400,
    maxDurationNow: expect.any(Number),
    elevated: false,
    favourite: false,
  });
  expect((await pickerOf(b)).recents.map((r) => r.roleId)).toEqual(['prod-ops', 'dev-readonly']);
});

test('CLI credentials are recorded too, and seen by the picker', async () => {
  const b = await bridge();
  const cli = await cliOf(b);
  await cli.credentials('dev-admin', 1800).expect(200);
  expect(await pickerOf(b)).toEqual({
    favourites: [],
    recents: [{ roleId: 'dev-admin', usedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) }],
    lastDurations: { 'dev-admin': 1800 },
  });
});

test('a favourite set over the API is seen by the web, and one starred on the web by the API', async () => {
  const b = await bridge();
  const cli = await cliOf(b);
  expect((await cli.favourite('dev-admin', true).expect(200)).body).toEqual({ role: 'dev-admin', favourite: true });
  expect((await pickerOf(b)).favourites).toEqual(['dev-admin']);

  const web = await browserOf(b);
  const starred = await web.post('/roles/favourite', { role: 'prod-readonly', favourite: 'true' }, 'application/json').expect(200);
  expect(starred.body).toEqual({ role: 'prod-readonly', favourite: true });
  expect((await cli.role('prod-readonly'))?.favourite).toBe(true);
  expect((await pickerOf(b)).favourites).toEqual(['dev-admin', 'prod-readonly']);

  // Without `favourite` the form toggles; without JavaScript it answers 303 back to the picker.
  const toggled = await web.post('/roles/favourite', { role: 'dev-admin', return_to: '/roles/dev-admin?q=x' }).expect(303);
  expect(toggled.headers.location).toBe('/roles/dev-admin?q=x');
  expect((await cli.role('dev-admin'))?.favourite).toBe(false);

  // PUT and DELETE say the same.
  expect((await cli.put('dev-admin').expect(200)).body).toEqual({ role: 'dev-admin', favourite: true });
  expect((await cli.del('prod-readonly').expect(200)).body).toEqual({ role: 'prod-readonly', favourite: false });
  expect((await pickerOf(b)).favourites).toEqual(['dev-admin']);
});

test('return_to is checked: anything but our own picker paths goes to /roles', async () => {
  const b = await bridge();
  const web = await browserOf(b);
  for (const returnTo of ['https://evil.example.com/', '//evil.example.com', '/oauth/token', '/roles/../admin']) {
    const res = await web.post('/roles/favourite', { role: 'dev-admin', return_to: returnTo }).expect(303);
    expect(res.headers.location).toBe('/roles');
  }
});

test('a role the user does not hold is refused, over the API and on the web, and nothing is stored', async () => {
  const b = await bridge();
  const reader = { ...ALICE, sub: 'rita-sub', email: 'rita@example.com', groups: ['rambridge-readonly'] };
  const cli = await cliOf(b, reader);
  expect((await cli.favourite('dev-admin', true).expect(403)).body).toMatchObject({ code: 'ERR_ROLE_NOT_GRANTED' });
  await cli.put('no-such-role').expect(403);
  const web = await browserOf(b, reader);
  const res = await web.post('/roles/favourite', { role: 'prod-ops', favourite: 'true' }, 'application/json').expect(403);
  expect(JSON.stringify(res.body)).toContain('ERR_ROLE_NOT_GRANTED');
  const prefs = new RolePreferences({ store: b.store, clock: b.clock });
  expect(await prefs.isFavourite({ issuer: op.issuer, subject: 'rita-sub' }, 'dev-admin')).toBe(false);
  expect(await prefs.isFavourite({ issuer: op.issuer, subject: 'rita-sub' }, 'prod-ops')).toBe(false);
});

test('a role taken away disappears from favourites and recents, and comes back when granted again', async () => {
  const b = await bridge();
  const cli = await cliOf(b);
  await cli.favourite('prod-ops', true).expect(200);
  await cli.favourite('dev-readonly', true).expect(200);
  await cli.credentials('prod-ops', 900).expect(200);

  // The same person, now only in the readers group: prod-ops is no longer theirs.
  const reader = { ...ALICE, groups: ['rambridge-readonly'] };
  const later = await cliOf(b, reader);
  const roles = await later.roles();
  expect(roles.map((r) => r.id)).not.toContain('prod-ops');
  expect(roles.filter((r) => r.favourite).map((r) => r.id)).toEqual(['dev-readonly']);
  expect(await pickerOf(b, reader)).toEqual({ favourites: ['dev-readonly'], recents: [], lastDurations: {} });

  expect((await pickerOf(b, ALICE)).favourites).toEqual(['prod-ops', 'dev-readonly']);
});

test('the form route refuses a missing or wrong CSRF token, and a cross-site post', async () => {
  const b = await bridge();
  const { browser } = await browserOf(b);
  const bad = await browser
    .post('/roles/favourite')
    .set('Accept', 'application/json')
    .type('form')
    .send({ role: 'dev-admin', _csrf: 'nope' });
  expect(bad.status).toBe(403);
  expect(JSON.stringify(bad.body)).toContain('ERR_CSRF');
  await browser.post('/roles/favourite').type('form').send({ role: 'dev-admin' }).expect(403);
  const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
  await browser
    .post('/roles/favourite')
    .set('Origin', 'https://evil.example.com')
    .type('form')
    .send({ role: 'dev-admin', _csrf: csrf })
    .expect(403);
  expect((await pickerOf(b)).favourites).toEqual([]);
});

test('signed out: the form route refuses', async () => {
  const b = await bridge();
  const res = await b.agent().post('/roles/favourite').set('Accept', 'application/json').type('form').send({ role: 'dev-admin' });
  expect(res.status).toBe(401);
});

test('a store that fails to record does not fail the issuance; a warning without secrets is logged', async () => {
  const b = await bridge();
  const cli = await cliOf(b);
  const store = b.store as Store;
  const real = store.insert.bind(store);
  store.insert = async (key, value, ttl) => {
    if (key.startsWith('prefs:')) throw new Error('store down');
    return real(key, value, ttl);
  };
  const res = await cli.credentials('dev-admin', 900).expect(200);
  const warning = b.logLines.find((l) => l.includes('preferences-not-recorded'));
  expect(warning).toBeDefined();
  expect(warning).not.toContain(res.body.accessKeySecret);
  expect(warning).not.toContain(res.body.securityToken);
});
