/**
 * Frozen values, and what is worked out from them once. A frozen object cannot change, so whatever
 * is worked out from it alone holds as long as it lives: the memory store hands every reader the
 * same frozen entry, so a CLI session's identity, its roles and the user's preferences record are
 * the same objects on every request of the session (until the record is written again).
 */

/** `value`, with every object inside it frozen (for plain data: a JSON round trip's). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * `work(key)`, worked out once per frozen key and kept while the key lives (a WeakMap); a key not
 * frozen is worked out every time. Every caller gets the same value: an object `work` returns must
 * be frozen (or, like a memo of its own, never handed out to change).
 */
export function perFrozen<K extends object, V>(work: (key: K) => V): (key: K) => V {
  const kept = new WeakMap<K, V>();
  return (key) => {
    if (!isFrozenObject(key)) return work(key);
    if (kept.has(key)) return kept.get(key)!;
    const value = work(key);
    kept.set(key, value);
    return value;
  };
}

/** `work(a, b)`, worked out once per pair of frozen keys, as perFrozen. */
export function perFrozenPair<A extends object, B extends object, V>(work: (a: A, b: B) => V): (a: A, b: B) => V {
  const kept = new WeakMap<A, (b: B) => V>();
  return (a, b) => {
    if (!isFrozenObject(a) || !isFrozenObject(b)) return work(a, b);
    let withA = kept.get(a);
    if (!withA) kept.set(a, (withA = perFrozen((key: B) => work(a, key))));
    return withA(b);
  };
}

/**
 * A WeakMap takes objects only, and every primitive counts as frozen: what the types say is an
 * object may not be one at run time (a store value someone else wrote, say).
 */
function isFrozenObject(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && Object.isFrozen(value);
}
