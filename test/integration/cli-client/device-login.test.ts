import { hostname } from 'node:os';
import { deviceLogin, type LoginUi } from '../../../src/cli/client/device-login.js';
import { SERVER } from './fake-bridge.js';
import { fakeSetup } from './setup.js';

function ui(): LoginUi & { output: () => string; sleeps: number[]; opened: string[] } {
  let text = '';
  const sleeps: number[] = [];
  const opened: string[] = [];
  return {
    stream: { write: (t: string) => (text += t), isTTY: false },
    sleep: async (s) => void sleeps.push(s),
    openBrowser: (url) => opened.push(url),
    output: () => text,
    sleeps,
    opened,
  };
}

test('device flow with PKCE: instructions, browser, RFC 8628 polling, tokens stored, server remembered', async () => {
  const { bridge, context } = fakeSetup();
  bridge.pollScript = ['authorization_pending', 'slow_down', 'authorization_pending'];
  const screen = ui();
  const { user } = await deviceLogin(context(), SERVER, screen);

  expect(user.email).toBe('alice@example.com');
  expect(screen.sleeps).toEqual([5, 5, 10, 10]);
  expect(screen.opened).toEqual([`${SERVER}/device?user_code=BCDF-GHJK`]);
  expect(screen.output()).toContain('Enter code:  BCDF-GHJK');
  expect(screen.output()).toContain(`Approve only if the page shows this code and the computer "${hostname()}"`);
  expect(screen.output()).toContain('Waiting for approval (the code expires in 10 min)');
  const session = await context().sessions.get(SERVER);
  expect(session).toMatchObject({
    user: { idp: 'okta', subject: 'u-1' },
    sessionExpiresAt: '2030-01-01T00:00:00Z',
    tokenEndpoint: `${SERVER}/oauth/token`,
  });
  await expect(context().settings.read()).resolves.toEqual({ server: SERVER });
});

test('with the local clock 2 h slow, the session ends when the server’s time left says (the time login shows)', async () => {
  const { bridge, clock, context } = fakeSetup();
  bridge.now = () => Date.parse('2029-12-31T22:00:00Z'); // the session has 2 h left by the server's clock
  clock.set(Date.parse('2029-12-31T20:00:00Z'));
  await expect(deviceLogin(context(), SERVER, ui())).resolves.toMatchObject({ sessionEndsAt: Date.parse('2029-12-31T22:00:00Z') });
});

test('a new login ends the previous session at the server', async () => {
  const { bridge, context } = fakeSetup();
  await deviceLogin(context(), SERVER, ui());
  const first = (await context().sessions.get(SERVER))!;
  await deviceLogin(context(), SERVER, ui());
  expect(bridge.revoked).toEqual([first.refreshToken]);
});

test('denied in the browser: exit 6, nothing stored', async () => {
  const { bridge, context } = fakeSetup();
  bridge.pollScript = ['authorization_pending', 'access_denied'];
  await expect(deviceLogin(context(), SERVER, ui())).rejects.toMatchObject({ code: 'ERR_CLI_LOGIN_DENIED', exitCode: 6 });
  await expect(context().sessions.get(SERVER)).resolves.toBeUndefined();
});

test('a server whose discovery names another issuer is refused before a sign-in starts', async () => {
  const { bridge, context } = fakeSetup();
  await expect(deviceLogin(context(), 'https://bridge.example/sub', ui())).rejects.toMatchObject({
    code: 'ERR_CLI_NOT_A_BRIDGE',
    hint: `Use: rambridge login --server ${SERVER}`,
  });
  expect(bridge.calls).toEqual(['GET /sub/.well-known/openid-configuration']);
});

describe('the QR code', () => {
  const QR_BLOCKS = /[▀▄█]/;

  test('off by default: the instructions fit an 80×24 terminal with the code in view', async () => {
    const screen = ui();
    await deviceLogin(fakeSetup().context(), SERVER, screen);
    const lines = screen.output().split('\n');
    expect(screen.output()).not.toMatch(QR_BLOCKS);
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(lines.findIndex((l) => l.includes('Enter code:  BCDF-GHJK'))).toBeGreaterThanOrEqual(0);
  });

  test('--qr: printed above the code, so what scrolls away is the QR, never the code', async () => {
    const screen = { ...ui(), qr: true };
    await deviceLogin(fakeSetup().context(), SERVER, screen);
    const lines = screen.output().split('\n');
    const lastQrLine = lines.map((l) => QR_BLOCKS.test(l)).lastIndexOf(true);
    const codeLine = lines.findIndex((l) => l.includes('Enter code:  BCDF-GHJK'));
    expect(lastQrLine).toBeGreaterThan(0);
    expect(codeLine).toBeGreaterThan(lastQrLine);
    // Everything from the code on (link, host check, waiting line) fits under the QR's last rows.
    expect(lines.length - codeLine).toBeLessThan(12);
  });
});

test.each([
  ['another site', 'https://login.evil.example/device'],
  ['a file', 'file:///Applications/Calculator.app'],
  ['a script', 'javascript:alert(1)'],
  ['plain http on the same host', 'http://bridge.example/device'],
])('a sign-in page on %s is refused: nothing opened, nothing polled', async (_what, page) => {
  const { bridge, context } = fakeSetup();
  bridge.verificationPage = page;
  const screen = ui();
  await expect(deviceLogin(context(), SERVER, screen)).rejects.toMatchObject({ code: 'ERR_CLI_SERVER_ERROR' });
  expect(screen.opened).toEqual([]);
  expect(bridge.calls).not.toContain('POST /oauth/token');
});

test('the instructions print the server’s page without the escape sequences a terminal would act on', async () => {
  const { bridge, context } = fakeSetup();
  // On the server's own origin, so it is accepted; an ESC[1A ESC[2K would rewrite the line above.
  bridge.verificationPage = `${SERVER}/device\u001b[1A\u001b[2K`;
  const screen = ui();
  await deviceLogin(context(), SERVER, screen);
  expect(screen.output()).not.toContain('\u001b');
  expect(screen.output()).toContain(`${SERVER}/device%1B[1A%1B[2K`);
});

test('a page with a newline prints as the URL that was checked, never as a second line of its own', async () => {
  const { bridge, context } = fakeSetup();
  // The URL parser drops the newline, so the origin is the server's; printed raw, the rest would be a line.
  bridge.verificationPage = `${SERVER}/device\n  (mirror: https://evil.test/device)`;
  const screen = ui();
  await deviceLogin(context(), SERVER, screen);
  expect(screen.output()).not.toMatch(/^\s*\(mirror/m);
  expect(screen.output()).toContain(`Open:        ${SERVER}/device%20%20(mirror:%20https://evil.test/device)\n`);
  expect(screen.opened).toEqual([`${SERVER}/device%20%20(mirror:%20https://evil.test/device)?user_code=BCDF-GHJK`]);
});

test.each([
  ['a newline and a link', 'BCDF-GHJK\n\n  Or open this link:\n  https://bridge-example.evil.test/device'],
  ['a space', 'BCDF GHJK'],
  ['a tab', 'BCDF\tGHJK'],
  ['lower case', 'bcdf-ghjk'],
  ['too many characters', 'BCDF-'.repeat(8)],
  ['nothing', ''],
])('a user code with %s is refused as not a bridge: nothing printed, nothing polled', async (_what, code) => {
  const { bridge, context } = fakeSetup();
  bridge.userCode = code;
  const screen = ui();
  await expect(deviceLogin(context(), SERVER, screen)).rejects.toMatchObject({ code: 'ERR_CLI_NOT_A_BRIDGE' });
  expect(screen.output()).toBe('');
  expect(bridge.calls).not.toContain('POST /oauth/token');
});

test('user codes of another alphabet or length are shown', async () => {
  const { bridge, context } = fakeSetup();
  bridge.userCode = 'WDJB-MJHT-0042';
  const screen = ui();
  await deviceLogin(context(), SERVER, screen);
  expect(screen.output()).toContain('Enter code:  WDJB-MJHT-0042\n');
});

test.each([
  ['token_endpoint', 'http://tokens.other.example/oauth/token'],
  ['token_endpoint', 'http://bridge.example/oauth/token'],
  ['device_authorization_endpoint', 'https://bridge.example.evil.test/oauth/device_authorization'],
  ['revocation_endpoint', 'https://other.example/oauth/revoke'],
  ['revocation_endpoint', 'not a url'],
])('a discovery document putting %s at %s is refused before anything is sent there', async (name, url) => {
  const { bridge, context } = fakeSetup();
  bridge.endpoints = { [name]: url };
  await expect(deviceLogin(context(), SERVER, ui())).rejects.toMatchObject({
    code: 'ERR_CLI_NOT_A_BRIDGE',
    message: `${SERVER} does not look like a rambridge server (its discovery document puts ${name} off the server, at ${url}).`,
  });
  expect(bridge.calls).toEqual(['GET /.well-known/openid-configuration']);
});
