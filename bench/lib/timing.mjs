// In-process timing: operations per second of a function over a fixed time budget.
import { performance } from 'node:perf_hooks';

/** Calls `fn` repeatedly for about `ms` milliseconds (after a short warm-up); returns ops/s. */
export async function rate(fn, ms) {
  for (let i = 0; i < 5; i++) await fn();
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    await fn();
    n++;
    elapsed = performance.now() - start;
  }
  return (n * 1000) / elapsed;
}

/** Like `rate`, with `inFlight` calls of `fn` running at once (for work done off the event loop). */
export async function concurrentRate(fn, ms, inFlight) {
  await Promise.all(Array.from({ length: inFlight }, fn));
  let n = 0;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() - start < ms) (await fn(), n++);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (n * 1000) / (performance.now() - start);
}

/** Milliseconds one awaited call of `fn` takes. */
export async function timeOnce(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/**
 * Rates of `a` and `b` (ops/s) measured in alternating slices of about 20 ms over `ms` in total,
 * so a change in machine load during the measurement affects both alike.
 */
export async function pairedRates(a, b, ms) {
  for (let i = 0; i < 5; i++) {
    await a();
    await b();
  }
  const spent = { a: 0, b: 0 };
  const calls = { a: 0, b: 0 };
  while (spent.a + spent.b < ms) {
    for (const [name, fn] of [
      ['a', a],
      ['b', b],
    ]) {
      const start = performance.now();
      let elapsed = 0;
      while (elapsed < 20) {
        await fn();
        calls[name]++;
        elapsed = performance.now() - start;
      }
      spent[name] += elapsed;
    }
  }
  return { a: (calls.a * 1000) / spent.a, b: (calls.b * 1000) / spent.b };
}
