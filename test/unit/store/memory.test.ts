import { ManualClock } from '../../../src/clock.js';
import { BridgeError } from '../../../src/errors.js';
import { MemoryStore } from '../../../src/store/index.js';
import { describeStoreConformance } from '../../helpers/store-conformance.js';

describeStoreConformance('memory', (clock) => new MemoryStore(clock));

test('a non-positive TTL is a programming error', async () => {
  const store = new MemoryStore({ now: () => 0 });
  await expect(store.upsert('k', 1, 0)).rejects.toThrow(TypeError);
});

describe('find hands out one deep-frozen value per write (sessions are read on every request)', () => {
  const written = async () => {
    const store = new MemoryStore(new ManualClock());
    const value = { user: 'alice', identity: { groups: ['x'] } };
    await store.upsert('session:a', value, 60);
    return { store, value };
  };

  test('no reader can change what another reads: the value is frozen all the way down', async () => {
    const { store } = await written();
    const found = (await store.find<{ user: string; identity: { groups: string[] } }>('session:a'))!;
    expect(() => {
      found.user = 'mallory';
    }).toThrow(TypeError);
    expect(() => found.identity.groups.push('admins')).toThrow(TypeError);
    expect(await store.find('session:a')).toEqual({ user: 'alice', identity: { groups: ['x'] } });
  });

  test('the writer’s object stays its own and unfrozen; a write replaces what the next find returns', async () => {
    const { store, value } = await written();
    const first = await store.find('session:a');
    expect(Object.isFrozen(value.identity)).toBe(false);
    value.identity.groups.push('changed after the write');
    expect(await store.find('session:a')).toBe(first);
    await store.upsert('session:a', { user: 'bob' }, 60);
    expect(await store.find('session:a')).toEqual({ user: 'bob' });
  });

  test('update’s updater and consume get a copy of their own, free to change', async () => {
    const { store } = await written();
    await store.find('session:a');
    const next = await store.update<{ user: string; identity: { groups: string[] } }>('session:a', (current) => {
      current.identity.groups.push('y');
      return current;
    });
    expect(next?.identity.groups).toEqual(['x', 'y']);
    const consumed = (await store.consume<{ identity: { groups: string[] } }>('session:a'))!;
    consumed.identity.groups.push('z');
    expect(consumed.identity.groups).toEqual(['x', 'y', 'z']);
  });
});

describe('the entry cap (store.maxEntries): fail closed, never evict', () => {
  const full = async () => {
    const clock = new ManualClock();
    const store = new MemoryStore(clock, { maxEntries: 3 });
    await store.upsert('session:a', { user: 'a' }, 60);
    await store.upsert('session:b', { user: 'b' }, 600);
    expect(await store.insert('saml-assertion:x', 1, 600)).toBe(true);
    return { clock, store };
  };

  test('a write that would add an entry to a full store answers ERR_STORE_FULL (503); every live entry stays', async () => {
    const { store } = await full();
    const refused = await store.upsert('session:c', { user: 'c' }, 60).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(BridgeError);
    expect(refused).toMatchObject({ code: 'ERR_STORE_FULL', status: 503 });
    await expect(store.insert('saml-assertion:y', 1, 600)).rejects.toMatchObject({ code: 'ERR_STORE_FULL' });
    expect(await store.find('session:a')).toEqual({ user: 'a' });
    expect(await store.find('session:b')).toEqual({ user: 'b' });
    // The replay marker is still there: the same assertion is still refused.
    expect(await store.insert('saml-assertion:x', 1, 600)).toBe(false);
    expect(await store.find('session:c')).toBeUndefined();
  });

  test('writing an entry that exists is allowed when full: it adds nothing', async () => {
    const { store } = await full();
    await store.upsert('session:a', { user: 'a', seenAt: 2 }, 60);
    expect(await store.update('session:b', () => ({ user: 'b', seenAt: 3 }))).toEqual({ user: 'b', seenAt: 3 });
    expect(await store.find('session:a')).toEqual({ user: 'a', seenAt: 2 });
  });

  test('entries that expired are swept to make room, and only those', async () => {
    const { clock, store } = await full();
    clock.advance(61_000); // session:a (60 s) expired; the others live
    await store.upsert('session:c', { user: 'c' }, 60);
    expect(await store.find('session:c')).toEqual({ user: 'c' });
    expect(await store.find('session:a')).toBeUndefined();
    expect(await store.find('session:b')).toEqual({ user: 'b' });
    await expect(store.upsert('session:d', {}, 60)).rejects.toMatchObject({ code: 'ERR_STORE_FULL' });
  });

  test('a consumed or destroyed entry frees its place', async () => {
    const { store } = await full();
    expect(await store.consume('saml-assertion:x')).toBe(1);
    await store.upsert('session:c', { user: 'c' }, 60);
    await store.destroy('session:c');
    await store.upsert('session:d', { user: 'd' }, 60);
    expect(await store.find('session:d')).toEqual({ user: 'd' });
  });
});
