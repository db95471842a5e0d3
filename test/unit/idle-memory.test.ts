import { jest } from '@jest/globals';
import { getHeapStatistics } from 'node:v8';
import { fullCollection, IdleCollector } from '../../src/idle-memory.js';

const MB = 1024 * 1024;

/** A collector over a pretend heap: `heap.size` is what V8 would report, `collected` counts collections. */
function pretend(startMb = 40) {
  const heap = { size: startMb * MB, collected: 0 };
  const collector = new IdleCollector({
    heapSize: () => heap.size,
    collect: () => {
      heap.collected++;
      heap.size = startMb * MB;
    },
    growthBytes: 16 * MB,
  });
  return { heap, collector };
}

test('after a burst that grew the heap, the first idle look collects once, and idle looks after it do not', () => {
  const collected: unknown[] = [];
  const heap = { size: 40 * MB, collected: 0 };
  const collector = new IdleCollector({
    heapSize: () => heap.size,
    collect: () => {
      heap.collected++;
      heap.size = 40 * MB;
    },
    onCollected: (report) => collected.push(report),
  });
  for (let i = 0; i < 1000; i++) collector.requestSeen();
  heap.size += 80 * MB;
  expect(collector.check()).toBe(false); // requests arrived since the last look: busy
  expect(heap.collected).toBe(0);
  expect(collector.check()).toBe(true); // none since: idle, and 80 MB above where it started
  expect(heap.collected).toBe(1);
  expect(collected).toEqual([{ beforeBytes: 120 * MB, afterBytes: 40 * MB, ms: expect.any(Number) }]);
  expect(collector.check()).toBe(false);
  expect(collector.check()).toBe(false);
  expect(heap.collected).toBe(1);
});

test('a bridge that stays busy is never interrupted by a collection, however the heap grows', () => {
  const { heap, collector } = pretend();
  for (let look = 0; look < 20; look++) {
    collector.requestSeen();
    heap.size += 50 * MB;
    expect(collector.check()).toBe(false);
  }
  expect(heap.collected).toBe(0);
});

test('an idle bridge whose heap barely grew is left alone', () => {
  const { heap, collector } = pretend();
  collector.requestSeen();
  heap.size += 15 * MB;
  collector.check();
  expect(collector.check()).toBe(false);
  expect(heap.collected).toBe(0);
});

test('a heap V8 shrank by itself becomes the new starting point', () => {
  const { heap, collector } = pretend(60);
  heap.size = 30 * MB; // V8's own memory reducer ran
  collector.requestSeen();
  collector.check();
  heap.size = 50 * MB; // 20 MB above the shrunk heap, 10 below the first reading
  expect(collector.check()).toBe(true);
});

test('fullCollection frees unreachable memory in this process', () => {
  /** Allocates and drops 200,000 small objects; returns the heap in use while they were alive. */
  const usedWithGarbage = () => {
    const garbage = Array.from({ length: 200_000 }, (_, i) => ({ i, text: `garbage ${i}` }));
    return garbage.length && getHeapStatistics().used_heap_size;
  };
  const before = usedWithGarbage();
  fullCollection();
  expect(getHeapStatistics().used_heap_size).toBeLessThan(before - 5 * MB);
});

test('start() looks on an unreferenced timer and stop() ends it', () => {
  jest.useFakeTimers();
  try {
    const { heap, collector } = pretend();
    collector.start();
    heap.size += 100 * MB;
    jest.advanceTimersByTime(20_000);
    expect(heap.collected).toBe(1);
    collector.stop();
    heap.size += 100 * MB;
    jest.advanceTimersByTime(60_000);
    expect(heap.collected).toBe(1);
  } finally {
    jest.useRealTimers();
  }
});
