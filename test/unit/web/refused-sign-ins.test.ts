import { ManualClock } from '../../../src/clock.js';
import { secretHash } from '../../../src/device/index.js';
import { BridgeError } from '../../../src/errors.js';
import { MemoryStore } from '../../../src/store/index.js';
import { RefusedSignIns } from '../../../src/web/refused-sign-ins.js';

const forged = () => Promise.reject(new BridgeError('ERR_SAML_SIGNATURE_INVALID'));
const codeOf = (outcome: PromiseSettledResult<void>) =>
  outcome.status === 'rejected' ? (outcome.reason as BridgeError).code : 'signed in';
const slow = <T>(then: () => Promise<T>) => new Promise((resolve) => setTimeout(resolve, 5)).then(then);

function setUp(store: (clock: ManualClock) => MemoryStore = (clock) => new MemoryStore(clock)) {
  const clock = new ManualClock(Date.UTC(2026, 11, 4));
  const memory = store(clock);
  const entries = (memory as unknown as { entries: Map<string, unknown> }).entries;
  return { clock, entries, refused: new RefusedSignIns({ store: memory, clock }) };
}

/** `count` answers from `address` refused one after another; what the next one meets. */
async function refuseThenTry(refused: RefusedSignIns, address: string, count: number, next: () => Promise<void> = forged): Promise<string> {
  for (let i = 0; i < count; i++) await refused.guard(address, forged).catch(() => undefined);
  return refused.guard(address, next).then(
    () => 'signed in',
    (err: BridgeError) => err.code,
  );
}

test('answers sent at once from a fresh address: at most 100 are read; then its 30 refusals keep it out', async () => {
  const { refused } = setUp();
  let read = 0;
  const outcomes = await Promise.allSettled(
    Array.from({ length: 200 }, () => refused.guard('203.0.113.7', () => slow(() => (read++, forged())))),
  );
  expect(read).toBe(100);
  expect(outcomes.filter((o) => codeOf(o) === 'ERR_RATE_LIMITED')).toHaveLength(100);
  await expect(refused.guard('203.0.113.7', () => Promise.resolve())).rejects.toMatchObject({ code: 'ERR_RATE_LIMITED' });
});

test('once an address has 5 refusals, answers being checked count against what is left of its 30', async () => {
  const { refused } = setUp();
  expect(await refuseThenTry(refused, '203.0.113.8', 4)).toBe('ERR_SAML_SIGNATURE_INVALID');
  let read = 0;
  await Promise.allSettled(Array.from({ length: 100 }, () => refused.guard('203.0.113.8', () => slow(() => (read++, forged())))));
  expect(read).toBe(25);
});

test('sign-ins in flight that succeed leave the address free: the office at 9 am, 60 at once, even after a refusal', async () => {
  const { refused } = setUp();
  await refused.guard('192.0.2.1', forged).catch(() => undefined);
  const wave = await Promise.allSettled(Array.from({ length: 60 }, () => refused.guard('192.0.2.1', () => slow(() => Promise.resolve()))));
  expect(wave.map(codeOf)).toEqual(Array(60).fill('signed in'));
});

test('an IdP that is down or throttling refuses no code: only its 4xx answers count against the address', async () => {
  const { refused } = setUp();
  const idpSays = (httpStatus: number) => () => Promise.reject(new BridgeError('ERR_AUTH_IDP_ERROR', { detail: { httpStatus } }));
  for (const status of [503, 500, 429])
    for (let i = 0; i < 30; i++) await refused.guard('192.0.2.2', idpSays(status)).catch(() => undefined);
  expect(await refuseThenTry(refused, '192.0.2.2', 0, () => Promise.resolve())).toBe('signed in');
  for (let i = 0; i < 30; i++) await refused.guard('192.0.2.2', idpSays(400)).catch(() => undefined);
  expect(await refuseThenTry(refused, '192.0.2.2', 0, () => Promise.resolve())).toBe('ERR_RATE_LIMITED');
});

test('the store holds the counts of at most 5,000 refusals in 10 minutes: one made-up answer per address cannot fill it, and past that addresses are still limited', async () => {
  const { refused, entries, clock } = setUp();
  const addressWindows = () => [...entries.keys()].filter((k) => k.startsWith('signin:refused:ip:')).length;
  expect(await refuseThenTry(refused, '2001:db8:0:1::/64', 29)).toBe('ERR_SAML_SIGNATURE_INVALID');
  for (let i = 1; i <= 6000; i++) await refused.guard(`10.${i >> 8}.${i & 0xff}.1`, forged).catch(() => undefined);
  expect(addressWindows()).toBeLessThanOrEqual(5000);
  expect(addressWindows()).toBeGreaterThan(4900);
  expect(entries.size).toBeLessThanOrEqual(5016); // and the 16 counts of them all
  // The address counted before the cap stays limited; a new one is counted in the process, and limited all the same.
  expect(await refuseThenTry(refused, '2001:db8:0:1::/64', 0)).toBe('ERR_RATE_LIMITED');
  expect(await refuseThenTry(refused, '198.51.100.1', 30)).toBe('ERR_RATE_LIMITED');
  expect(entries.has(`signin:refused:ip:${secretHash('198.51.100.1')}`)).toBe(false);
  // Ten minutes on, the store has room again.
  clock.advance(10 * 60_000 + 1);
  expect(await refuseThenTry(refused, '198.51.100.2', 30)).toBe('ERR_RATE_LIMITED');
  expect(entries.has(`signin:refused:ip:${secretHash('198.51.100.2')}`)).toBe(true);
});

test('past the cap, the /64s of one /48 cannot each get 30: the network gets 480, and a neighbour’s 30 do not stop the others', async () => {
  const { refused } = setUp();
  for (let i = 1; i <= 6000; i++) await refused.guard(`10.${i >> 8}.${i & 0xff}.1`, forged).catch(() => undefined);
  let read = 0;
  const counted = () => (read++, forged());
  for (let i = 0; i < 600; i++) await refused.guard(`2001:db8:7:${i.toString(16)}::/64`, counted).catch(() => undefined);
  expect(read).toBe(480);
  expect(await refuseThenTry(refused, '198.51.100.7', 30)).toBe('ERR_RATE_LIMITED');
  expect(await refuseThenTry(refused, '198.51.100.200', 0, () => Promise.resolve())).toBe('signed in');
});

test('a refusal the store cannot count (compare-and-swap contention, an outage) is counted in the process, never not at all', async () => {
  class Contended extends MemoryStore {
    override update<T>(key: string, updater: (current: T) => T, ttlSeconds?: number): Promise<T | undefined> {
      if (key.startsWith('signin:refused:')) return Promise.reject(new BridgeError('ERR_UNAVAILABLE'));
      return super.update(key, updater, ttlSeconds);
    }
  }
  const { refused } = setUp((clock) => new Contended(clock));
  expect(await refuseThenTry(refused, '203.0.113.9', 30)).toBe('ERR_RATE_LIMITED');
});
