import { ManualClock } from '../../../src/clock.js';
import { BridgeError } from '../../../src/errors.js';
import { Reloading, type ReloadPolicy } from '../../../src/idp/reloading.js';

/** Discovery and metadata loads: refreshed on schedule, failures retried after a bounded, doubling backoff. */
const policy: ReloadPolicy = { refreshMs: 60_000, minRetryMs: 1000, maxRetryMs: 8000, keepLastGood: false };

function source() {
  const s = { up: true, loads: 0, version: 0 };
  const load = () => {
    s.loads++;
    return s.up ? Promise.resolve(++s.version) : Promise.reject(new BridgeError('ERR_IDP_UNREACHABLE'));
  };
  return { s, load };
}

describe('Reloading', () => {
  test('a good value is kept until it is due, then loaded again', async () => {
    const clock = new ManualClock();
    const { s, load } = source();
    const r = new Reloading(load, clock, policy);
    expect(await r.get()).toBe(1);
    clock.advance(59_999);
    expect(await r.get()).toBe(1);
    clock.advance(1);
    expect(await r.get()).toBe(2);
    expect(s.loads).toBe(2);
  });

  test('the retry delay after failures doubles from minRetryMs and stops at maxRetryMs', async () => {
    const clock = new ManualClock();
    const { s, load } = source();
    const r = new Reloading(load, clock, policy);
    s.up = false;
    const delays: number[] = [];
    await expect(r.get()).rejects.toMatchObject({ code: 'ERR_IDP_UNREACHABLE' });
    for (let round = 0; round < 6; round++) {
      const loads = s.loads;
      let waited = 0;
      while (s.loads === loads) {
        clock.advance(250);
        waited += 250;
        await r.get().catch(() => undefined);
      }
      delays.push(waited);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    s.up = true;
    clock.advance(8000);
    expect(await r.get()).toBe(1);
    // Success resets the backoff: the next failure waits minRetryMs again.
    s.up = false;
    clock.advance(60_000);
    await expect(r.get()).rejects.toMatchObject({ code: 'ERR_IDP_UNREACHABLE' });
    const loads = s.loads;
    clock.advance(999);
    await r.get().catch(() => undefined);
    expect(s.loads).toBe(loads);
    clock.advance(1);
    await r.get().catch(() => undefined);
    expect(s.loads).toBe(loads + 1);
  });

  test('keepLastGood: a failed reload answers with the last good value, but check() reports the failure', async () => {
    const clock = new ManualClock();
    const { s, load } = source();
    const r = new Reloading(load, clock, { ...policy, keepLastGood: true });
    await r.check();
    s.up = false;
    clock.advance(60_000);
    expect(await r.get()).toBe(1);
    await expect(r.check()).rejects.toMatchObject({ code: 'ERR_IDP_UNREACHABLE' });
  });

  test('without keepLastGood, a failed reload is the answer until a retry succeeds', async () => {
    const clock = new ManualClock();
    const { s, load } = source();
    const r = new Reloading(load, clock, policy);
    await r.get();
    s.up = false;
    clock.advance(60_000);
    await expect(r.get()).rejects.toMatchObject({ code: 'ERR_IDP_UNREACHABLE' });
    s.up = true;
    await expect(r.get()).rejects.toMatchObject({ code: 'ERR_IDP_UNREACHABLE' });
    clock.advance(1000);
    expect(await r.get()).toBe(2);
  });

  test('reload() loads now, whatever the schedule; concurrent callers share one load', async () => {
    const clock = new ManualClock();
    const { s, load } = source();
    const r = new Reloading(load, clock, policy);
    await Promise.all([r.get(), r.get(), r.get()]);
    expect(s.loads).toBe(1);
    expect(await r.reload()).toBe(2);
  });
});
