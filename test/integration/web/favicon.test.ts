import { FakeOp } from '../../helpers/fake-op.js';
import { testBridge } from '../../helpers/bridge.js';

let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(async () => {
  await op.close();
});

test('/favicon.ico is answered (204, cacheable) and not logged as a refused request', async () => {
  const { agent, logLines } = await testBridge(op);
  const res = await agent().get('/favicon.ico').expect(204);
  expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
  expect(logLines.map((l) => JSON.parse(l) as { msg?: string }).filter((l) => l.msg === 'request refused')).toEqual([]);
});
