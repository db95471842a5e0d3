import { jest } from '@jest/globals';
import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { Redis } from 'ioredis';
import { ManualClock } from '../../../src/clock.js';
import { secretHash } from '../../../src/device/secrets.js';
import type { RedisConnectionConfig } from '../../../src/store/redis-connection.js';
import { RedisStore } from '../../../src/store/index.js';
import { followOp, testBridge } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { startRedisCluster, startRedisSentinels, type RunningCluster, type RunningSentinels } from '../../helpers/redis-topology.js';
import { describeStoreConformance } from '../../helpers/store-conformance.js';
import { ALICE, BOB, decide, poll, signedIn, started } from '../../helpers/device-flow.js';

/**
 * Redis Sentinel and Redis Cluster for real: the store conformance suite on each, and a failover
 * in the middle of a browser sign-in and of a device poll. What users may see: their flow
 * completes, or a clear coded error they can retry (503 while the store is switching) — never a
 * 500, and never someone else's session.
 */
jest.setTimeout(60_000);

let op: FakeOp;
let cluster: RunningCluster;
let sentinels: RunningSentinels;
const stores: RedisStore[] = [];

beforeAll(async () => {
  // One after the other: the machine running the suite may be small.
  op = await FakeOp.start();
  cluster = await startRedisCluster();
  sentinels = await startRedisSentinels();
}, 120_000);
afterAll(async () => {
  await op?.close();
  await cluster?.stop();
  await sentinels?.stop();
});
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

const topologies: Array<[string, () => Omit<RedisConnectionConfig, 'keyPrefix'>]> = [
  ['cluster', () => ({ cluster: { nodes: cluster.nodes } })],
  ['sentinel', () => ({ sentinel: { masterName: sentinels.masterName, sentinels: sentinels.sentinels } })],
];

function open(topology: () => Omit<RedisConnectionConfig, 'keyPrefix'>, keyPrefix: string, clock: ManualClock): RedisStore {
  const store = new RedisStore(
    { ...topology(), keyPrefix, encryptionKeys: [{ id: 'k', key: Buffer.alloc(32, 9).toString('base64') }] },
    clock,
  );
  stores.push(store);
  return store;
}

for (const [name, topology] of topologies)
  describeStoreConformance(`redis ${name}`, (clock) => open(topology, `conformance-${name}:`, clock));

/** No 500, and any error is a coded one; a 503 is the store switching over and may be retried. */
function expectCodedOutcome(res: Response): void {
  expect(res.status).not.toBe(500);
  if (res.status >= 400) expect(res.text).toMatch(/ERR_[A-Z_]+/);
}

/** Whose session this browser holds: the email on the role picker, or none. */
async function whoIsSignedIn(browser: TestAgent): Promise<string | undefined> {
  const res = await untilNot503(() => browser.get('/roles'));
  return res.status === 200 ? /[a-z]+@example\.com/.exec(res.text)?.[0] : undefined;
}

/** Retries a request the bridge answered 503 (the store switching over), as a user pressing reload would. */
async function untilNot503(send: () => Promise<Response>): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const res = await send();
    expectCodedOutcome(res);
    if (res.status !== 503 || attempt >= 20) return res;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.each(topologies)('failover on %s', (name, topology) => {
  let prefixes = 0;
  const bridgeOn = () => {
    const keyPrefix = `failover-${name}-${++prefixes}:`;
    return testBridge(op, { store: (clock) => open(topology, keyPrefix, clock) }).then((bridge) => ({ bridge, keyPrefix }));
  };
  const failover = (fullKey: string) => (name === 'cluster' ? cluster.failover(fullKey) : sentinels.failover());

  test('in the middle of a sign-in: it completes for its user or answers a coded error, never a 500; other sessions stay theirs', async () => {
    const { bridge, keyPrefix } = await bridgeOn();
    const bob = await signedIn(bridge, op, BOB);
    const alice = bridge.agent();
    op.user = ALICE;
    const start = await alice.get('/login').expect(302);
    const callback = await followOp(start.headers.location!);
    // The failover runs while the callback is in flight (and retried, as a reload would, on 503).
    const [, res] = await Promise.all([
      failover(`${keyPrefix}loginflow:${callback.searchParams.get('state')!}`),
      untilNot503(() => alice.get(callback.pathname + callback.search)),
    ]);
    const who = await whoIsSignedIn(alice);
    if (res.status === 302) expect(who).toBe(ALICE.email);
    else expect(who).toBeUndefined();
    expect([BOB.email, undefined]).toContain(await whoIsSignedIn(bob));
    // After the failover the bridge works on, with no restart. A write whose replica
    // acknowledgement times out (a loaded machine) is a coded error too, so allow a retry or two.
    let signedInAgain: string | undefined;
    for (let attempt = 0; attempt < 3 && !signedInAgain; attempt++) {
      const again = bridge.agent();
      op.user = ALICE;
      const next = await untilNot503(() => again.get('/login'));
      if (next.status !== 302) continue;
      const cb = await followOp(next.headers.location!);
      const done = await untilNot503(() => again.get(cb.pathname + cb.search));
      if (done.status === 302) signedInAgain = await whoIsSignedIn(again);
    }
    expect(signedInAgain).toBe(ALICE.email);
  });

  test('in the middle of a device poll: the CLI gets its tokens (for the approving user) or a coded error', async () => {
    const { bridge, keyPrefix } = await bridgeOn();
    const cli = bridge.agent();
    const { device_code, user_code } = await started(cli);
    await decide(await signedIn(bridge, op, BOB), user_code, 'approve');
    const [, res] = await Promise.all([
      failover(`${keyPrefix}device:grant:${secretHash(device_code)}`),
      untilNot503(() => poll(cli, device_code)),
    ]);
    if (res.status === 200) {
      const whoami = await cli.get('/api/whoami').set({ Authorization: `Bearer ${(res.body as { access_token: string }).access_token}` });
      expect(whoami.status).toBe(200);
      expect(JSON.stringify(whoami.body)).toContain(BOB.email);
    } else {
      expect(res.body).toMatchObject({ error: expect.any(String), code: expect.stringMatching(/^ERR_/) });
    }
  });
});

test('cluster: a primary that evicts is found even when other primaries refuse INFO to the bridge’s user', async () => {
  // The bridge's user on every node; on all primaries but one it may not run INFO, and that one evicts.
  const admin = cluster.nodes.map((node) => new Redis(Number(node.split(':')[1]), '127.0.0.1'));
  const primaries = (
    await Promise.all(admin.map(async (c) => (((await c.call('ROLE')) as string[])[0] === 'master' ? c : undefined)))
  ).filter((c): c is Redis => c !== undefined);
  try {
    for (const c of admin) await c.call('ACL', 'SETUSER', 'bridge', 'on', '>bridge-pw', '~*', '+@all', '-info');
    await primaries.at(-1)!.call('ACL', 'SETUSER', 'bridge', '+info');
    await primaries.at(-1)!.call('CONFIG', 'SET', 'maxmemory', '512mb', 'maxmemory-policy', 'volatile-lru');
    const store = new RedisStore(
      { cluster: { nodes: cluster.nodes }, username: 'bridge', password: 'bridge-pw', keyPrefix: 'eviction:' },
      new ManualClock(),
    );
    stores.push(store);
    expect(await store.eviction()).toEqual({ policy: 'volatile-lru', maxmemory: '512.00M' });
  } finally {
    await primaries.at(-1)?.call('CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-policy', 'noeviction');
    for (const c of admin) {
      await c.call('ACL', 'DELUSER', 'bridge');
      c.disconnect();
    }
  }
});
