import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLogger, silentLogger } from '../../../src/log.js';
import { AuditLog } from '../../../src/issuance/audit.js';
import { bridgeWithEmulator, loginThroughFakeOp } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { CLIENT_ID, decide, poll, refresh, signedIn, started } from '../../helpers/device-flow.js';
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
const allRecords = (b: Bridge) => b.auditLines.map((l) => JSON.parse(l) as Record<string, unknown>);
/** Issuance and refusal records, without the sign-ins and CLI session events around them. */
const records = (b: Bridge) => allRecords(b).filter((r) => r.event === 'issuance' || r.event === 'refusal');

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
  test('who reused a refresh token, device approvals, CLI sessions started and revoked, sign-in and sign-out: each a record', async () => {
    op.user = ALICE;
    const browser = await signedIn(bridge, op, ALICE);
    const cli = bridge.agent();
    const first = await started(cli);
    await decide(browser, first.user_code, 'approve');
    const tokens = (await poll(cli, first.device_code).expect(200)).body as { refresh_token: string };
    await refresh(cli, tokens.refresh_token).expect(200);
    const reused = await refresh(cli, tokens.refresh_token).expect(400);
    const second = await started(cli);
    await decide(browser, second.user_code, 'approve');
    await poll(cli, second.device_code).expect(200);
    const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
    await browser.post('/logout').type('form').send({ _csrf: csrf, cli_sessions: 'end' }).expect(303);

    expect(bridge.logLines).toEqual([]);
    const alice = { idp: expect.any(String), issuer: op.issuer, subject: 'alice-sub', email: 'alice@example.com' };
    const audit = allRecords(bridge);
    const started1 = audit.find((r) => r.event === 'cli-session-started')!;
    expect(audit.map((r) => [r.event, r.code ?? r.by ?? null])).toEqual([
      ['login', null],
      ['device-approved', null],
      ['cli-session-started', null],
      ['refusal', 'ERR_REFRESH_TOKEN_REUSED'],
      ['device-approved', null],
      ['cli-session-started', null],
      ['logout', null],
      ['cli-session-revoked', 'user-sign-out'],
    ]);
    for (const r of audit)
      expect(r).toMatchObject({ audit: true, user: alice, requestId: expect.any(String), clientIp: expect.any(String) });
    expect(audit[3]).toMatchObject({ requestId: reused.body.request_id, sid: started1.sid });
    expect(audit[7]!.sid).toBe(audit[5]!.sid);
    expect(audit[0]).toMatchObject({ groups: ALICE.groups, amr: ['pwd'] });
    // The CLI's machine as documented (operations.md), not every field the CLI sent.
    expect(audit[1]!.device).toEqual({ host: expect.any(String), ip: expect.any(String) });
    expect(audit[2]!.device).toEqual({ host: expect.any(String) });
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
