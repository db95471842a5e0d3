import { testBridge } from '../../helpers/bridge.js';
import { fakeOpForFile } from '../../helpers/fake-op.js';

const fake = fakeOpForFile();

test('a 405 names the methods the path allows in Allow (RFC 9110 §15.5.6), for JSON and page clients alike', async () => {
  const { agent } = await testBridge(fake.op);
  for (const [method, path, allowed] of [
    ['put', '/roles', 'GET'],
    ['post', '/healthz', 'GET'],
    ['delete', '/oauth/token', 'POST'],
    ['get', '/logout', 'POST'],
  ] as const) {
    for (const accept of ['application/json', 'text/html']) {
      const res = await agent()[method](path).set('Accept', accept);
      expect([res.status, res.headers['allow']?.split(', ')]).toEqual([405, expect.arrayContaining([allowed])]);
      expect(res.headers['allow']).not.toContain(method.toUpperCase());
      if (accept === 'application/json') expect(res.body.code).toBe('ERR_METHOD_NOT_ALLOWED');
      else expect(res.text).toContain('ERR_METHOD_NOT_ALLOWED');
    }
  }
  // A method no route has at all: 405 too, with what the path does allow.
  const propfind = await (agent() as unknown as { propfind(url: string): ReturnType<ReturnType<typeof agent>['get']> })
    .propfind('/roles')
    .set('Accept', 'application/json');
  expect([propfind.status, propfind.body.code, propfind.headers['allow']]).toEqual([
    405,
    'ERR_METHOD_NOT_ALLOWED',
    expect.stringContaining('GET'),
  ]);
});

test('a body over the 64 KiB limit is 413 ERR_BODY_TOO_LARGE, "too large", not a request "that could not be understood"', async () => {
  const { agent, logLines } = await testBridge(fake.op);
  const form = await agent()
    .post('/oauth/token')
    .type('form')
    .send(`client_id=rambridge-cli&grant_type=refresh_token&refresh_token=${'a'.repeat(70_000)}`);
  expect([form.status, form.body.error, form.body.code, form.body.error_description]).toEqual([
    413,
    'invalid_request', // RFC 6749 §5.2: the client's fault, not server_error
    'ERR_BODY_TOO_LARGE',
    'What was sent is too large.',
  ]);
  const json = await agent()
    .post('/api/credentials')
    .set('Content-Type', 'application/json')
    .send(JSON.stringify({ role: 'x'.repeat(70_000) }));
  expect([json.status, json.body.code]).toEqual([413, 'ERR_BODY_TOO_LARGE']);
  const refused = logLines
    .map((l) => JSON.parse(l) as { code?: string; detail?: { limit?: number } })
    .find((l) => l.code === 'ERR_BODY_TOO_LARGE');
  expect(refused?.detail?.limit).toBe(64 * 1024);
});
