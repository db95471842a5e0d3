/**
 * Lua run inside Redis, where each script is atomic. Values are StoredEntry JSON; `exp` is on the
 * bridge's clock (passed in as `now`), so Redis's own expiry (PX) is only garbage collection and an
 * entry is live exactly when `exp > now`, the same rule as the memory store.
 *
 * Each script touches KEYS[1] and nothing else, so in a Redis Cluster it always runs on one slot
 * and needs no hash tags (test/unit/store/redis-scripts.test.ts keeps it so).
 */

/** Reads `exp` of a stored entry; a value that is not ours counts as expired. */
const EXP_OF = `
local function expOf(raw)
  local ok, entry = pcall(cjson.decode, raw)
  if ok and type(entry) == 'table' and type(entry.exp) == 'number' then return entry.exp end
  return -1
end
`;

/** KEYS[1]; ARGV: entry, now, px. 1 when written, 0 when a live entry is already there. */
export const INSERT_LUA = `${EXP_OF}
local current = redis.call('GET', KEYS[1])
if current and expOf(current) > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
`;

/** KEYS[1]; ARGV: now. The live entry, deleted in the same step; nil when missing or expired. */
export const CONSUME_LUA = `${EXP_OF}
local current = redis.call('GET', KEYS[1])
if not current then return false end
redis.call('DEL', KEYS[1])
if expOf(current) > tonumber(ARGV[1]) then return current end
return false
`;

/**
 * KEYS[1]; ARGV: expected, next, px. Compare-and-swap: writes `next` only if the stored entry is
 * still exactly `expected` (its JSON includes exp, so an equal string is an equal state). 1 or 0.
 */
export const SWAP_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

/** KEYS[1]; ARGV: expected. Compare-and-delete: deletes only if the entry is still exactly `expected`. 1 or 0. */
export const DELETE_IF_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`;
