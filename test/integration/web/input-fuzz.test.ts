import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { createDeviceFlow } from '../../../src/device/index.js';
import type { StsClient } from '../../../src/sts/index.js';
import { testBridge } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { samlBridge, startSamlLogin } from '../../helpers/saml-bridge.js';
import { loggedIn, signedIn, type Bridge } from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * Every POST route against arbitrary form and JSON bodies: whatever arrives, the answer is never a
 * 5xx, and every refusal carries a stable code (JSON `code`, or the error page's `error-code`).
 * "Bounded time" is a bounded number of runs per route, not a stopwatch.
 */

const RUNS = 100;

let op: FakeOp;
let bridge: Bridge;
let browser: TestAgent;
let csrf: string;
let accessToken: string;
let saml: Awaited<ReturnType<typeof samlBridge>>;
let samlBrowser: TestAgent;

beforeAll(async () => {
  op = await FakeOp.start();
  bridge = await testBridge(op, { sts: fakeSts() });
  accessToken = (await loggedIn(bridge, op)).tokens.access_token;
  browser = await signedIn(bridge, op);
  csrf = csrfOf((await browser.get('/device').expect(200)).text);
  saml = await samlBridge();
  samlBrowser = saml.agent();
  await startSamlLogin(samlBrowser);
});
afterAll(() => op.close());

/** Names that have broken parsers and `String()` before, tried on every route. */
const NASTY_NAMES = ['toString', 'valueOf', '__proto__', 'constructor', 'hasOwnProperty'];
const VALUES = [
  'rambridge-cli',
  'urn:ietf:params:oauth:grant-type:device_code',
  'refresh_token',
  'S256',
  'dev-admin',
  'dev-readonly',
  'prod-auditor',
  '900',
  '43200',
  'approve',
  'deny',
  'BCDF-GHJK',
  '',
];

/** Field names: mostly those the route reads, sometimes nasty ones, sometimes anything. */
const nameFor = (route: Route) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...route.fields), weight: 6 },
    { arbitrary: fc.constantFrom(...NASTY_NAMES), weight: 1 },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
  );
/** A form field name, sometimes in qs's bracket syntax, which @koa/bodyparser turns into objects and arrays. */
const formNameFor = (route: Route) =>
  fc.oneof(
    nameFor(route),
    fc.tuple(nameFor(route), fc.constantFrom('[]', '[toString]', '[0]', '[a][b]', '[__proto__]')).map(([n, suffix]) => n + suffix),
  );
const formBodyFor = (route: Route) =>
  fc.oneof(
    fc
      .array(fc.tuple(formNameFor(route), fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 40 }))), { maxLength: 8 })
      .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')),
    fc.string({ maxLength: 80 }), // whatever bytes, as a form
  );
const jsonValue = fc.oneof(
  { arbitrary: fc.constantFrom<unknown>(...VALUES, [], {}, null, true, 900, -1, 1e308, 0.5), weight: 3 },
  { arbitrary: fc.dictionary(fc.constantFrom(...NASTY_NAMES), fc.jsonValue({ maxDepth: 1 }), { minKeys: 1 }), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
);
const jsonBodyFor = (route: Route) =>
  fc.oneof(
    { arbitrary: fc.dictionary(nameFor(route), jsonValue, { maxKeys: 6 }).map((o) => JSON.stringify(o)), weight: 4 },
    { arbitrary: jsonValue.map((v) => JSON.stringify(v)), weight: 1 },
    { arbitrary: fc.string({ maxLength: 60 }), weight: 1 }, // not JSON at all
  );

interface Route {
  path: string;
  agent: () => TestAgent;
  headers?: () => Record<string, string>;
  /** The body fields its handler reads. */
  fields: string[];
  /** Fields that get the request past the first check (a valid CSRF token…), merged into some bodies. */
  pass?: () => Record<string, string>;
}

const OAUTH = ['client_id', 'client_host', 'client_version', 'code_challenge', 'code_challenge_method', 'grant_type', 'device_code'];
const ROLE = ['role', 'duration', 'justification', 'destination', '_csrf'];
const ROUTES: Route[] = [
  { path: '/oauth/device_authorization', agent: () => bridge.agent(), fields: OAUTH, pass: () => ({ client_id: 'rambridge-cli' }) },
  {
    path: '/oauth/token',
    agent: () => bridge.agent(),
    fields: [...OAUTH, 'code_verifier', 'refresh_token'],
    pass: () => ({ client_id: 'rambridge-cli' }),
  },
  {
    path: '/oauth/revoke',
    agent: () => bridge.agent(),
    fields: ['client_id', 'token', 'token_type_hint'],
    pass: () => ({ client_id: 'rambridge-cli' }),
  },
  {
    path: '/api/credentials',
    agent: () => bridge.agent(),
    headers: () => ({ Authorization: `Bearer ${accessToken}` }),
    fields: ['role', 'durationSeconds', 'justification'],
  },
  { path: '/roles/console', agent: () => browser, fields: ROLE, pass: () => ({ _csrf: csrf }) },
  { path: '/roles/credentials', agent: () => browser, fields: ROLE, pass: () => ({ _csrf: csrf }) },
  { path: '/roles/favourite', agent: () => browser, fields: ['role', 'favourite', 'return_to', '_csrf'], pass: () => ({ _csrf: csrf }) },
  {
    path: '/api/favourites',
    agent: () => bridge.agent(),
    headers: () => ({ Authorization: `Bearer ${accessToken}` }),
    fields: ['role', 'favourite'],
  },
  { path: '/device', agent: () => browser, fields: ['user_code', 'decision', '_csrf'], pass: () => ({ _csrf: csrf }) },
  { path: '/saml/corp/acs', agent: () => samlBrowser, fields: ['SAMLResponse', 'RelayState'] },
  { path: '/logout/cli-sessions', agent: () => browser, fields: ['token'] },
  // After the bearer API routes: `all=1` ends the CLI session they use.
  { path: '/sessions/revoke', agent: () => browser, fields: ['sid', 'all', '_csrf'], pass: () => ({ _csrf: csrf }) },
  // Last: a body that passes its checks signs the browser out.
  { path: '/logout', agent: () => browser, fields: ['_csrf', 'cli_sessions'], pass: () => ({ _csrf: csrf }) },
];

/** Never a server error; every refusal names its code. */
function expectCodedAnswer(res: Response, what: string): void {
  if (res.status >= 500) throw new Error(`${what} → ${res.status}: ${res.text.slice(0, 300)}`);
  if (res.status < 400) return;
  const code =
    res.type === 'application/json' ? (res.body as { code?: unknown }).code : /data-testid="error-code">([A-Z_]+)</.exec(res.text)?.[1];
  if (typeof code !== 'string' || !/^ERR_[A-Z_]+$/.test(code))
    throw new Error(`${what} → ${res.status} without a code: ${res.text.slice(0, 300)}`);
}

function send(route: Route, contentType: string, body: string | Buffer, extra: Record<string, string> = {}) {
  return route
    .agent()
    .post(route.path)
    .set({ Accept: 'application/json', ...route.headers?.(), ...extra })
    .set('Content-Type', contentType)
    .send(body);
}

/** `body` with the route's pass fields added, so the fuzz reaches past the first check. */
function withPass(route: Route, kind: 'form' | 'json', body: string, usePass: boolean): string {
  if (!usePass || !route.pass) return body;
  const pass = route.pass();
  if (kind === 'form') return [new URLSearchParams(pass).toString(), body].filter(Boolean).join('&');
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? JSON.stringify({ ...pass, ...parsed }) : body;
  } catch {
    return body;
  }
}

describe.each(ROUTES.map((r) => [r.path, r] as const))('POST %s', (_path, route) => {
  test('arbitrary form bodies: never 5xx, always a code', async () => {
    await fc.assert(
      fc.asyncProperty(formBodyFor(route), fc.boolean(), async (body, usePass) => {
        const sent = withPass(route, 'form', body, usePass);
        expectCodedAnswer(await send(route, 'application/x-www-form-urlencoded', sent), `form ${JSON.stringify(sent)}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('arbitrary JSON bodies: never 5xx, always a code', async () => {
    await fc.assert(
      fc.asyncProperty(jsonBodyFor(route), fc.boolean(), async (body, usePass) => {
        const sent = withPass(route, 'json', body, usePass);
        expectCodedAnswer(await send(route, 'application/json', sent), `json ${sent}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('a corrupt or unknown Content-Encoding is a coded 400', async () => {
    const gzip = gzipSync(Buffer.from('role=dev-admin'));
    for (const [encoding, body] of [
      ['gzip', Buffer.from('not gzip at all')],
      ['gzip', gzip.subarray(0, gzip.length - 6)],
      ['deflate', Buffer.from('not deflate')],
      ['br', Buffer.from('not brotli')],
      ['x-unknown', Buffer.from('role=dev-admin')],
    ] as const) {
      const res = await send(route, 'application/x-www-form-urlencoded', body, { 'Content-Encoding': encoding });
      expectCodedAnswer(res, `Content-Encoding ${encoding}`);
      expect([res.status, (res.body as { code?: string }).code]).toEqual([400, 'ERR_BODY_ENCODING']);
    }
  });
});

test('a JSON role that is an object is a coded 400, not a 500', async () => {
  // A session of its own: the fuzzing of /sessions/revoke and /logout above may have ended the
  // first, and of /oauth/* and /device used up the device login's limits.
  const device = createDeviceFlow({ config: bridge.config, store: bridge.store, clock: bridge.clock, issuer: bridge.issuer! });
  const identity = { idp: 'demo', issuer: op.issuer, subject: 'fuzz-sub', groups: ['rambridge-dev'], amr: ['pwd'] };
  const { session } = await device.sessions.start(identity, { clientId: 'rambridge-cli', host: 'fuzz', ip: '127.0.0.1' });
  const { token } = await device.accessTokens.mint(session);
  const res = await bridge
    .agent()
    .post('/api/credentials')
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify({ role: { toString: 1 }, durationSeconds: 900 }))
    .expect(400);
  expect(res.body).toMatchObject({ code: 'ERR_BAD_REQUEST' });
});

test('none of the above was logged as a server error', () => {
  const errors = [...bridge.logLines, ...saml.logLines].map((l) => JSON.parse(l) as { level: number }).filter((l) => l.level >= 50);
  expect(errors).toEqual([]);
});

/** An STS that answers every call with the same made-up credentials. */
function fakeSts(): StsClient {
  const answer = {
    credentials: { accessKeyId: 'STS.AK', accessKeySecret: 'secret', securityToken: 'token', expiration: new Date(Date.UTC(2030, 0, 1)) },
    assumedRoleUser: { arn: 'acs:ram::1111222233334444:assumed-role/r/alice', assumedRoleId: 'id' },
    requestId: 'req-1',
  };
  return {
    assumeRoleWithSaml: () =>
      Promise.resolve({ ...answer, samlAssertionInfo: { subjectType: '', subject: '', recipient: '', issuer: '' } }),
    assumeRoleWithOidc: () => Promise.resolve({ ...answer, oidcTokenInfo: { issuer: '', subject: '', clientIds: [] } }),
    assumeRole: () => Promise.resolve(answer),
    getCallerIdentity: () => Promise.reject(new Error('unused')),
  };
}
