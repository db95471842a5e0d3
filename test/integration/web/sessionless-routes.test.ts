import { createHmac } from 'node:crypto';
import { jest } from '@jest/globals';
import request from 'supertest';
import { testBridge } from '../../helpers/bridge.js';

/** A signed koa-session cookie for session id `sid`, as the bridge itself would set it. */
function sessionCookie(secret: string, sid: string): string {
  const pair = `rambridge.sid=${sid}`;
  const sig = createHmac('sha1', secret)
    .update(pair)
    .digest('base64')
    .replace(/\/|\+|=/g, (c) => ({ '/': '_', '+': '-', '=': '' })[c]!);
  return `${pair}; rambridge.sid.sig=${sig}`;
}

describe('routes that never use the browser session', () => {
  test.each(['/healthz', '/jwks.json', '/api/roles'])(
    '%s neither reads nor refreshes a browser session sent along (no store round trip, no cookie)',
    async (path) => {
      const { app, store, clock, config } = await testBridge({ issuer: 'http://127.0.0.1:9', clientSecret: 'x' });
      const now = clock.now();
      const identity = { idp: 'demo', issuer: 'http://127.0.0.1:9', subject: 'alice', groups: ['rambridge-dev'], amr: ['pwd'] };
      // A live session whose seenAt is due for a refresh: a session-aware request would rewrite it.
      await store.upsert('session:sid-1', { identity, loginAt: now - 120_000, seenAt: now - 120_000 }, 3600);
      const find = jest.spyOn(store, 'find');
      const res = await request(app.callback()).get(path).set('Cookie', sessionCookie(config.server.sessionSecrets[0]!, 'sid-1'));
      expect(find.mock.calls.map(([key]) => key)).not.toContain('session:sid-1');
      expect(res.headers['set-cookie']).toBeUndefined();
    },
  );

  test('a page that uses the session still reads it', async () => {
    const { app, store, clock, config } = await testBridge({ issuer: 'http://127.0.0.1:9', clientSecret: 'x' });
    const now = clock.now();
    const identity = { idp: 'demo', issuer: 'http://127.0.0.1:9', subject: 'alice', groups: ['rambridge-dev'], amr: ['pwd'] };
    await store.upsert('session:sid-1', { identity, loginAt: now, seenAt: now }, 3600);
    const res = await request(app.callback()).get('/roles').set('Cookie', sessionCookie(config.server.sessionSecrets[0]!, 'sid-1'));
    expect(res.status).toBe(200);
  });
});
