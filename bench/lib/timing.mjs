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

/** Milliseconds one awaited call of `fn` takes. */
export async function timeOnce(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}
