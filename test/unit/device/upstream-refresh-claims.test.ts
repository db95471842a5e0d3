import { ManualClock } from '../../../src/clock.js';
import { DEFAULTS } from '../../../src/config/defaults.js';
import { DeviceGrants } from '../../../src/device/grants.js';
import { MemoryStore } from '../../../src/store/index.js';

/** Claims on an IdP refresh token: one approval per browser sign-in; other sign-ins share (the IdP's choice). */
describe('IdP refresh-token claims', () => {
  const clock = new ManualClock();
  const grants = () => new DeviceGrants({ store: new MemoryStore(clock), clock, settings: { ...DEFAULTS.device } });

  test('one approval of a sign-in takes the token; the same sign-in again, even at once, does not', async () => {
    const g = grants();
    expect(await Promise.all([g.claimUpstreamRefreshToken('T', 'A', 3600), g.claimUpstreamRefreshToken('T', 'A', 3600)])).toEqual([
      true,
      false,
    ]);
  });

  test('another sign-in given the same token claims it for itself, once; giving its claim back leaves the first one standing', async () => {
    const g = grants();
    expect(await g.claimUpstreamRefreshToken('T', 'A', 3600)).toBe(true);
    expect(await g.claimUpstreamRefreshToken('T', 'B', 3600)).toBe(true);
    expect(await g.claimUpstreamRefreshToken('T', 'B', 3600)).toBe(false);
    await g.releaseUpstreamRefreshToken('T', 'B'); // B's approval did not happen
    expect(await g.claimUpstreamRefreshToken('T', 'A', 3600)).toBe(false);
    expect(await g.claimUpstreamRefreshToken('T', 'B', 3600)).toBe(true);
  });

  test('a claim lasts as long as asked', async () => {
    const g = grants();
    expect(await g.claimUpstreamRefreshToken('T', 'A', 60)).toBe(true);
    clock.advance(60_000);
    expect(await g.claimUpstreamRefreshToken('T', 'A', 60)).toBe(true);
  });
});
