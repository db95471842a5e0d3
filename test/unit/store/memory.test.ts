import { MemoryStore } from '../../../src/store/index.js';
import { describeStoreConformance } from '../../helpers/store-conformance.js';

describeStoreConformance('memory', (clock) => new MemoryStore(clock));

test('a non-positive TTL is a programming error', async () => {
  const store = new MemoryStore({ now: () => 0 });
  await expect(store.upsert('k', 1, 0)).rejects.toThrow(TypeError);
});
