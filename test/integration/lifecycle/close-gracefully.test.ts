import { Agent, createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeGracefully, KEEP_ALIVE_TIMEOUT_MS, listenStartingUp, serveWith } from '../../../src/http-server.js';

/** A server whose `/slow` answers only when the test says so. */
async function serverWithSlowRoute(): Promise<{ server: Server; url: string; finishSlow: () => void; slowStarted: Promise<void> }> {
  let finishSlow!: () => void;
  let started!: () => void;
  const slowStarted = new Promise<void>((resolve) => (started = resolve));
  const released = new Promise<void>((resolve) => (finishSlow = resolve));
  const server = createServer((req, res) => {
    if (req.url !== '/slow') return void res.end('fast');
    started();
    void released.then(() => res.end('slow done'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, finishSlow, slowStarted };
}

function fetchText(url: string, agent?: Agent): Promise<{ status?: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    get(url, { agent }, (res: IncomingMessage) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', (err) => resolve({ body, error: err.message }));
    }).on('error', (err) => resolve({ body: '', error: err.message }));
  });
}

describe('closeGracefully', () => {
  test('idle keep-alive connections close at once; a request in flight finishes within the grace period', async () => {
    const { server, url, finishSlow, slowStarted } = await serverWithSlowRoute();
    const agent = new Agent({ keepAlive: true });
    expect((await fetchText(`${url}/`, agent)).body).toBe('fast');
    const idleSocketClosed = new Promise<void>((resolve) => {
      const socket = Object.values(agent.freeSockets).flat()[0]!;
      socket.once('close', () => resolve());
    });
    const slow = fetchText(`${url}/slow`);
    await slowStarted;

    // A grace far longer than the test's own timeout: nothing here may wait for it.
    const closed = closeGracefully(server, 10 * 60_000);
    await idleSocketClosed;
    expect(server.listening).toBe(false);
    finishSlow();
    expect(await slow).toEqual({ status: 200, body: 'slow done' });
    await closed;
    agent.destroy();
  });

  test('after the grace period every connection left is cut, and close resolves', async () => {
    const { server, url, slowStarted } = await serverWithSlowRoute();
    const slow = fetchText(`${url}/slow`); // never released
    await slowStarted;
    await closeGracefully(server, 0);
    expect((await slow).status).toBeUndefined();
    expect(server.listening).toBe(false);
  });
});

test('idle keep-alive connections stay open 65 s, longer than a load balancer’s usual 60 s, and say so', async () => {
  // Node's 5 s default makes a balancer that reuses connections send requests down sockets being closed (502s).
  const server = await listenStartingUp('127.0.0.1', 0);
  serveWith(server, (_req, res) => res.end('ok'));
  const agent = new Agent({ keepAlive: true });
  const keepAlive = await new Promise<string | undefined>((resolve) =>
    get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers['keep-alive']?.toString()));
    }),
  );
  expect(keepAlive).toBe(`timeout=${KEEP_ALIVE_TIMEOUT_MS / 1000}`);
  expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
  agent.destroy();
  await closeGracefully(server, 1000);
});
