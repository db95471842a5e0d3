import type { ChainableCommander, Cluster, Redis, RedisOptions } from 'ioredis';
import { DEFAULTS } from '../config/defaults.js';
import type { Clock } from '../clock.js';
import type { RedisStoreConfig } from '../config/index.js';
import { BridgeError, isBridgeError, sentence } from '../errors.js';
import { connectRedis, describeTarget, type RedisClient, type RedisConnectionConfig } from './redis-connection.js';
import { CONSUME_LUA, DELETE_IF_LUA, INSERT_LUA, SWAP_LUA } from './redis-scripts.js';
import { ValueSealer } from './sealed-values.js';
import type { Store, StoredEntry } from './store.js';

/** The Lua commands registered with defineCommand (EVALSHA, resent as EVAL after a Redis restart). */
/** The writes the store makes, on a client or queued on a pipeline. */
type WriteCommands = Pick<Redis, 'set' | 'del'> & ScriptCommands;

interface ScriptCommands {
  rbInsert(key: string, entry: string, now: number, px: number): Promise<number>;
  rbConsume(key: string, now: number): Promise<string | null>;
  rbSwap(key: string, expected: string, next: string, px: number): Promise<number>;
  rbDeleteIf(key: string, expected: string): Promise<number>;
}

/**
 * Compare-and-swap rounds before `update` gives up. Each round one contender wins, so this bounds
 * how many instances may update one key at the same instant, far above what sessions ever need.
 */
const MAX_SWAP_ATTEMPTS = 100;

/**
 * The shared store: every bridge instance and `rambridge sessions` see the same state. Entries are
 * StoredEntry JSON under `keyPrefix`; liveness is decided on the injected clock at every read, and
 * Redis expiry (PX, the TTL in real time) only collects what nobody reads again. With
 * `encryptionKeys`, the value inside each entry is sealed (sealed-values.ts); `exp` stays plain
 * for the Lua scripts.
 */
export class RedisStore implements Store {
  private readonly redis: RedisClient & ScriptCommands;
  private readonly sealer: ValueSealer | undefined;
  private readonly replicaAcks: number;
  private readonly replicaAckTimeoutMs: number = DEFAULTS.store.replicaAckTimeoutMs;
  /** Where the store connects, without its password: safe for logs and error details. */
  readonly target: string;
  private lastError: string | undefined;
  /** The setting the password comes from, for the reason given when Redis refuses it. */
  private readonly passwordIn: string;

  constructor(
    config: RedisConnectionConfig & Pick<RedisStoreConfig, 'encryptionKeys' | 'replicaAcks'>,
    private readonly clock: Clock,
    options: RedisOptions = {},
  ) {
    this.target = describeTarget(config);
    this.passwordIn =
      config.url && config.password === undefined ? 'the password (and user) in store.url' : 'store.password and the user name';
    this.sealer = config.encryptionKeys && new ValueSealer(config.encryptionKeys, config.keyPrefix);
    this.replicaAcks = config.replicaAcks ?? (config.sentinel || config.cluster ? DEFAULTS.store.replicaAcksReplicated : 0);
    this.redis = connectRedis(config, options) as RedisClient & ScriptCommands;
    // Without a listener ioredis prints every failed reconnection; the cause reaches callers instead.
    this.redis.on('error', (err: Error) => {
      this.lastError = err.message;
    });
    this.redis.defineCommand('rbInsert', { numberOfKeys: 1, lua: INSERT_LUA });
    this.redis.defineCommand('rbConsume', { numberOfKeys: 1, lua: CONSUME_LUA });
    this.redis.defineCommand('rbSwap', { numberOfKeys: 1, lua: SWAP_LUA });
    this.redis.defineCommand('rbDeleteIf', { numberOfKeys: 1, lua: DELETE_IF_LUA });
  }

  async upsert(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    const { raw, px } = this.entry(key, value, ttlSeconds);
    await this.write((c) => c.set(key, raw, 'PX', px));
  }

  async insert(key: string, value: unknown, ttlSeconds: number): Promise<boolean> {
    const { raw, px } = this.entry(key, value, ttlSeconds);
    return (await this.write((c) => c.rbInsert(key, raw, this.clock.now(), px))) === 1;
  }

  async find<T>(key: string): Promise<T | undefined> {
    return this.valueOf<T>(key, this.live(await this.call(() => this.redis.get(key))));
  }

  async update<T>(key: string, updater: (current: T) => T, ttlSeconds?: number): Promise<T | undefined> {
    for (let attempt = 1; attempt <= MAX_SWAP_ATTEMPTS; attempt++) {
      const raw = await this.call(() => this.redis.get(key));
      const entry = this.live(raw);
      const current = this.valueOf<T>(key, entry);
      if (!entry) return undefined;
      if (current === undefined) {
        // Live but unreadable: sealed under a key no longer configured, or before encryption was
        // turned on. Absent for `update` as for `find`, and removed, so that the callers' usual
        // "insert, else update" recreates it instead of finding it present and absent in turn.
        await this.write((c) => c.rbDeleteIf(key, raw!));
        return undefined;
      }
      // The updater may run more than once (after a conflict); it must be a pure function of `current`.
      const next = updater(current);
      const now = this.clock.now();
      const exp = ttlSeconds === undefined ? entry.exp : now + ttlSeconds * 1000;
      const written: StoredEntry = { v: this.seal(key, JSON.stringify(next)), exp };
      if ((await this.write((c) => c.rbSwap(key, raw!, JSON.stringify(written), Math.max(exp - now, 1)))) === 1) return next;
      // Someone else wrote in between: back off a little (jittered) so contenders spread out.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10)));
    }
    throw new BridgeError('ERR_UNAVAILABLE', {
      userMessage: sentence('err.ERR_UNAVAILABLE.busy'),
      detail: { store: 'redis', key, attempts: MAX_SWAP_ATTEMPTS },
    });
  }

  async consume<T>(key: string): Promise<T | undefined> {
    return this.valueOf<T>(key, this.live(await this.write((c) => c.rbConsume(key, this.clock.now()))));
  }

  async destroy(key: string): Promise<void> {
    await this.write((c) => c.del(key));
  }

  /** Redis answers, and would not evict the bridge's keys (/readyz): `INFO memory` is no dearer than a PING. */
  async ping(): Promise<void> {
    const eviction = await this.eviction();
    if (eviction && 'policy' in eviction) {
      throw new BridgeError('ERR_UNAVAILABLE', {
        userMessage: sentence('err.ERR_UNAVAILABLE.redis'),
        detail: { store: 'redis', target: this.target, reason: evictionProblem(eviction) },
      });
    }
  }

  /**
   * Whether Redis may evict the bridge's keys, from `INFO memory` (readable where managed services
   * refuse CONFIG GET), on every primary of a Cluster. Every key has a TTL, so once `maxmemory` is
   * reached any policy but noeviction drops spent-assertion markers, revocations and the session
   * index without an error: fail open. Undefined when it keeps them; `refused` when INFO is not
   * allowed (an ACL), so the policy is unknown. ERR_UNAVAILABLE when Redis cannot be reached.
   */
  async eviction(): Promise<{ policy: string; maxmemory: string } | { refused: string } | undefined> {
    let nodes: Redis[] = [this.redis as Redis];
    if (this.redis.isCluster) {
      await this.call(() => this.redis.ping()); // the slot layout, so that the primaries are known
      nodes = (this.redis as Cluster).nodes('master');
    }
    // Every primary is asked: one that evicts is the answer, even after another refused INFO.
    let refused: { refused: string } | undefined;
    for (const node of nodes) {
      let info: string;
      try {
        info = await this.call(() => node.info('memory'));
      } catch (err) {
        const message = isBridgeError(err) ? String(err.detail?.redisMessage) : '';
        if (!/NOPERM|unknown command/i.test(message)) throw err;
        refused ??= { refused: message };
        continue;
      }
      const field = (name: string) => new RegExp(`^${name}:(.*?)\\r?$`, 'm').exec(info)?.[1];
      const policy = field('maxmemory_policy') ?? 'noeviction';
      if (Number(field('maxmemory') ?? 0) > 0 && policy !== 'noeviction') return { policy, maxmemory: field('maxmemory_human') ?? '' };
    }
    return refused;
  }

  async close(): Promise<void> {
    // QUIT lets pending replies arrive; a connection that is down has nothing to flush. Then
    // disconnect in any case: it also ends the Sentinel subscriptions and reconnection timers,
    // which would otherwise keep the process alive.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }

  private entry(key: string, value: unknown, ttlSeconds: number): { raw: string; px: number } {
    if (!(ttlSeconds > 0)) throw new TypeError(`ttlSeconds must be positive, got ${ttlSeconds}`);
    const exp = this.clock.now() + ttlSeconds * 1000;
    const v = this.seal(key, JSON.stringify(value));
    return { raw: JSON.stringify({ v, exp } satisfies StoredEntry), px: Math.ceil(ttlSeconds * 1000) };
  }

  private seal(key: string, json: string): string {
    return this.sealer ? this.sealer.seal(key, json) : json;
  }

  /** The value of a live entry; a sealed value that does not open (see ValueSealer.open) counts as absent. */
  private valueOf<T>(key: string, entry: StoredEntry | undefined): T | undefined {
    if (!entry) return undefined;
    const json = this.sealer ? this.sealer.open(key, entry.v) : entry.v.startsWith('$') ? undefined : entry.v;
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  /** The entry if it is still live on our clock (Redis may not have collected it yet). */
  private live(raw: string | null): StoredEntry | undefined {
    if (raw === null) return undefined;
    const entry = JSON.parse(raw) as StoredEntry;
    return entry.exp > this.clock.now() ? entry : undefined;
  }

  /**
   * Runs one write. With `replicaAcks`, the write and a WAIT go in one pipeline (same node, also
   * in a Cluster), and the write counts only once that many replicas have it: a primary cut off by
   * a failover cannot acknowledge a session, or a spent device code, that the new primary lacks.
   * The caller then sees ERR_UNAVAILABLE (503) instead of a success that a failover undoes.
   */
  private async write<T>(command: (c: WriteCommands) => Promise<T>): Promise<T> {
    const acks = this.replicaAcks;
    if (acks === 0) return this.call(() => command(this.redis));
    return this.call(async () => {
      const pipeline = this.redis.pipeline() as unknown as WriteCommands & ChainableCommander;
      void command(pipeline); // queued, not sent: a pipeline command returns the pipeline
      pipeline.wait(acks, this.replicaAckTimeoutMs);
      const [[error, result], [waitError, acked]] = (await pipeline.exec()) as Array<[Error | null, unknown]> as [
        [Error | null, T],
        [Error | null, number | undefined],
      ];
      // A WAIT that Redis refused (an ACL without it, a managed service that disables it) proves
      // nothing about the replicas: the write does not count.
      const refused = error ?? waitError;
      if (refused) throw refused;
      if (typeof acked !== 'number' || acked < acks) {
        throw new Error(`the write reached ${acked} of ${acks} replicas within ${this.replicaAckTimeoutMs} ms`);
      }
      return result;
    });
  }

  /** Runs a Redis command; whatever goes wrong with Redis becomes ERR_UNAVAILABLE (503). */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      // The error is not kept as the cause: ioredis puts the command on it (`command.args`), which
      // holds the key and the value being written (a session id, an IdP refresh token, STS
      // credentials), and the error log would print them. Its message names no argument.
      throw new BridgeError('ERR_UNAVAILABLE', {
        userMessage: sentence('err.ERR_UNAVAILABLE.redis'),
        hint: sentence('hint.redis'),
        detail: {
          store: 'redis',
          target: this.target,
          reason: plainReason((err as Error).message, this.lastError, this.passwordIn),
          redisMessage: (err as Error).message,
          lastConnectionError: this.lastError,
        },
      });
    }
  }
}

/** Why a Redis that may evict the bridge's keys is refused (serve, check-config --online, /readyz). */
export function evictionProblem(eviction: { policy: string; maxmemory: string }): string {
  return (
    `Redis evicts keys when full (maxmemory-policy ${eviction.policy}, maxmemory ${eviction.maxmemory}): spent sign-ins, ` +
    'revocations and the session index would vanish without an error. Set maxmemory-policy to noeviction, ' +
    'so that a full Redis refuses writes (503) instead (docs/operations.md, "Redis")'
  );
}

/** What went wrong, in an administrator's words rather than ioredis's (its own stays in the log detail). */
const REASONS: [RegExp, string][] = [
  [/ECONNREFUSED/, 'connection refused: is Redis running on that host and port?'],
  [/ETIMEDOUT/, 'connection timed out: a firewall or the wrong host?'],
  [/ENOTFOUND|EAI_AGAIN/, 'host name not found'],
  [/NOPERM/, 'the Redis user lacks a permission the bridge needs (docs/operations.md, "ACL")'],
  [/Command timed out/, 'no answer within the command timeout'],
  [/OOM command not allowed/, 'Redis is out of memory (maxmemory reached)'],
  [/READONLY/, 'connected to a read-only replica'],
];

function plainReason(message: string, lastConnectionError: string | undefined, passwordIn: string): string {
  // "Reached the max retries per request limit": the command gave up waiting for a connection,
  // whose own error says why.
  const text = /max retries per request/.test(message) && lastConnectionError ? lastConnectionError : message;
  if (/WRONGPASS|NOAUTH|invalid username-password/i.test(text)) return `authentication failed: check ${passwordIn}`;
  return REASONS.find(([pattern]) => pattern.test(text))?.[1] ?? text;
}
