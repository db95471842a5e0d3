import type { Clock } from '../clock.js';
import type { BridgeConfig } from '../config/index.js';
import { MemoryStore } from './memory.js';
import { RedisStore } from './redis.js';
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
