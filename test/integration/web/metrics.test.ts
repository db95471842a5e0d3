import { Metrics, timed } from '../../../src/web/metrics.js';
import { bridgeWithEmulator, loginThroughFakeOp } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { CLIENT_ID, decide, poll, refresh, signedIn, started } from '../../helpers/device-flow.js';
import { DEVICE_CODE_GRANT } from '../../../src/wire/oauth.js';
import { csrfOf } from '../../helpers/web.js';

/** GET /metrics: what an operator graphs and alerts on, with bounded labels and nothing personal. */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());

const ALICE = { sub: 'alice-sub', email: 'alice@example.com', name: 'Alice', groups: ['rambridge-dev', 'rambridge-ops'], amr: ['pwd'] };
const TOKEN = 'metrics-token-0123456789abcdefghijklmnop';

/** The value of one sample line, e.g. `rambridge_logins_total{idp="demo",result="ok"}`. */
const sample = (text: string, series: string) =>
  Number(new RegExp(`^${series.replace(/[{}()[\]|+.]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);

describe('/metrics', () => {
  test('sign-ins, refusals, issuances, STS calls, device-flow states and store operations are counted; no user in any label', async () => {
    const b = await bridgeWithEmulator(op);
    try {
      op.user = ALICE;
      const browser = b.agent();
      await loginThroughFakeOp(browser, op);
      const page = await browser.get('/roles').expect(200);
      const csrf = csrfOf(page.text);
      await browser.post('/roles/credentials').type('form').send({ _csrf: csrf, role: 'dev-admin', duration: '900' }).expect(303);

      const cli = b.agent();
      const { device_code, user_code } = await started(cli);
      await poll(cli, device_code).expect(400);
      await decide(await signedIn(b, op, ALICE), user_code, 'approve');
      const tokens = (
        await cli.post('/oauth/token').type('form').send({ grant_type: DEVICE_CODE_GRANT, device_code, client_id: CLIENT_ID }).expect(200)
      ).body as { access_token: string; refresh_token: string };
      await refresh(cli, 'not-a-refresh-token').expect(400);

      const text = (await b.agent().get('/metrics').expect(200)).text;
      expect(sample(text, 'rambridge_logins_total{idp="demo",result="ok"}')).toBe(2);
      expect(sample(text, 'rambridge_refusals_total{code="ERR_REFRESH_TOKEN_INVALID"}')).toBe(1);
      expect(sample(text, 'rambridge_issuances_total{role="dev-admin",channel="web-credentials",outcome="issued"}')).toBe(1);
      expect(sample(text, 'rambridge_sts_request_duration_seconds_count{action="AssumeRoleWithSAML",result="ok"}')).toBe(1);
      for (const [state, n] of [
        ['started', 1],
        ['approved', 1],
        ['ERR_DEVICE_AUTHORIZATION_PENDING', 1],
        ['issued', 1],
      ] as const)
        expect(sample(text, `rambridge_device_flow_total{state="${state}"}`)).toBe(n);
      expect(sample(text, 'rambridge_store_operation_duration_seconds_count{operation="consume",result="ok"}')).toBeGreaterThan(0);
      for (const personal of ['alice', 'Alice', tokens.access_token, tokens.refresh_token, device_code, user_code])
        expect(text).not.toContain(personal);
    } finally {
      await b.close();
    }
  });

  test('with metrics.token, /metrics answers only that bearer token', async () => {
    const b = await bridgeWithEmulator(op, { config: (c) => void (c.metrics.token = TOKEN) });
    try {
      const none = await b.agent().get('/metrics').expect(401);
      expect(none.body.code).toBe('ERR_METRICS_UNAUTHORIZED');
      expect(none.headers['www-authenticate']).toMatch(/^Bearer /);
      await b.agent().get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
      const ok = await b.agent().get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      expect(ok.text).toContain('rambridge_http_requests_total');
    } finally {
      await b.close();
    }
  });

  test('errors are labelled by their code, anything else as ERR_INTERNAL', async () => {
    const metrics = new Metrics();
    await expect(
      timed(
        () => Promise.reject(Object.assign(new Error('x'), { code: 'ERR_STS_UNAVAILABLE' })),
        (r, s) => metrics.observeSts('AssumeRole', r, s),
      ),
    ).rejects.toThrow();
    await expect(
      timed(
        () => Promise.reject(new Error('secret-in-message')),
        (r, s) => metrics.observeSts('AssumeRole', r, s),
      ),
    ).rejects.toThrow();
    const text = await metrics.registry.metrics();
    expect(sample(text, 'rambridge_sts_request_duration_seconds_count{action="AssumeRole",result="ERR_STS_UNAVAILABLE"}')).toBe(1);
    expect(sample(text, 'rambridge_sts_request_duration_seconds_count{action="AssumeRole",result="ERR_INTERNAL"}')).toBe(1);
    expect(text).not.toContain('secret-in-message');
  });

  test('process metrics (heap, event-loop lag, GC) when asked for', async () => {
    const text = await new Metrics({ processMetrics: true }).registry.metrics();
    for (const name of [
      'rambridge_nodejs_heap_size_used_bytes',
      'rambridge_nodejs_eventloop_lag_seconds',
      'rambridge_nodejs_gc_duration_seconds',
    ])
      expect(text).toContain(name);
  });
});
