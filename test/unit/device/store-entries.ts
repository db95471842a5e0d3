import type { MemoryStore } from '../../../src/store/index.js';

/** Every key and stored value, as JSON text, of a MemoryStore, for tests that check what is (not) stored. */
export function storedEntries(store: MemoryStore): Array<[string, string]> {
  const entries = (store as unknown as { entries: Map<string, { value: unknown }> }).entries;
  return [...entries].map(([key, entry]) => {
    // Loudly, if the store's shape changes: a dump of nothing would pass every "no secret stored" check.
    if (!('value' in entry)) throw new Error(`storedEntries: no value in the entry of ${key}; has MemoryStore changed?`);
    return [key, JSON.stringify(entry.value)];
  });
}
