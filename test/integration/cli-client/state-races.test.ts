import { existsSync, readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { whoami } from '../../../src/cli/client/api.js';
import { bridgeClient, createContext, type ClientContext } from '../../../src/cli/client/context.js';
import { deviceLogin } from '../../../src/cli/client/device-login.js';
import type { FetchLike } from '../../../src/cli/client/http.js';
import { logOut } from '../../../src/cli/client/logout.js';
import type { SessionStore } from '../../../src/cli/client/sessions.js';
import { SERVER } from './fake-bridge.js';
import { fakeSetup, loggedIn } from './setup.js';

/**
 * sessions.json against concurrent rambridge processes (the aliyun CLI runs `creds` for every
 * command, often several at once): a refresh, a login and a logout each rewrite the whole file, and
 * refresh tokens rotate. Interleavings are forced with hold points, never with timing: a fetch that
 * lets the server answer (and rotate) but holds the answer, a held write, and a signal when a
 * process asks for the sessions lock.
 */

/** A promise and the function that settles it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** The body of a request the client sends: a form or JSON, always a string. */
const bodyOf = (init?: RequestInit) => (typeof init?.body === 'string' ? init.body : '');

const isRefresh = (url: string, init?: RequestInit) => url.endsWith('/oauth/token') && bodyOf(init).includes('grant_type=refresh_token');

/**
 * A fetch that lets the server answer the first refresh (it rotates the refresh token) and holds
 * the answer until `release`; `rotated` is the new refresh token. The refreshing process holds the
 * sessions lock all the while.
 */
function heldRefresh(inner: FetchLike) {
  const held = gate();
  const released = gate();
  const state = { armed: true, rotated: '' };
  const fetch: FetchLike = async (input, init) => {
    const response = await inner(input, init);
    if (state.armed && isRefresh(input, init)) {
      state.armed = false;
      state.rotated = ((await response.clone().json()) as { refresh_token: string }).refresh_token;
      held.open();
      await released.promise;
    }
    return response;
  };
  return { fetch, held: held.promise, release: released.open, rotated: () => state.rotated };
}

/**
 * Resolves when this context asks for the sessions lock while another holds it (its file exists):
 * it then has to wait. Asking for a free lock does not count: that one goes ahead and finishes.
 */
function waitsForSessionsLock(ctx: ClientContext): Promise<void> {
  const waits = gate();
  const sessions = ctx.sessions as SessionStore & { exclusively: SessionStore['exclusively'] };
  const exclusively = sessions.exclusively?.bind(sessions);
  sessions.exclusively = (task) => {
    if (existsSync(ctx.paths.refreshLock)) waits.open();
    return exclusively(task);
  };
  return waits.promise;
}

/**
 * Resolves once `work` has either finished or is waiting for the sessions lock, whichever comes
 * first. Code that takes no lock finishes; code that does cannot, while the test's holder has it.
 */
function finishedOrWaiting(work: Promise<unknown>, waiting: Promise<void>): Promise<unknown> {
  return Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    waiting,
  ]);
}

/**
 * The real bridge ends the whole session when any of its refresh tokens, current or rotated, is
 * revoked or presented again (src/device/cli-sessions.ts); the fake keeps only the live one. This
 * adds that to the fake: revoking a token of the family of `first` kills every token of it.
 */
function familyRevocation(inner: FetchLike, first: string): FetchLike {
  const family = new Set([first]);
  let dead = false;
  return async (input, init) => {
    const form = new URLSearchParams(bodyOf(init));
    const bearer = new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, '');
    if (input.endsWith('/oauth/revoke') && family.has(form.get('token') ?? '')) dead = true;
    if (dead && bearer && family.has(bearer)) {
      return new Response(JSON.stringify({ error: 'invalid_token' }), {
        status: 401,
        headers: { 'www-authenticate': 'Bearer error="invalid_token"', 'content-type': 'application/json' },
      });
    }
    if (dead && family.has(form.get('refresh_token') ?? '')) {
      return new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400, headers: { 'content-type': 'application/json' } });
    }
    const response = await inner(input, init);
    if (isRefresh(input, init) && family.has(form.get('refresh_token') ?? '') && response.ok) {
      const tokens = (await response.clone().json()) as { access_token: string; refresh_token: string };
      family.add(tokens.access_token).add(tokens.refresh_token);
    }
    return response;
  };
}

const quietLogin = { stream: { write: () => true }, sleep: async () => undefined };

const outcome = (work: Promise<unknown>) =>
  work.then(
    () => 'ok',
    (err: { code?: string }) => err.code,
  );

/** A session whose access token has expired: the next API call refreshes it. */
async function expiredSession() {
  const setup = fakeSetup();
  await loggedIn(setup.context(), setup.bridge, setup.clock);
  const first = (await setup.context().sessions.get(SERVER))!;
  setup.clock.advance(600_000);
  const as = (fetch: FetchLike) => createContext({ HOME: setup.home }, { fetch, clock: setup.clock });
  return { ...setup, first, as };
}

test('a login that completes while another process refreshes is kept, and the user can work', async () => {
  const { bridge, first, as } = await expiredSession();
  const server = familyRevocation(bridge.fetch, first.refreshToken);
  const refresh = heldRefresh(server);
  const creds = outcome(whoami(bridgeClient(as(refresh.fetch), SERVER)));
  await refresh.held;

  const issued: string[] = [];
  const loginCtx = as(async (input, init) => {
    const response = await server(input, init);
    if (input.endsWith('/oauth/token')) issued.push(((await response.clone().json()) as { refresh_token: string }).refresh_token);
    return response;
  });
  const login = deviceLogin(loginCtx, SERVER, quietLogin);
  await finishedOrWaiting(login, waitsForSessionsLock(loginCtx));
  refresh.release();
  await Promise.all([creds, login]);

  expect((await as(server).sessions.get(SERVER))?.refreshToken).toBe(issued[0]);
  expect(await outcome(whoami(bridgeClient(as(server), SERVER)))).toBe('ok');
});

test('a login ends the session it replaces by its latest refresh token, even one rotated meanwhile', async () => {
  const { bridge, as } = await expiredSession();
  const refresh = heldRefresh(bridge.fetch);
  const creds = outcome(whoami(bridgeClient(as(refresh.fetch), SERVER)));
  await refresh.held;

  const loginCtx = as(bridge.fetch);
  const login = deviceLogin(loginCtx, SERVER, quietLogin);
  await finishedOrWaiting(login, waitsForSessionsLock(loginCtx));
  refresh.release();
  await Promise.all([creds, login]);

  // The spent one would leave the rotated one, and so the old session, alive at the server.
  expect(bridge.revoked).toEqual([refresh.rotated()]);
});

test('a logout of one server while another server’s session refreshes keeps that one’s rotated refresh token', async () => {
  const { bridge, clock, context, first, as } = await expiredSession();
  const other = 'https://other-bridge.example';
  await context().sessions.put(other, { ...first, revocationEndpoint: undefined, user: { idp: 'y', subject: 'bob' } });

  // The logout has read sessions.json and its write is slow (an fsync).
  const logoutCtx = context();
  const didRead = gate();
  const writeMayGo = gate();
  const file = (logoutCtx.sessions as unknown as { file: { write: (v: unknown) => Promise<void> } }).file;
  const write = file.write.bind(file);
  file.write = async (value) => {
    didRead.open();
    await writeMayGo.promise;
    return write(value);
  };
  const logout = logOut(logoutCtx, other);
  await didRead.promise;

  const refreshCtx = as(bridge.fetch);
  const creds = outcome(whoami(bridgeClient(refreshCtx, SERVER)));
  await finishedOrWaiting(creds, waitsForSessionsLock(refreshCtx));
  writeMayGo.open();
  await Promise.all([logout, creds]);

  const stored = await context().sessions.get(SERVER);
  expect(stored?.refreshToken).not.toBe(first.refreshToken);
  expect(await context().sessions.get(other)).toBeUndefined();
  clock.advance(600_000);
  // A spent refresh token written back would end the session here, as theft.
  expect(await outcome(whoami(bridgeClient(context(), SERVER)))).toBe('ok');
});

test('a logout while a refresh is in flight revokes the rotated refresh token and leaves no session behind', async () => {
  const { bridge, context, as } = await expiredSession();
  const refresh = heldRefresh(bridge.fetch);
  const creds = outcome(whoami(bridgeClient(as(refresh.fetch), SERVER)));
  await refresh.held;

  const logoutCtx = as(bridge.fetch);
  const logout = logOut(logoutCtx, SERVER);
  await finishedOrWaiting(logout, waitsForSessionsLock(logoutCtx));
  refresh.release();
  await Promise.all([creds, logout]);

  expect(await context().sessions.get(SERVER)).toBeUndefined();
  expect(bridge.revoked).toEqual([refresh.rotated()]);
});

test('an offline logout during a refresh: the refresh does not store the session again', async () => {
  const { bridge, context, as } = await expiredSession();
  const refresh = heldRefresh(bridge.fetch);
  const creds = outcome(whoami(bridgeClient(as(refresh.fetch), SERVER)));
  await refresh.held;

  const offline: FetchLike = () => Promise.reject(new TypeError('fetch failed'));
  const logoutCtx = as(offline);
  const logout = logOut(logoutCtx, SERVER);
  await finishedOrWaiting(logout, waitsForSessionsLock(logoutCtx));
  refresh.release();
  await Promise.all([creds, logout]);

  expect(await logout).toEqual({ wasLoggedIn: true, revoked: false, clearedProfiles: [] });
  expect(await context().sessions.get(SERVER)).toBeUndefined();
});

test('a refresh does not write its tokens over a session another writer stored meanwhile without the lock', async () => {
  const { bridge, context, first, as } = await expiredSession();
  const refresh = heldRefresh(bridge.fetch);
  const creds = outcome(whoami(bridgeClient(as(refresh.fetch), SERVER)));
  await refresh.held;

  // An older rambridge, or one that took the lock over as stale.
  const newer = { ...first, refreshToken: 'stored-meanwhile', user: { idp: 'okta', subject: 'u-2' } };
  await context().sessions.put(SERVER, newer);
  refresh.release();
  await creds;

  expect(await context().sessions.get(SERVER)).toEqual(newer);
});

test('a full disk fails a refresh before the refresh token is spent, leaves no temp file, and the session works once space is back', async () => {
  const { bridge, context } = await expiredSession();
  const restore = await diskFullAbove(64); // a lock's "pid nonce" still fits
  const failure = await whoami(bridgeClient(context(), SERVER))
    .then(
      () => undefined,
      (err: unknown) => err,
    )
    .finally(restore);

  expect(failure).toMatchObject({ code: 'ERR_CLI_FILE', message: expect.stringContaining('the disk is full') });
  expect(bridge.calls).not.toContain('POST /oauth/token');
  expect(readdirSync(context().paths.dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock'))).toEqual([]);
  expect(await outcome(whoami(bridgeClient(context(), SERVER)))).toBe('ok');
});

test('a logout whose revocation hangs holds no lock: the other servers’ refreshes go on meanwhile', async () => {
  const { bridge, first, as, context } = await expiredSession();
  const other = 'https://other-bridge.example';
  await context().sessions.put(other, { ...first, revocationEndpoint: `${other}/oauth/revoke`, user: { idp: 'y', subject: 'bob' } });
  const revoking = gate();
  const answer = gate();
  const hangsAtOther: FetchLike = async (input, init) => {
    if (!input.startsWith(other)) return bridge.fetch(input, init);
    revoking.open();
    await answer.promise;
    return new Response('', { status: 200 });
  };
  const logout = logOut(as(hangsAtOther), other);
  await revoking.promise;

  const refreshing = context();
  let result: string | undefined = 'still waiting for the lock';
  const work = outcome(whoami(bridgeClient(refreshing, SERVER))).then((r) => (result = r));
  await finishedOrWaiting(work, waitsForSessionsLock(refreshing));
  expect(result).toBe('ok');
  answer.open();
  expect(await logout).toMatchObject({ wasLoggedIn: true, revoked: true });
  expect(await context().sessions.get(other)).toBeUndefined();
});

/** Makes every file write longer than `bytes` fail as on a full disk; returns the undo. */
async function diskFullAbove(bytes: number): Promise<() => void> {
  const probe = await open(process.execPath, 'r');
  const proto = Object.getPrototypeOf(probe) as { writeFile: (data: unknown) => Promise<void> };
  await probe.close();
  const writeFile = proto.writeFile;
  proto.writeFile = function (this: unknown, data: unknown) {
    if (String(data).length <= bytes) return writeFile.call(this, data);
    return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
  };
  return () => {
    proto.writeFile = writeFile;
  };
}
