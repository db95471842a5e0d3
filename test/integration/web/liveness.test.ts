import { testBridge } from '../../helpers/bridge.js';
import { fakeOpForFile } from '../../helpers/fake-op.js';

/**
 * `GET /healthz` is answered ahead of sessions, body parsing and the router (a probe every few
 * seconds needs none of them), yet keeps what every response has: the security headers, a request
 * id, a metrics sample under its route, and an access line, at debug unless it fails.
 */
const fake = fakeOpForFile();

test('liveness: JSON, security headers, a request id, no session; counted in the metrics', async () => {
  const { agent, logLines } = await testBridge(fake.op);
  const res = await agent().get('/healthz').expect(200, { status: 'ok' });
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-request-id']).toMatch(/^\S{8,}$/);
  expect(res.headers['set-cookie']).toBeUndefined();
  await agent().head('/healthz').expect(200);
  await agent().post('/healthz').expect(405);

  const metrics = (await agent().get('/metrics').expect(200)).text;
  expect(metrics).toMatch(/rambridge_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1\b/);
  const access = logLines.map((l) => JSON.parse(l) as { msg: string; path?: string; level: number }).filter((l) => l.msg === 'request');
  expect(access.find((l) => l.path === '/healthz')).toMatchObject({ level: 20 }); // debug: probes do not bury the access log
  expect(access.find((l) => l.path === '/metrics')).toMatchObject({ level: 30 });
});

test('a method no route has (PROPFIND, TRACE…) is 405 ERR_METHOD_NOT_ALLOWED, not a 500 with an error line and a stack', async () => {
  const { agent, logLines } = await testBridge(fake.op);
  for (const method of ['PROPFIND', 'MKCOL', 'TRACE', 'PURGE']) {
    for (const path of ['/roles', '/healthz', '/no-such-page']) {
      const client = agent() as unknown as Record<string, (url: string) => ReturnType<ReturnType<typeof agent>['get']>>;
      const res = await client[method.toLowerCase()]!(path).set('Accept', 'application/json');
      expect([res.status, res.body.code]).toEqual([405, 'ERR_METHOD_NOT_ALLOWED']);
    }
  }
  const errors = logLines.map((l) => JSON.parse(l) as { level: number }).filter((l) => l.level >= 50);
  expect(errors).toEqual([]);
});
