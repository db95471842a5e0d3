import { execFile, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createContext } from '../../../src/cli/client/context.js';

/** The built `rambridge` command (npm test builds dist/ first). */
const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));

/** A bridge that has ended every session: access tokens invalid, the refresh token refused. */
async function endedBridge(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/')) {
      res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' });
      res.end(JSON.stringify({ error: 'invalid_token', code: 'ERR_TOKEN_INVALID' }));
    } else {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

describe('an ended session', () => {
  let bridge: { server: Server; url: string };
  let home: string;
  beforeAll(async () => (bridge = await endedBridge()));
  afterAll(() => new Promise((resolve) => bridge.server.close(resolve)));
  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'rambridge-relogin-'));
    await createContext({ HOME: home }).sessions.put(bridge.url, {
      tokenEndpoint: `${bridge.url}/oauth/token`,
      accessToken: 'at-old',
      accessTokenExpiresAt: Date.now() + 600_000,
      refreshToken: 'rt-old',
      user: { idp: 'okta', subject: 'u-1' },
    });
  });

  test('without a terminal (CI, pipes): exit 3 and the hint at once, no question, no wait for input', async () => {
    const child = promisify(execFile)(process.execPath, [bin, 'whoami', '--server', bridge.url], {
      env: { PATH: process.env.PATH, HOME: home },
      timeout: 15_000,
    });
    const r = await child.then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => err,
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`hint: Run: rambridge login --server ${bridge.url}`);
    expect(r.stderr).not.toContain('Log in again?');
  });

  test('on a terminal: "Log in again? [Y/n]"; answering n keeps exit 3', async () => {
    // `script` gives the command a pseudo-terminal, as a person's shell would.
    const command = [process.execPath, bin, 'whoami', '--server', bridge.url].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH, HOME: home, TERM: 'dumb' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('[Y/n]')) child.stdin.end('n\n');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(output).toContain('Your rambridge session has ended. Log in again? [Y/n]');
    expect(output).toContain('rambridge: error: Your rambridge session has ended.');
    expect(code).toBe(3);
  });
});
