import { samlBridge } from '../../helpers/saml-bridge.js';

/** The address the bridge logged for the one request it served. */
function loggedIp(logLines: string[]): unknown {
  const line = logLines.map((l) => JSON.parse(l) as { msg?: string; ip?: unknown }).find((l) => l.msg === 'request');
  return line?.ip;
}

/**
 * Behind reverse proxies the client address is the X-Forwarded-For entry written by the outermost
 * trusted proxy: `trustProxy` hops from the right. Entries further left are whatever the client
 * sent, and must never become the address used for rate limits, audit records and the device
 * page's "another network" warning.
 */
describe('trustProxy as a hop count', () => {
  test.each([
    ['1 proxy', 1, '6.6.6.6, 203.0.113.9', '203.0.113.9'],
    ['true, read as 1 proxy', true, '6.6.6.6, 203.0.113.9', '203.0.113.9'],
    ['2 proxies', 2, '6.6.6.6, 203.0.113.9, 10.0.0.2', '203.0.113.9'],
    ['2 proxies, the client sent several entries', 2, '6.6.6.6, 7.7.7.7, 203.0.113.9, 10.0.0.2', '203.0.113.9'],
  ])('%s: the forged leftmost entry is ignored', async (_name, trustProxy, forwardedFor, expected) => {
    const bridge = await samlBridge({}, [], { trustProxy });
    await bridge.agent().get('/healthz').set('X-Forwarded-For', forwardedFor).expect(200);
    expect(loggedIp(bridge.logLines)).toBe(expected);
  });

  test('0 (the default): X-Forwarded-For is not read at all', async () => {
    const bridge = await samlBridge();
    expect(bridge.config.server.trustProxy).toBe(0);
    await bridge.agent().get('/healthz').set('X-Forwarded-For', '6.6.6.6').expect(200);
    expect(loggedIp(bridge.logLines)).toMatch(/127\.0\.0\.1$/);
  });
});

describe('https publicUrl reached over plain http', () => {
  test('without trustProxy: a warning at start, and /login is a coded error naming the setting', async () => {
    const bridge = await samlBridge({}, [], { publicUrl: 'https://bridge.example.com' });
    expect(bridge.config.warnings.some((w) => w.includes('server.trustProxy'))).toBe(true);
    const res = await bridge.agent().get('/login?idp=corp').set('Accept', 'application/json').set('X-Forwarded-Proto', 'https');
    expect({ status: res.status, code: (res.body as { code?: string }).code }).toEqual({ status: 500, code: 'ERR_TRANSPORT_INSECURE' });
    const page = await bridge.agent().get('/login?idp=corp').set('Accept', 'text/html');
    expect(/data-testid="error-code">([A-Z_]+)</.exec(page.text)?.[1]).toBe('ERR_TRANSPORT_INSECURE');
  });

  test('with trustProxy and X-Forwarded-Proto: https from the proxy, sign-in starts with a Secure flow cookie', async () => {
    const bridge = await samlBridge({}, [], { publicUrl: 'https://bridge.example.com', trustProxy: 1 });
    expect(bridge.config.warnings.some((w) => w.includes('server.trustProxy'))).toBe(false);
    const res = await bridge.agent().get('/login?idp=corp').set('X-Forwarded-Proto', 'https').expect(302);
    expect(res.headers['set-cookie']).toEqual([expect.stringMatching(/^__Host-rambridge-flow=.*; secure/)]);
  });
});
