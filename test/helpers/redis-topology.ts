import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort, startRedisServer, type RunningRedis } from './redis-server.js';

/**
 * The topologies users grow into, started for real on loopback: a Redis Cluster and a primary with
 * a replica watched by three Sentinels. Timeouts are shortened (node timeout, down-after) so a
 * failover takes about a second or two instead of the production defaults' 15–30 s.
 */

/** Installed by scripts/ensure-system-deps.sh (redis-tools, redis-sentinel). */
const REDIS_CLI = '/usr/bin/redis-cli';
const REDIS_SENTINEL = '/usr/bin/redis-sentinel';

export interface RunningCluster {
  /** `127.0.0.1:port` of every node (primaries first). */
  nodes: string[];
  /** Promotes the replica of the primary holding `key`'s slot (CLUSTER FAILOVER, coordinated), until the old primary replicates it. */
  failover(key: string): Promise<void>;
  stop(): Promise<void>;
}

/** Three primaries, each with one replica (six redis-server processes), slots spread by redis-cli. */
export async function startRedisCluster(): Promise<RunningCluster> {
  const servers: RunningRedis[] = [];
  const stop = () => Promise.all(servers.map((s) => s.stop())).then(() => undefined);
  try {
    for (let i = 0; i < 6; i++) {
      // The cluster bus port defaults to port + 10000, which may not exist for a high free port.
      const busPort = await freePort();
      servers.push(
        await startRedisServer({
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '3000',
            '--cluster-port',
            String(busPort),
          ],
        }),
      );
    }
    const nodes = servers.map((s) => `127.0.0.1:${s.port}`);
    await promisify(execFile)(REDIS_CLI, ['--cluster', 'create', ...nodes, '--cluster-replicas', '1', '--cluster-yes'], {
      timeout: 30_000,
    });
    await waitFor(
      async () => (await Promise.all(servers.map((s) => clusterState(s.port)))).every((state) => state === 'ok'),
      'cluster_state:ok',
    );
    // Replicas become known through gossip, a little after the slots are served.
    await waitFor(
      async () => (await Promise.all(servers.map((s) => shardsWithReplica(s.port)))).every((n) => n === 3),
      'every shard to have a replica',
    );
    return {
      nodes,
      async failover(key: string) {
        // After an earlier failover, a shard's replica is listed in CLUSTER SLOTS again only once it
        // has resynced: wait for the shard to have both before failing it over.
        let shard: Shard | undefined;
        await waitFor(async () => (shard = await shardOf(key, servers)) !== undefined, `a primary and a replica serving ${key}`);
        const { replica, primary } = shard!;
        const client = new Redis(replica.port, '127.0.0.1');
        try {
          // A coordinated failover may be abandoned by a busy node (it then times out): ask again.
          await waitFor(async () => {
            await client.call('CLUSTER', 'FAILOVER');
            return waitFor(async () => ((await client.call('ROLE')) as string[])[0] === 'master', 'the replica to take over', 5_000).then(
              () => true,
            );
          }, 'a failover');
        } finally {
          client.disconnect();
        }
        // Healthy again once the demoted primary replicates from the new one.
        await waitFor(async () => (await info(primary.port, 'replication')).includes('master_link_status:up'), 'the old primary to resync');
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export interface RunningSentinels {
  masterName: string;
  /** `127.0.0.1:port` of each Sentinel. */
  sentinels: string[];
  primary: RunningRedis;
  replica: RunningRedis;
  /** Port of the server the Sentinels name as primary now. */
  primaryPort(): Promise<number>;
  /** SENTINEL FAILOVER, then waits until the Sentinels name the other server and the old one replicates it. */
  failover(): Promise<void>;
  stop(): Promise<void>;
}

/** A primary, one replica and three Sentinels (quorum 2), all on loopback. */
export async function startRedisSentinels(masterName = 'rambridge'): Promise<RunningSentinels> {
  const servers: RunningRedis[] = [];
  const stop = () => Promise.all(servers.map((s) => s.stop())).then(() => undefined);
  try {
    const primary = await startRedisServer();
    servers.push(primary);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(primary.port)] });
    servers.push(replica);
    await waitFor(async () => (await info(replica.port, 'replication')).includes('master_link_status:up'), 'the replica to sync');
    for (let i = 0; i < 3; i++) {
      servers.push(
        await startRedisServer({
          configFile: async (dir, port) => {
            const file = join(dir, 'sentinel.conf');
            await writeFile(
              file,
              [
                `port ${port}`,
                `sentinel monitor ${masterName} 127.0.0.1 ${primary.port} 2`,
                `sentinel down-after-milliseconds ${masterName} 1000`,
                `sentinel failover-timeout ${masterName} 5000`,
                `sentinel parallel-syncs ${masterName} 1`,
                '',
              ].join('\n'),
            );
            return file;
          },
          binary: REDIS_SENTINEL,
        }),
      );
    }
    const sentinelPorts = servers.slice(2).map((s) => s.port);
    // Sentinels find the replica and each other through the primary (hello messages every 2 s).
    await waitFor(async () => {
      const views = await Promise.all(sentinelPorts.map((p) => sentinelView(p, masterName)));
      return views.every((v) => v.replicas >= 1 && v.sentinels >= 2);
    }, 'the Sentinels to discover the replica and each other');
    const primaryPort = async () => Number((await sentinelCall(sentinelPorts[0]!, ['get-master-addr-by-name', masterName]))[1]);
    return {
      masterName,
      sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`),
      primary,
      replica,
      primaryPort,
      async failover() {
        const before = await primaryPort();
        // Right after a failover the demoted primary is not yet a replica the Sentinels would
        // promote (NOGOODSLAVE): ask again until one is.
        await waitFor(() => sentinelCall(sentinelPorts[0]!, ['failover', masterName]).then(() => true), 'a replica to promote');
        await waitFor(async () => {
          const now = await primaryPort();
          return now !== before && (await info(now, 'replication')).includes('role:master');
        }, 'the Sentinels to name the new primary');
        // Healthy again once the demoted primary replicates from the new one.
        const demoted = [primary, replica].find((s) => s.port === before)!;
        await waitFor(async () => (await info(demoted.port, 'replication')).includes('master_link_status:up'), 'the old primary to resync');
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function withClient<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
}

const info = (port: number, section: string) => withClient(port, (r) => r.info(section)).catch(() => '');

async function clusterState(port: number): Promise<string> {
  const text = await withClient(port, (r) => r.call('CLUSTER', 'INFO') as Promise<string>).catch(() => '');
  return /cluster_state:(\w+)/.exec(text)?.[1] ?? 'unknown';
}

function sentinelCall(port: number, args: string[]): Promise<string[]> {
  return withClient(port, (r) => r.call('SENTINEL', ...args) as Promise<string[]>);
}

async function sentinelView(port: number, masterName: string): Promise<{ replicas: number; sentinels: number }> {
  const [replicas, sentinels] = await Promise.all([
    sentinelCall(port, ['replicas', masterName]).catch(() => []),
    sentinelCall(port, ['sentinels', masterName]).catch(() => []),
  ]);
  return { replicas: replicas.length, sentinels: sentinels.length };
}

async function shardsWithReplica(port: number): Promise<number> {
  const shards = await withClient(port, (r) => r.call('CLUSTER', 'SLOTS') as Promise<unknown[][]>);
  return new Set(shards.filter((s) => s.length >= 4).map((s) => JSON.stringify(s[2]))).size;
}

interface Shard {
  primary: RunningRedis;
  replica: RunningRedis;
}

/** The primary that serves `key`'s slot, and its replica (undefined while either is not listed). */
async function shardOf(key: string, servers: RunningRedis[]): Promise<Shard | undefined> {
  const slot = await withClient(servers[0]!.port, (r) => r.call('CLUSTER', 'KEYSLOT', key) as Promise<number>);
  const shards = await withClient(
    servers[0]!.port,
    (r) => r.call('CLUSTER', 'SLOTS') as Promise<Array<[number, number, ...Array<[string, number]>]>>,
  );
  const shard = shards.find(([from, to]) => slot >= from && slot <= to);
  const primary = servers.find((s) => s.port === shard?.[2]?.[1]);
  const replica = servers.find((s) => s.port === shard?.[3]?.[1]);
  return primary && replica ? { primary, replica } : undefined;
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
