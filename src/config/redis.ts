import { z } from 'zod';
import { DEFAULTS } from './defaults.js';

/**
 * `store: {type: redis, …}`: one Redis (`url`), a primary found through Sentinels (`sentinel`), or
 * a Redis Cluster (`cluster`): exactly one of the three. Whatever the topology, every store
 * operation touches a single key, so Cluster needs no hash tags (see src/store/redis-scripts.ts).
 */

const hostPort = z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'host:port');

/** An AES-256 key: 32 random bytes, base64 (`openssl rand -base64 32`). */
const aesKey = z.string().refine((s) => /^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(s) && Buffer.from(s, 'base64').length === 32, {
  message: '32 random bytes, base64-encoded (openssl rand -base64 32)',
});

const encryptionKeySchema = z.strictObject({
  /** Stored with each value, so the key that encrypted it is found again after a rotation. */
  id: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/, 'letters, digits, ".", "_" and "-" (at most 32)'),
  key: aesKey,
});

const tlsSchema = z.strictObject({
  /** PEM file of the CA that signed the Redis certificates (default: the system's CAs). */
  caFile: z.string().min(1).optional(),
  /** Client certificate and key (PEM files), when Redis requires them (`tls-auth-clients yes`). */
  certFile: z.string().min(1).optional(),
  keyFile: z.string().min(1).optional(),
  /** The name the server certificate must carry, when it is not the host connected to. */
  servername: z.string().min(1).optional(),
});

export const redisStoreSchema = z
  .strictObject({
    type: z.literal('redis'),
    /** One Redis: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. Use ${VAR} for the password. */
    url: z
      .url({ protocol: /^rediss?$/, error: 'a redis:// or rediss:// URL' })
      // The scheme in lower case: the client turns TLS on only for a URL that starts `rediss://`,
      // so `REDISS://` would connect in plain text (and escape the plain-text warning).
      .transform((url) => url.replace(/^rediss?:/i, (scheme) => scheme.toLowerCase()))
      .optional(),
    /** A primary and its replicas watched by Redis Sentinel: the client asks the Sentinels where the primary is now. */
    sentinel: z
      .strictObject({
        /** The name the Sentinels monitor the primary under (`sentinel monitor <name> …`). */
        masterName: z.string().min(1),
        sentinels: z.array(hostPort).min(1),
        /** ACL user and password of the Sentinels themselves, when they require one. */
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
      })
      .optional(),
    /** A Redis Cluster: any reachable nodes; the client discovers the rest and follows failovers. */
    cluster: z.strictObject({ nodes: z.array(hostPort).min(1) }).optional(),
    /** ACL user and password (Redis 6+) for sentinel and cluster nodes; with `url` they may be in the URL instead (these win). */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** TLS to Redis (and to the Sentinels); with `url`, write rediss://. An empty object uses the system CAs. */
    tls: tlsSchema.optional(),
    /**
     * Replicas that must have a write before it counts (Redis WAIT); default 1 with sentinel or
     * cluster, 0 with url. 0 trades the failover guarantee for one round trip less per write.
     */
    replicaAcks: z.number().int().min(0).max(5).optional(),
    /** Prepended to every key, so several bridges (or other apps) can share one Redis database. */
    keyPrefix: z.string().min(1).max(100).default(DEFAULTS.store.keyPrefix),
    /**
     * Values are encrypted at rest (AES-256-GCM) with the first key; every key listed decrypts, so
     * a new key goes first and an old one stays until the entries it encrypted have expired.
     */
    encryptionKeys: z.array(encryptionKeySchema).min(1).optional(),
  })
  .superRefine((store, ctx) => {
    const topologies = (['url', 'sentinel', 'cluster'] as const).filter((k) => store[k] !== undefined);
    if (topologies.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: [topologies[1] ?? 'url'],
        message: 'give exactly one of url (one Redis), sentinel or cluster',
      });
    }
    if (store.url?.startsWith('redis:') && store.tls) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'with tls, write rediss:// (redis:// is plain text)' });
    }
    if (Boolean(store.tls?.certFile) !== Boolean(store.tls?.keyFile)) {
      ctx.addIssue({ code: 'custom', path: ['tls'], message: 'certFile and keyFile go together' });
    }
    const ids = store.encryptionKeys?.map((k) => k.id) ?? [];
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i) ctx.addIssue({ code: 'custom', path: ['encryptionKeys', i, 'id'], message: `duplicate key id "${id}"` });
    });
  });

export type RedisStoreConfig = z.infer<typeof redisStoreSchema>;
