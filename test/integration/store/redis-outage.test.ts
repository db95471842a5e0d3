import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../../src/app.js';
import { ManualClock } from '../../../src/clock.js';
import { BridgeIssuer } from '../../../src/issuer/index.js';
import { createLogger } from '../../../src/log.js';
import { RedisStore } from '../../../src/store/index.js';
import { followOp } from '../../helpers/bridge.js';
import { demoConfig } from '../../helpers/config.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { startRedisServer, type RunningRedis } from '../../helpers/redis-server.js';

/**
 * A real redis-server stopped in the middle of use and started again on the same port: pages and
 * JSON answer 503 ERR_UNAVAILABLE without a stack, a sign-in started during the outage leaves
 * nothing behind, /readyz says not-ready, and everything works again without a restart.
 */
let op: FakeOp;
let redis: RunningRedis;
let store: RedisStore;
beforeAll(async () => {
  op = await FakeOp.start();
  redis = await startRedisServer();
});
afterAll(async () => {
  await store?.close();
  await redis?.stop();
  await op.close();
});

const cookieNames = (res: { headers: Record<string, unknown> }) =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split('=')[0]);

test('Redis down mid-use: coded 503 on pages and JSON, nothing half-written; Redis back: service resumes', async () => {
  const config = await demoConfig({ idpUrl: op.issuer, clientSecret: op.clientSecret });
  const clock = new ManualClock(Date.now());
  store = new RedisStore({ url: redis.url, keyPrefix: 'outage:' }, clock);
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({ write: (c: Buffer, _e, done) => (logLines.push(c.toString()), done()) }),
  });
  const issuer = await BridgeIssuer.create(config.issuer!, config.alibaba, config.server.publicUrl);
  const app = createApp({ config, store, logger, clock, issuer });
  const signIn = async () => {
    const browser = request.agent(app.callback());
    const start = await browser.get('/login').expect(302);
    const callback = await followOp(start.headers.location!);
    await browser
      .get(callback.pathname + callback.search)
      .expect(302)
      .expect('location', '/roles');
    return browser;
  };

  const browser = await signIn();
  await browser.get('/roles').expect(200);
  // A sign-in that reaches the IdP before the outage and comes back during it.
  const late = request.agent(app.callback());
  const lateCallback = await followOp((await late.get('/login').expect(302)).headers.location!);

  await redis.stop();
  const page = await browser.get('/roles').set('Accept', 'text/html').expect(503);
  expect(page.text).toContain('ERR_UNAVAILABLE');
  expect(page.text).toContain('Redis');
  expect(page.text).not.toMatch(/\bat .+\.(ts|js):\d+/);
  const json = await request(app.callback()).post('/oauth/device_authorization').type('form').send({ client_id: 'rambridge-cli' });
  expect(json.status).toBe(503);
  expect(json.body).toMatchObject({ code: 'ERR_UNAVAILABLE' });
  expect(JSON.stringify(json.body)).not.toMatch(/\.(ts|js):\d+/);
  // Its flow cannot be checked against the store: refused, and no session is started.
  const callback = await late.get(lateCallback.pathname + lateCallback.search).expect(503);
  expect(callback.body.code ?? callback.text).toContain('ERR_UNAVAILABLE');
  expect(cookieNames(callback)).not.toContain('rambridge.sid');
  const ready = await request(app.callback()).get('/readyz').expect(503);
  expect(ready.body).toMatchObject({ status: 'not-ready', checks: { store: 'failing' } });

  redis = await startRedisServer({ port: redis.port });
  // ioredis reconnects by itself (retryStrategy, at most 2 s apart).
  const deadline = Date.now() + 10_000;
  while ((await request(app.callback()).get('/readyz')).status !== 200) {
    if (Date.now() > deadline) throw new Error('the store did not come back');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await late
    .get('/roles')
    .expect(302)
    .expect('location', /^\/login/); // nothing half-written
  const again = await signIn();
  await again.get('/roles').expect(200);
  expect(logLines.join('')).not.toContain(op.clientSecret);
});
