import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The built `rambridge` command (npm test builds dist/ first). */
const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));

async function run(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH, ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Something else listening on a free port of 127.0.0.1, as another program would. */
async function occupied(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

describe('rambridge demo (npm start) on a port in use', () => {
  let taken: { server: Server; port: number };
  beforeEach(async () => (taken = await occupied()));
  afterEach(() => new Promise((resolve) => taken.server.close(resolve)));

  test("the bridge's port: which port, and --port / PORT to change it; no stack trace", async () => {
    const r = await run(['demo', '--idp-port', '0', '--emulator-port', '0', '--saml-idp-port', '0'], { PORT: String(taken.port) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^rambridge: error: Port ${taken.port} on 127\\.0\\.0\\.1 \\(the bridge\\) is already in use`, 'm'),
    );
    expect(r.stderr).toMatch(/^hint: .*--port \d+ \(or PORT=\d+\)/m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('the port the hint suggests is free: not the busy one ten above', async () => {
    const next = createServer();
    await new Promise<void>((resolve) => {
      next.once('error', () => resolve()); // already taken by someone else: as good for this test
      next.listen(taken.port + 10, '127.0.0.1', resolve);
    });
    try {
      const r = await run(['demo', '--idp-port', '0', '--emulator-port', '0', '--saml-idp-port', '0'], { PORT: String(taken.port) });
      const suggested = Number(/--port (\d+) \(or PORT=\1\)/.exec(r.stderr)?.[1]);
      expect(suggested).toBeGreaterThan(taken.port + 10);
    } finally {
      await new Promise((resolve) => next.close(resolve));
    }
  });

  test("the development IdP's port: names --idp-port, and exits (the bridge's port already bound is let go)", async () => {
    const r = await run(['demo', '--port', '0', '--idp-port', String(taken.port), '--emulator-port', '0', '--saml-idp-port', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Port ${taken.port} on 127.0.0.1 (the development IdP) is already in use`);
    expect(r.stderr).toContain('--idp-port');
    expect(r.stderr).toContain('RAMBRIDGE_DEMO_IDP_PORT=');
  });
});

describe('rambridge demo with a port that is no port', () => {
  test.each([
    [['--port', 'abc'], {}, '--port (or PORT) is a port number (0-65535), not "abc"'],
    [[], { PORT: 'abc' }, '--port (or PORT) is a port number (0-65535), not "abc"'],
    [['--saml-idp-port', '70000'], {}, '--saml-idp-port (or RAMBRIDGE_DEMO_SAML_IDP_PORT) is a port number'],
    [[], { RAMBRIDGE_DEMO_IDP_PORT: '80 ' }, '--idp-port (or RAMBRIDGE_DEMO_IDP_PORT) is a port number'],
  ])('%j %j: a usage error (exit 2) naming the flag and its variable, not a bug', async (args, env, message) => {
    const r = await run(['demo', ...args], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/bug in rambridge|^\s+at /m);
  });
});
