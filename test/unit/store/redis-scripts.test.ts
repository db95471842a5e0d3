import { CONSUME_LUA, INSERT_LUA, SWAP_LUA } from '../../../src/store/redis-scripts.js';

/**
 * Redis Cluster runs a script only when every key it touches hashes to one slot. The store's
 * scripts touch exactly one key, KEYS[1], and build no key names of their own (a name built in
 * Lua is invisible to the cluster's routing): so no hash tags are needed, whatever the prefix.
 */
describe.each([
  ['INSERT_LUA', INSERT_LUA],
  ['CONSUME_LUA', CONSUME_LUA],
  ['SWAP_LUA', SWAP_LUA],
])('%s', (_name, lua) => {
  test('touches KEYS[1] only', () => {
    expect([...lua.matchAll(/KEYS\[(\d+)\]/g)].map((m) => m[1])).toEqual(expect.arrayContaining(['1']));
    expect(lua).not.toMatch(/KEYS\[(?!1\])/);
  });

  test('every redis.call names its key as KEYS[1]', () => {
    for (const [, args] of lua.matchAll(/redis\.call\(([^)]*)\)/g)) expect(args).toMatch(/^'[A-Z]+', KEYS\[1\]/);
  });
});
