import { jest } from '@jest/globals';
import { ManualClock } from '../../src/clock.js';
import type { Store } from '../../src/store/index.js';

/**
 * One behavioural suite every Store implementation must pass (dex's storage/conformance idea).
 * `makeStore` gets a frozen clock; implementations must measure TTLs on it.
 */
export function describeStoreConformance(name: string, makeStore: (clock: ManualClock) => Promise<Store> | Store): void {
  describe(`Store conformance: ${name}`, () => {
    let clock: ManualClock;
    let store: Store;
    let n = 0;
    // Unique keys per test so networked stores need no flushing between tests.
    const key = (k: string) => `conformance:${process.pid}:${++n}:${k}`;

    beforeEach(async () => {
      clock = new ManualClock();
      store = await makeStore(clock);
    });
    afterEach(async () => {
      await store.close();
    });

    test('find of a missing key is undefined, not a throw', async () => {
      expect(await store.find(key('missing'))).toBeUndefined();
    });

    test('upsert then find returns an equal copy', async () => {
      const k = key('a');
      const value = { user: 'alice', groups: ['x', 'y'], n: 1 };
      await store.upsert(k, value, 60);
      const found = await store.find<typeof value>(k);
      expect(found).toEqual(value);
      expect(found).not.toBe(value);
    });

    test('upsert replaces and resets the TTL', async () => {
      const k = key('replace');
      await store.upsert(k, 1, 10);
      clock.advance(9_000);
      await store.upsert(k, 2, 10);
      clock.advance(9_000);
      expect(await store.find(k)).toBe(2);
    });

    test('entries expire exactly at their TTL on the injected clock', async () => {
      const k = key('ttl');
      await store.upsert(k, 'v', 30);
      clock.advance(29_999);
      expect(await store.find(k)).toBe('v');
      clock.advance(1);
      expect(await store.find(k)).toBeUndefined();
    });

    test('insert creates only when absent', async () => {
      const k = key('insert');
      expect(await store.insert(k, 'first', 60)).toBe(true);
      expect(await store.insert(k, 'second', 60)).toBe(false);
      expect(await store.find(k)).toBe('first');
    });

    test('insert succeeds again after the previous entry expired', async () => {
      const k = key('insert-expired');
      await store.insert(k, 'first', 1);
      clock.advance(1_000);
      expect(await store.insert(k, 'second', 60)).toBe(true);
      expect(await store.find(k)).toBe('second');
    });

    test('concurrent inserts: exactly one wins', async () => {
      const k = key('insert-race');
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.insert(k, i, 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    test('consume returns the value once', async () => {
      const k = key('consume');
      await store.upsert(k, { code: 1 }, 60);
      expect(await store.consume(k)).toEqual({ code: 1 });
      expect(await store.consume(k)).toBeUndefined();
      expect(await store.find(k)).toBeUndefined();
    });

    test('concurrent consumes: exactly one gets the value', async () => {
      const k = key('consume-race');
      await store.upsert(k, 'once', 60);
      const results = await Promise.all(Array.from({ length: 10 }, () => store.consume(k)));
      expect(results.filter((r) => r === 'once')).toHaveLength(1);
    });

    test('consume of an expired entry is undefined', async () => {
      const k = key('consume-expired');
      await store.upsert(k, 'v', 5);
      clock.advance(5_000);
      expect(await store.consume(k)).toBeUndefined();
    });

    test('update applies the updater and keeps the remaining TTL', async () => {
      const k = key('update');
      await store.upsert(k, { count: 1 }, 10);
      clock.advance(5_000);
      const next = await store.update<{ count: number }>(k, (c) => ({ count: c.count + 1 }));
      expect(next).toEqual({ count: 2 });
      expect(await store.find(k)).toEqual({ count: 2 });
      clock.advance(5_000);
      expect(await store.find(k)).toBeUndefined();
    });

    test('update with a TTL extends the entry', async () => {
      const k = key('update-ttl');
      await store.upsert(k, 1, 10);
      clock.advance(9_000);
      await store.update<number>(k, (c) => c + 1, 60);
      clock.advance(30_000);
      expect(await store.find(k)).toBe(2);
    });

    test('update of a missing key returns undefined and does not call the updater', async () => {
      const updater = jest.fn((c: number) => c + 1);
      expect(await store.update(key('update-missing'), updater)).toBeUndefined();
      expect(updater).not.toHaveBeenCalled();
    });

    test('concurrent updates lose no increment', async () => {
      const k = key('update-race');
      await store.upsert(k, 0, 60);
      await Promise.all(Array.from({ length: 20 }, () => store.update<number>(k, (c) => c + 1)));
      expect(await store.find(k)).toBe(20);
    });

    test('destroy removes the entry and is idempotent', async () => {
      const k = key('destroy');
      await store.upsert(k, 'v', 60);
      await store.destroy(k);
      await store.destroy(k);
      expect(await store.find(k)).toBeUndefined();
    });

    test('ping resolves', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
