import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLogger, silentLogger } from '../../../src/log.js';
import { AuditLog } from '../../../src/issuance/audit.js';
import { bridgeWithEmulator, loginThroughFakeOp } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { CLIENT_ID, decide, refresh, signedIn, started } from '../../helpers/device-flow.js';
import { DEVICE_CODE_GRANT } from '../../../src/wire/oauth.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * The audit stream (README "Audit stream"): one record per issuance and per refusal, on its own
 * destination, written whatever the main log level, carrying the request id the client saw, and
 * never a secret.
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());

const ALICE = { sub: 'alice-sub', email: 'alice@example.com', name: 'Alice', groups: ['rambridge-dev', 'rambridge-ops'], amr: ['pwd'] };
const CANARY = 'CANARY-9f3b2c7d1e';

type Bridge = Awaited<ReturnType<typeof bridgeWithEmulator>>;
const records = (b: Bridge) => b.auditLines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe('audit stream', () => {
  let bridge: Bridge;
  beforeEach(async () => {
    // The main log is silent: the audit stream must not depend on it.
    bridge = await bridgeWithEmulator(op, { logLevel: 'silent', separateAudit: true });
  });
  afterEach(() => bridge.close());

  test('web and CLI issuances and refusals each write one record with the request id; no secret, whatever the log level', async () => {
    op.user = ALICE;
    const browser = bridge.agent();
    await loginThroughFakeOp(browser, op);
    const page = await browser.get('/roles').expect(200);
    const csrf = csrfOf(page.text);
    const minted = await browser
      .post('/roles/credentials')
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrf, role: 'dev-admin', duration: '900' })
      .expect(303);
    const web = await browser.get(minted.headers.location!).expect(200);
    const secret = /ALIBABA_CLOUD_ACCESS_KEY_SECRET=(?:'|&#39;)([^'&]+)/.exec(web.text)![1]!;

    // The CLI: a device login, credentials over the API, then refusals carrying canaries.
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    await decide(await signedIn(bridge, op, ALICE), user_code, 'approve');
    const tokens = (
      await cli.post('/oauth/token').type('form').send({ grant_type: DEVICE_CODE_GRANT, device_code, client_id: CLIENT_ID }).expect(200)
    ).body as { access_token: string; refresh_token: string };
    const api = await cli
      .post('/api/credentials')
      .set({ Authorization: `Bearer ${tokens.access_token}` })
      .send({ role: 'dev-readonly', durationSeconds: 900 })
      .expect(200);
    const refused = await refresh(cli, `${CANARY}-refresh`).expect(400);
    await cli
      .get('/api/whoami')
      .set({ Authorization: `Bearer ${CANARY}.x.y` })
      .expect(401);
    await browser.get('/favicon.ico'); // a 404 is not a refusal worth recording

    expect(bridge.logLines).toEqual([]);
    const audit = records(bridge);
    expect(audit.map((r) => [r.event, r.outcome ?? r.code, r.channel ?? r.route])).toEqual([
      ['issuance', 'issued', 'web-credentials'],
      ['issuance', 'issued', 'cli'],
      ['refusal', 'ERR_REFRESH_TOKEN_INVALID', '/oauth/token'],
      ['refusal', 'ERR_TOKEN_INVALID', '/api/whoami'],
    ]);
    expect(audit[0]).toMatchObject({
      audit: true,
      requestId: minted.headers['x-request-id'],
      user: { email: 'alice@example.com' },
      roleId: 'dev-admin',
    });
    expect(audit[0]!.stsRequestId).toEqual(expect.any(String));
    expect(audit[1]).toMatchObject({ requestId: api.headers['x-request-id'], roleId: 'dev-readonly' });
    expect(audit[2]).toMatchObject({ requestId: refused.body.request_id, status: 400, clientIp: expect.any(String) });

    const all = bridge.auditLines.join('\n');
    for (const leaked of [CANARY, secret, tokens.access_token, tokens.refresh_token, device_code, user_code])
      expect(all).not.toContain(leaked);
  });
  test('a deep link to a role not granted, answered with the picker’s own 403 page, is a refusal record naming the user', async () => {
    op.user = ALICE;
    const browser = bridge.agent();
    await loginThroughFakeOp(browser, op);
    const page = await browser.get('/roles/prod-admin').set('Accept', 'text/html').expect(403);
    expect(page.text).toContain('ERR_ROLE_NOT_GRANTED');

    expect(records(bridge)).toEqual([
      expect.objectContaining({
        event: 'refusal',
        code: 'ERR_ROLE_NOT_GRANTED',
        status: 403,
        route: '/roles/:alias',
        requestId: page.headers['x-request-id'],
        user: expect.objectContaining({ email: 'alice@example.com' }),
      }),
    ]);
  });
});

describe('audit destinations', () => {
  test('a file path: records are appended there at level info even when the main log is silent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rambridge-audit-'));
    try {
      const file = join(dir, 'sub', 'audit.log');
      const audit = new AuditLog(createAuditLogger(silentLogger(), file));
      audit.refusal({ code: 'ERR_TOKEN_INVALID', status: 401, method: 'GET', route: '/api/whoami', clientIp: '10.0.0.1' });
      const lines = (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines).toEqual([
        expect.objectContaining({ level: 30, audit: true, stream: 'audit', event: 'refusal', code: 'ERR_TOKEN_INVALID' }),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
