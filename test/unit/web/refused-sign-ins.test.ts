import { ManualClock } from '../../../src/clock.js';
import { secretHash } from '../../../src/device/index.js';
import { BridgeError } from '../../../src/errors.js';
import { MemoryStore } from '../../../src/store/index.js';
import { RefusedSignIns } from '../../../src/web/refused-sign-ins.js';

const forged = () => Promise.reject(new BridgeError('ERR_SAML_SIGNATURE_INVALID'));
const codeOf = (outcome: PromiseSettledResult<void>) =>
  outcome.status === 'rejected' ? (outcome.reason as BridgeError).code : 'signed in';

function setUp() {
  const clock = new ManualClock(Date.UTC(2026, 11, 4));
  const store = new MemoryStore(clock);
  const entries = (store as unknown as { entries: Map<string, unknown> }).entries;
  return { clock, store, entries, refused: new RefusedSignIns({ store, clock }) };
}

test('answers sent at once from a fresh address: at most 100 are read; then its 30 refusals keep it out', async () => {
  const { refused } = setUp();
  let read = 0;
  const slowForgery = async () => {
    read++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return forged();
  };
  const outcomes = await Promise.allSettled(Array.from({ length: 200 }, () => refused.guard('203.0.113.7', slowForgery)));
  expect(read).toBe(100);
  expect(outcomes.filter((o) => codeOf(o) === 'ERR_RATE_LIMITED')).toHaveLength(100);
  await expect(refused.guard('203.0.113.7', () => Promise.resolve())).rejects.toMatchObject({ code: 'ERR_RATE_LIMITED' });
});

test('once an address has a refusal, answers being checked count against what is left of its 30', async () => {
  const { refused } = setUp();
  await refused.guard('203.0.113.8', forged).catch(() => undefined);
  let read = 0;
  const slowForgery = async () => {
    read++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return forged();
  };
  await Promise.allSettled(Array.from({ length: 100 }, () => refused.guard('203.0.113.8', slowForgery)));
  expect(read).toBe(29);
});

test('sign-ins in flight that succeed leave the address free: the office at 9 am, 60 at once', async () => {
  const { refused } = setUp();
  const slowSignIn = () => new Promise<void>((resolve) => setTimeout(resolve, 5));
  const wave = await Promise.allSettled(Array.from({ length: 60 }, () => refused.guard('192.0.2.1', slowSignIn)));
  expect(wave.map(codeOf)).toEqual(Array(60).fill('signed in'));
});

test('refusals from all addresses together are stored up to 5,000 in 10 minutes: one made-up answer per address cannot fill the store, and past that addresses are still limited', async () => {
  const { refused, entries, clock } = setUp();
  const addressWindows = () => [...entries.keys()].filter((k) => k.startsWith('signin:refused:ip:')).length;
  for (let i = 0; i < 30; i++) await refused.guard('2001:db8:0::1', forged).catch(() => undefined);
  for (let i = 1; i <= 5200; i++) await refused.guard(`2001:db8:${i.toString(16)}::1`, forged).catch(() => undefined);
  // 30 refusals of the first address and one each of 4,970 others: 5,000 counted, no entry more.
  expect(addressWindows()).toBe(4971);
  expect(entries.size).toBe(4972); // and the count of them all
  // The address that reached its limit before stays limited.
  await expect(refused.guard('2001:db8:0::1', () => Promise.resolve())).rejects.toMatchObject({ code: 'ERR_RATE_LIMITED' });

  // A new address is counted in the process now, not in the store: it is limited all the same.
  const thirtyOneFrom = async (address: string) => {
    for (let i = 0; i < 30; i++) await refused.guard(address, forged).catch(() => undefined);
    return refused.guard(address, forged).catch((err: BridgeError) => err.code);
  };
  expect(await thirtyOneFrom('198.51.100.1')).toBe('ERR_RATE_LIMITED');
  expect(entries.size).toBe(4972);
  // Ten minutes on, the store has room again.
  clock.advance(10 * 60_000 + 1);
  expect(await thirtyOneFrom('198.51.100.2')).toBe('ERR_RATE_LIMITED');
  expect(entries.has(`signin:refused:ip:${secretHash('198.51.100.2')}`)).toBe(true);
  expect(entries.has(`signin:refused:ip:${secretHash('198.51.100.1')}`)).toBe(false);
});
