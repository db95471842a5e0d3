import { createRequire } from 'node:module';
import type { ConnectionOptions } from 'node:tls';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { readPemOrFileSync } from '../config/file-values.js';
import type { RedisStoreConfig } from '../config/index.js';

/** What the store needs from a Redis client; a standalone/Sentinel `Redis` and a `Cluster` both offer it. */
export type RedisClient = Redis | Cluster;

/** The topology part of the store configuration (tests build stores from just this). */
export type RedisConnectionConfig = Pick<RedisStoreConfig, 'keyPrefix'> &
  Partial<Pick<RedisStoreConfig, 'url' | 'sentinel' | 'cluster' | 'username' | 'password' | 'tls'>>;

/**
 * Options every topology shares. A command fails after one reconnection attempt instead of
 * queueing for ~20 s (ioredis' default), or after 5 s without an answer: requests answer 503 and
 * the CLI exits while the client keeps reconnecting in the background.
 */
const COMMON: RedisOptions = {
  maxRetriesPerRequest: 1,
  connectTimeout: 5000,
  // A Redis that stops answering while its connection stays up (a stalled process, a black-holed
  // link) would otherwise hold every request forever: 503 after 5 s instead.
  commandTimeout: 5000,
  retryStrategy: (times) => Math.min(times * 100, 2000),
  // After a Sentinel failover the old primary turns replica and refuses writes with READONLY:
  // reconnect (to the primary the Sentinels now name) and resend, which is safe because a
  // refused write did nothing.
  reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 2 : false),
};

/**
 * ioredis (about 15 MB resident) is loaded when a Redis store is opened, not by every process that
 * imports the store: a bridge on the memory store, and every CLI command, never need it.
 */
const ioredis = (): typeof import('ioredis') => createRequire(import.meta.url)('ioredis') as typeof import('ioredis');

/** Opens the client the configuration names: one Redis, a Sentinel-watched primary, or a Cluster. */
export function connectRedis(config: RedisConnectionConfig, overrides: RedisOptions = {}): RedisClient {
  const { Cluster, Redis } = ioredis();
  const auth = { username: config.username, password: config.password };
  const tls = config.tls && tlsOptions(config.tls);
  if (config.cluster) {
    return new Cluster(config.cluster.nodes.map(hostAndPort), {
      keyPrefix: config.keyPrefix,
      redisOptions: { ...COMMON, ...auth, tls, ...overrides },
      // A primary that died is replaced by its replica within cluster-node-timeout plus an
      // election; meanwhile slots answer CLUSTERDOWN / TRYAGAIN. Retry briefly, then let the
      // request answer 503.
      retryDelayOnClusterDown: 200,
      retryDelayOnFailover: 200,
      retryDelayOnTryAgain: 200,
      maxRedirections: 8,
      clusterRetryStrategy: (times) => Math.min(times * 100, 2000),
    });
  }
  if (config.sentinel) {
    const { masterName, sentinels, username, password } = config.sentinel;
    return new Redis({
      ...COMMON,
      ...auth,
      keyPrefix: config.keyPrefix,
      name: masterName,
      sentinels: sentinels.map(hostAndPort),
      sentinelUsername: username,
      sentinelPassword: password,
      tls,
      enableTLSForSentinelMode: Boolean(tls),
      sentinelTLS: tls,
      // Listen to the Sentinels' +switch-master instead of waiting for the old primary to fail.
      failoverDetector: true,
      ...overrides,
    });
  }
  if (!config.url) throw new TypeError('store: one of url, sentinel or cluster is required');
  // ioredis lets the URL's credentials win over options, even the empty password of
  // `redis://user@host`: they go in as options instead, under store.username and store.password.
  const url = new URL(config.url);
  const credentials = {
    username: config.username ?? (decodeURIComponent(url.username) || undefined),
    password: config.password ?? (decodeURIComponent(url.password) || undefined),
  };
  url.username = url.password = '';
  return new Redis(url.href, { ...COMMON, ...credentials, keyPrefix: config.keyPrefix, ...(tls ? { tls } : {}), ...overrides });
}

/** Where the store connects, without any password: safe for logs and error details. */
export function describeTarget(config: RedisConnectionConfig): string {
  if (config.cluster) return `redis cluster ${config.cluster.nodes.join(',')}`;
  if (config.sentinel) return `redis sentinel ${config.sentinel.masterName}@${config.sentinel.sentinels.join(',')}`;
  return config.url ? redactUrl(config.url) : 'redis';
}

/**
 * The URL with any password replaced, so it can be logged: the one before the host, and any query
 * parameter naming one (ioredis reads options such as `?password=` from the query too).
 */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  for (const name of [...parsed.searchParams.keys()]) {
    if (/pass|secret|token/i.test(name)) parsed.searchParams.set(name, '***');
  }
  return parsed.toString();
}

function hostAndPort(node: string): { host: string; port: number } {
  const at = node.lastIndexOf(':');
  return { host: node.slice(0, at), port: Number(node.slice(at + 1)) };
}

/** TLS options with the PEM files read now, so a missing file stops start-up with its path. */
function tlsOptions(tls: NonNullable<RedisStoreConfig['tls']>): ConnectionOptions {
  return {
    ca: tls.caFile && readPemOrFileSync(tls.caFile, 'store.tls.caFile'),
    cert: tls.certFile && readPemOrFileSync(tls.certFile, 'store.tls.certFile'),
    key: tls.keyFile && readPemOrFileSync(tls.keyFile, 'store.tls.keyFile'),
    servername: tls.servername,
  };
}
