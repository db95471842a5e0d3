import type { Clock } from '../clock.js';
import type { BridgeConfig } from '../config/index.js';
import type { ConfigProblem } from '../config/problems.js';
import { MemoryStore } from './memory.js';
import { evictionProblem, RedisStore } from './redis.js';
import type { Store } from './store.js';

export { CREATE_OR_UPDATE_ATTEMPTS, storeInconsistent, type Store } from './store.js';
export { MemoryStore } from './memory.js';
export { RedisStore } from './redis.js';
export { redactUrl } from './redis-connection.js';

/** Builds the store the configuration names. */
export function createStore(config: BridgeConfig['store'], clock: Clock): Store {
  switch (config.type) {
    case 'memory':
      return new MemoryStore(clock, { maxEntries: config.maxEntries });
    case 'redis':
      return new RedisStore(config, clock);
  }
}

/**
 * What serve and `check-config --online` find about the store before anything is served: a Redis
 * that may evict the bridge's keys is a problem (start-up stops), one that refuses INFO a warning
 * (its policy is unknown). Nothing for the memory store; ERR_UNAVAILABLE when Redis is unreachable.
 */
export async function checkStoreOnline(store: Store): Promise<{ problems: ConfigProblem[]; warnings: string[] }> {
  const eviction = store instanceof RedisStore ? await store.eviction() : undefined;
  if (eviction && 'policy' in eviction) return { problems: [{ path: 'store', message: evictionProblem(eviction) }], warnings: [] };
  const warnings = eviction
    ? [
        `store: Redis refused INFO (${eviction.refused}), so its maxmemory-policy is unknown: it must be noeviction (docs/operations.md, "Redis")`,
      ]
    : [];
  return { problems: [], warnings };
}
