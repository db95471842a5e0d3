import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenStartingUp } from '../../../src/http-server.js';
import { IdleCollector } from '../../../src/idle-memory.js';
import { silentLogger } from '../../../src/log.js';
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
