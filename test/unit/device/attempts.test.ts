import { ManualClock } from '../../../src/clock.js';
import { DEFAULTS, type BridgeConfig } from '../../../src/config/index.js';
import { UserCodeAttempts } from '../../../src/device/attempts.js';
import { MemoryStore } from '../../../src/store/index.js';

const MINUTE = 60_000;

function setup(settings: Partial<BridgeConfig['device']> = {}) {
  const clock = new ManualClock();
  const store = new MemoryStore(clock);
  return { clock, attempts: new UserCodeAttempts({ store, clock, settings: { ...DEFAULTS.device, ...settings } }) };
}

const tooMany = { code: 'ERR_DEVICE_TOO_MANY_ATTEMPTS', status: 429 };

describe('user-code guessing limits', () => {
  test('5 attempts per user; the 6th is refused until the first leaves the 15-minute window', async () => {
    const { attempts, clock } = setup();
    for (let i = 0; i < 5; i++) {
      await attempts.reserve('alice');
      clock.advance(MINUTE);
    }
    await expect(attempts.reserve('alice')).rejects.toMatchObject({ ...tooMany, detail: { scope: 'user' } });
    await expect(attempts.reserve('bob')).resolves.toHaveLength(2);
    clock.advance(10 * MINUTE); // the first attempt, at t=0, is now 15 minutes old
    await expect(attempts.reserve('alice')).resolves.toHaveLength(2);
    await expect(attempts.reserve('alice')).rejects.toMatchObject(tooMany);
  });

  test('refused attempts do not extend the lockout', async () => {
    const { attempts, clock } = setup();
    for (let i = 0; i < 5; i++) await attempts.reserve('alice');
    for (let i = 0; i < 14; i++) {
      clock.advance(MINUTE);
      await expect(attempts.reserve('alice')).rejects.toMatchObject(tooMany);
    }
    clock.advance(MINUTE);
    await expect(attempts.reserve('alice')).resolves.toHaveLength(2);
  });

  test('a released attempt (the code was right) does not count', async () => {
    const { attempts } = setup();
    for (let i = 0; i < 20; i++) await attempts.release(await attempts.reserve('alice'));
    for (let i = 0; i < 5; i++) await attempts.reserve('alice');
    await expect(attempts.reserve('alice')).rejects.toMatchObject(tooMany);
  });

  test('parallel guesses are counted before any is checked: 50 at once, 5 get through', async () => {
    const { attempts } = setup();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => attempts.reserve('alice')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  });

  test('the global cap stops guessing spread over many users, and gives the user slot back', async () => {
    const { attempts, clock } = setup({ globalFailedUserCodesPerMinute: 10 });
    for (let i = 0; i < 10; i++) await attempts.reserve(`user-${i}`);
    await expect(attempts.reserve('user-x')).rejects.toMatchObject({ ...tooMany, detail: { scope: 'global' } });
    clock.advance(MINUTE);
    // user-x's refused attempt was not kept against them.
    for (let i = 0; i < 5; i++) await attempts.reserve('user-x');
    await expect(attempts.reserve('user-x')).rejects.toMatchObject({ detail: { scope: 'user' } });
  });
});
