import { authnRequestOf, postToAcs, samlBridge, signedAnswer } from '../../helpers/saml-bridge.js';

type Bridge = Awaited<ReturnType<typeof samlBridge>>;

/** The flow cookies a `GET /login` sets, by name, with their attributes (lower-case). */
async function flowCookies(bridge: Bridge, headers: Record<string, string> = {}): Promise<Record<string, string>> {
  const res = await bridge.agent().get('/login?idp=corp').set(headers).expect(302);
  const cookies = (res.headers['set-cookie'] as unknown as string[]).map((c) => [
    c.split('=')[0]!,
    c.slice(c.indexOf(';') + 1).toLowerCase(),
  ]);
  return Object.fromEntries(cookies);
}

/** Parsed JSON log lines of a refusal with `code`. */
const refusals = (bridge: Bridge, code: string) =>
  bridge.logLines.map((l) => JSON.parse(l) as { code?: string; detail?: Record<string, unknown> }).filter((l) => l.code === code);

/**
 * The flow cookie must come back on the IdP's answer, which for SAML is a cross-site POST: only a
 * SameSite=None cookie (which must be Secure) accompanies it. Browsers keep Secure cookies on
 * plain-http loopback (a secure context), so a loopback publicUrl gets one too, next to a Lax copy.
 */
describe('flow cookie by publicUrl', () => {
  test('http loopback: a Secure SameSite=None cookie for cross-site IdPs, and a Lax copy', async () => {
    for (const publicUrl of ['http://127.0.0.1:8080', 'http://localhost:8080']) {
      const cookies = await flowCookies(await samlBridge({}, [], { publicUrl }));
      expect(Object.keys(cookies).sort()).toEqual(['rambridge.flow', 'rambridge.flow-xsite']);
      expect(cookies['rambridge.flow-xsite']!.split('; ')).toEqual(expect.arrayContaining(['secure', 'samesite=none', 'httponly']));
      expect(cookies['rambridge.flow']!.split('; ')).toEqual(expect.arrayContaining(['samesite=lax', 'httponly']));
      expect(cookies['rambridge.flow']!.split('; ')).not.toContain('secure');
    }
  });

  test('https: one __Host- cookie, Secure and SameSite=None', async () => {
    const cookies = await flowCookies(await samlBridge({}, [], { publicUrl: 'https://bridge.example.com', trustProxy: 1 }), {
      'X-Forwarded-Proto': 'https',
    });
    expect(Object.keys(cookies)).toEqual(['__Host-rambridge-flow']);
    expect(cookies['__Host-rambridge-flow']!.split('; ')).toEqual(expect.arrayContaining(['secure', 'samesite=none', 'httponly']));
  });

  test('plain http elsewhere: Lax only, and a start-up warning that cross-site SAML IdPs cannot work', async () => {
    const bridge = await samlBridge({}, [], { publicUrl: 'http://bridge.internal:8080' });
    expect(Object.keys(await flowCookies(bridge))).toEqual(['rambridge.flow']);
    expect(bridge.config.warnings.some((w) => w.includes('ERR_AUTH_FLOW_MISSING'))).toBe(true);
    const loopback = await samlBridge();
    expect(loopback.config.warnings.some((w) => w.includes('ERR_AUTH_FLOW_MISSING'))).toBe(false);
  });

  test('either cookie alone carries the flow (browsers that refuse Secure on http keep the Lax one)', async () => {
    for (const kept of ['rambridge.flow', 'rambridge.flow-xsite']) {
      const bridge = await samlBridge();
      const start = await bridge.agent().get('/login?idp=corp').expect(302);
      const cookie = (start.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith(`${kept}=`))!.split(';')[0]!;
      const { requestId } = authnRequestOf(start.headers.location!);
      const res = await postToAcs(bridge.agent().set('Cookie', cookie), signedAnswer(bridge, requestId));
      expect({ kept, location: res.headers.location }).toEqual({ kept, location: '/roles' });
    }
  });

  test('a missing flow is logged with which flow cookies arrived', async () => {
    const bridge = await samlBridge();
    const browser = bridge.agent();
    const start = await browser.get('/login?idp=corp').expect(302);
    const { requestId } = authnRequestOf(start.headers.location!);
    // A cross-site POST from a browser that dropped the cookies: none arrives.
    await postToAcs(bridge.agent(), signedAnswer(bridge, requestId));
    expect(refusals(bridge, 'ERR_AUTH_FLOW_MISSING').at(-1)?.detail).toMatchObject({
      reason: 'no flow cookie',
      cookies: { 'rambridge.flow': 'absent', 'rambridge.flow-xsite': 'absent' },
      fetchSite: 'cross-site',
    });
    // The flow cookie arrived but was tampered with.
    const cookie = (start.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('rambridge.flow='))!.split(';')[0]!;
    await postToAcs(bridge.agent().set('Cookie', `${cookie.slice(0, -6)}AAAAAA`), signedAnswer(bridge, requestId));
    expect(refusals(bridge, 'ERR_AUTH_FLOW_MISSING').at(-1)?.detail).toMatchObject({
      reason: 'flow cookie not ours or altered',
      cookies: { 'rambridge.flow': 'present', 'rambridge.flow-xsite': 'absent' },
    });
  });
});
