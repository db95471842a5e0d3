import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Installed by scripts/ensure-system-deps.sh (npm pretest): a missing binary fails, never skips. */
const REDIS_SERVER = '/usr/bin/redis-server';

export interface RunningRedis {
  port: number;
  url: string;
  /** Ends the process (SIGTERM) but keeps its directory: a crash, for failover tests. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A private redis-server on 127.0.0.1 and a free port, persisting nothing, in a temp dir. It never
 * touches a system Redis on 6379. Resolves once it answers PING. `args` are more
 * `--option value` pairs (cluster, replication); `configFile` writes a file the server reads
 * first (Sentinel needs one it can rewrite).
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RunningRedis> {
  // A port found free can be taken by another test's process before redis-server binds it (the
  // suites run in parallel): then another free port, unless the test named its own.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      const portTaken = String(err).includes('Address already in use');
      if (!portTaken || options.port !== undefined || attempt === 5) throw err;
    }
  }
}

interface RedisServerOptions {
  args?: string[];
  configFile?: (dir: string, port: number) => Promise<string>;
  binary?: string;
  port?: number;
}

async function startOnce(options: RedisServerOptions): Promise<RunningRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'rambridge-redis-'));
  // A given port: a Redis "restarted" where clients already point (outage tests).
  const port = options.port ?? (await freePort());
  const file = options.configFile ? [await options.configFile(dir, port)] : [];
  const child = spawn(
    options.binary ?? REDIS_SERVER,
    [...file, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...(options.args ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const stop = async () => {
    await kill(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPong(port, child, () => output);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port, url: `redis://127.0.0.1:${port}`, kill: () => kill(child), stop };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPong(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`redis-server exited early:\n${output()}`);
    if (await pong(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within 10 s:\n${output()}`);
}

/** One inline PING over RESP; true on +PONG. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    // A server that demands a password (ACL tests) is up too.
    socket.on('data', (d: Buffer) => done(/^(\+PONG|-NOAUTH)/.test(d.toString())));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * A redis-server for the tests of one file, started before them and stopped after, with a plain
 * client (no key prefix) to look at what the store really wrote.
 */
export function redisForFile(): { readonly url: string; readonly raw: Redis } {
  let server: RunningRedis | undefined;
  let raw: Redis | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.url);
  });
  afterAll(async () => {
    await raw?.quit();
    await server?.stop();
  });
  return {
    get url() {
      return server!.url;
    },
    get raw() {
      return raw!;
    },
  };
}
