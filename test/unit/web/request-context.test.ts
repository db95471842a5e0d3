import Koa from 'koa';
import request from 'supertest';
import { silentLogger } from '../../../src/log.js';
import { Metrics } from '../../../src/web/metrics.js';
import { requestContext } from '../../../src/web/middleware/request-context.js';

describe('requestContext', () => {
  test('gives the request an id and a child logger, and keeps what earlier middleware put on ctx.state', async () => {
    const app = new Koa();
    app.use((ctx, next) => {
      (ctx.state as unknown as Record<string, unknown>).language = 'zh-CN';
      return next();
    });
    app.use(requestContext(silentLogger(), new Metrics()));
    app.use((ctx) => {
      ctx.body = {
        language: (ctx.state as unknown as Record<string, unknown>).language,
        requestId: ctx.state.requestId,
        logs: typeof ctx.state.log.info,
      };
    });
    const res = await request(app.callback()).get('/x');
    expect(res.body).toEqual({ language: 'zh-CN', requestId: res.headers['x-request-id'], logs: 'function' });
    expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});
