import type { MemoryStore } from '../../../src/store/index.js';

/** Every key and stored JSON text of a MemoryStore, for tests that check what is (not) stored. */
export function storedEntries(store: MemoryStore): Array<[string, string]> {
  const entries = (store as unknown as { entries: Map<string, { v: string }> }).entries;
  return [...entries].map(([key, entry]) => [key, entry.v]);
}
