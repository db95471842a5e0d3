import { request as httpRequest } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { listenStartingUp } from '../../../src/http-server.js';
import { IdleCollector } from '../../../src/idle-memory.js';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../../src/log.js';
import { startBridge, type RunningBridge } from '../../../src/main.js';
import { demoConfig } from '../../helpers/config.js';

/** One request, bounded: a port that accepts and never answers fails the test instead of hanging it. */
function get(url: string): Promise<{ status: number; retryAfter?: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { timeout: 5_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'], connection: res.headers.connection }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer: the request hung')));
    req.on('error', reject);
    req.end();
  });
}

describe('start-up', () => {
  let bridge: RunningBridge | undefined;
  afterEach(async () => bridge?.close());

  test('the port answers 503 with Retry-After while the bridge starts, then the app answers', async () => {
    const server = await listenStartingUp('127.0.0.1', 0);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    expect(await get(`${url}/login`)).toEqual({ status: 503, retryAfter: '1', connection: 'close' });
    expect(await get(`${url}/healthz`)).toMatchObject({ status: 503, retryAfter: '1' });

    bridge = await startBridge({ config: await demoConfig({ publicUrl: url }), server, logger: silentLogger() });
    expect(await get(`${url}/healthz`)).toMatchObject({ status: 200 });
  });
});

test('a shutdown grace period changed by a reload applies at close', async () => {
  const config = await demoConfig();
  config.server.shutdownGraceSeconds = 0;
  const bridge = await startBridge({ config, port: 0, logger: silentLogger() });
  await bridge.reload({ ...config, server: { ...config.server, shutdownGraceSeconds: 30 } });
  // A request still being sent is in flight: the grace period is what it gets before being cut off.
  const socket = connect(Number(new URL(bridge.url).port), '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closing = bridge.close();
  const cut = await Promise.race([
    new Promise((resolve) => socket.once('close', () => resolve(true))),
    new Promise((resolve) => setTimeout(() => resolve(false), 300)),
  ]);
  expect(cut).toBe(false); // with the start-up grace of 0 it was cut at once
  socket.end('\r\n'); // the request completes; the bridge answers and finishes closing
  await closing;
});

test('a store or port change a reload cannot apply is said at every reload, and the running config keeps what runs', async () => {
  const lines: string[] = [];
  const logger = createLogger({
    destination: new Writable({ write: (chunk: Buffer, _enc, done) => done(void lines.push(chunk.toString())) }),
  });
  const config = await demoConfig();
  const bridge = await startBridge({ config, port: 0, logger });
  try {
    const changed = { ...config, store: { type: 'memory' as const, maxEntries: 5000 }, server: { ...config.server, port: 9999 } };
    await bridge.reload(changed);
    await bridge.reload(changed); // a second SIGHUP (an unrelated edit): still not applied
    const said = lines.map((line) => JSON.parse(line) as { event?: string; setting?: string }).filter((l) => l.event === 'config-reload');
    expect(said.map((l) => l.setting)).toEqual(['server.host/port', 'store', 'server.host/port', 'store']);
    expect(bridge.config.store).toEqual(config.store);
    expect(bridge.config.server.port).toBe(config.server.port);
  } finally {
    await bridge.close();
  }
});

test('a reload that lists an OIDC key twice is refused, naming both entries, and the running keys stay', async () => {
  const config = await demoConfig();
  const bridge = await startBridge({ config, port: 0, logger: silentLogger() });
  try {
    const key = config.issuer!.oidcKeys[0]!;
    const twice = { ...config, issuer: { ...config.issuer!, oidcKeys: [key, key] } };
    await expect(bridge.reload(twice)).rejects.toThrow('issuer.oidcKeys[1]: the same key as issuer.oidcKeys[0]');
    expect(bridge.config).toBe(config);
    const jwks = (await (await fetch(`${bridge.url}/jwks.json`)).json()) as { keys: unknown[] };
    expect(jwks.keys).toHaveLength(1);
  } finally {
    await bridge.close();
  }
});

describe('memory after a burst', () => {
  test('the bridge tells its idle collector about every request, before and after a reload, and stops it on close', async () => {
    const heap = { size: 40e6, collected: 0 };
    const idleCollector = new IdleCollector({ heapSize: () => heap.size, collect: () => void heap.collected++, intervalMs: 3_600_000 });
    const config = await demoConfig();
    const bridge = await startBridge({ config, port: 0, logger: silentLogger(), idleCollector });
    expect(idleCollector.running).toBe(true);
    try {
      heap.size += 100e6;
      expect(await get(`${bridge.url}/healthz`)).toMatchObject({ status: 200 });
      expect(idleCollector.check()).toBe(false); // a request since the last look
      expect(idleCollector.check()).toBe(true); // idle, heap grown: collected
      await bridge.reload(config);
      heap.size += 100e6;
      expect(await get(`${bridge.url}/healthz`)).toMatchObject({ status: 200 });
      expect(idleCollector.check()).toBe(false);
      expect(heap.collected).toBe(1);
    } finally {
      await bridge.close();
    }
    expect(idleCollector.running).toBe(false);
  });
});
