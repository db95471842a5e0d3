import { jest } from '@jest/globals';
import { deepFreeze, perFrozen, perFrozenPair } from '../../src/frozen.js';

test('deepFreeze freezes every object inside a value, and leaves primitives as they are', () => {
  const value = deepFreeze({ a: [{ b: 1 }], c: 'x' });
  expect(Object.isFrozen(value)).toBe(true);
  expect(Object.isFrozen(value.a)).toBe(true);
  expect(Object.isFrozen(value.a[0])).toBe(true);
  expect(deepFreeze(3)).toBe(3);
  expect(deepFreeze(null)).toBeNull();
});

test('perFrozen works a frozen key out once, and a key not frozen every time (it can change)', () => {
  const work = jest.fn((key: { n: number }) => key.n * 2);
  const kept = perFrozen(work);
  const frozen = Object.freeze({ n: 1 });
  expect([kept(frozen), kept(frozen)]).toEqual([2, 2]);
  expect(work).toHaveBeenCalledTimes(1);

  const open = { n: 1 };
  expect(kept(open)).toBe(2);
  open.n = 5;
  expect(kept(open)).toBe(10);
  expect(work).toHaveBeenCalledTimes(3);
});

test('perFrozen keeps an undefined answer too', () => {
  const work = jest.fn((_key: object) => undefined);
  const kept = perFrozen(work);
  const frozen = Object.freeze({});
  kept(frozen);
  kept(frozen);
  expect(work).toHaveBeenCalledTimes(1);
});

test('perFrozenPair works each pair of frozen keys out once, and any pair with a key not frozen every time', () => {
  const work = jest.fn((a: { n: number }, b: { m: number }) => a.n + b.m);
  const kept = perFrozenPair(work);
  const [a1, a2] = [Object.freeze({ n: 1 }), Object.freeze({ n: 2 })];
  const b = Object.freeze({ m: 10 });
  expect([kept(a1, b), kept(a1, b), kept(a2, b), kept(a2, b)]).toEqual([11, 11, 12, 12]);
  expect(work).toHaveBeenCalledTimes(2);

  const open = { m: 20 };
  expect(kept(a1, open)).toBe(21);
  open.m = 30;
  expect(kept(a1, open)).toBe(31);
  expect(work).toHaveBeenCalledTimes(4);
});

test('a key that is not an object after all (a store value someone else wrote) is worked out, not kept', () => {
  const work = jest.fn((_key: object) => 'worked out');
  const kept = perFrozen(work);
  const notAnObject = 'garbage' as unknown as object;
  expect([kept(notAnObject), kept(notAnObject)]).toEqual(['worked out', 'worked out']);
  expect(work).toHaveBeenCalledTimes(2);
  const pair = perFrozenPair((_a: object, _b: object) => 'pair');
  expect(pair(notAnObject, Object.freeze({}))).toBe('pair');
  expect(pair(Object.freeze({}), notAnObject)).toBe('pair');
});
