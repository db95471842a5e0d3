import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../../src/app.js';
import { ManualClock } from '../../../src/clock.js';
import { BridgeIssuer } from '../../../src/issuer/index.js';
import { createAuditLogger, createLogger } from '../../../src/log.js';
import { MemoryStore } from '../../../src/store/index.js';
import type { StsClient } from '../../../src/sts/index.js';
import { Metrics } from '../../../src/web/metrics.js';
import { demoConfig } from '../../helpers/config.js';
import { bearer, loggedIn } from '../../helpers/device-flow.js';
import { fakeOpForFile } from '../../helpers/fake-op.js';

/**
 * An audit destination that refuses writes (a full volume: /dev/full answers every write with
 * ENOSPC) must not turn answers into bare 500s: the coded answer is still sent, the main log says
 * why once per burst of failures, an issuance record is kept there, and a metric counts them.
 */
const fake = fakeOpForFile();

async function bridgeOnFullDisk(sts?: StsClient) {
  const config = await demoConfig({ idpUrl: fake.op.issuer, clientSecret: fake.op.clientSecret, publicUrl: 'http://127.0.0.1:8080' });
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write: (c: Buffer, _e, done) => (lines.push(JSON.parse(c.toString()) as Record<string, unknown>), done()),
  });
  const logger = createLogger({ level: 'info', destination });
  const clock = new ManualClock(Date.now());
  const issuer = await BridgeIssuer.create(config.issuer!, config.alibaba, config.server.publicUrl);
  const metrics = new Metrics();
  const auditLogger = createAuditLogger(logger, '/dev/full');
  const app = createApp({ config, store: new MemoryStore(clock), logger, clock, issuer, sts, metrics, auditLogger });
  const failures = async () => (await metrics.registry.getSingleMetricAsString('rambridge_audit_write_failures_total')).split('\n').pop();
  return { app, lines, failures };
}

test('refusals still get their coded answer; the main log says audit-write-failed once, and the metric counts each', async () => {
  const { app, lines, failures } = await bridgeOnFullDisk();
  for (let i = 0; i < 3; i++) {
    const res = await request(app.callback()).get('/api/whoami').set('Authorization', 'Bearer nope');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'ERR_TOKEN_INVALID', request_id: expect.any(String) });
    expect(res.headers['www-authenticate']).toContain('invalid_token');
  }
  const failed = lines.filter((l) => l.event === 'audit-write-failed');
  expect(failed).toEqual([expect.objectContaining({ level: 50, errorCode: 'ENOSPC' })]);
  expect(lines.filter((l) => l.msg === 'request').map((l) => l.status)).toEqual([401, 401, 401]);
  expect(await failures()).toBe('rambridge_audit_write_failures_total 3');
});

test('an issuance whose record cannot be written: the CLI gets its credentials and the main log names the AccessKeyId', async () => {
  const answer = {
    credentials: {
      accessKeyId: 'STS.MINTED',
      accessKeySecret: 'sk-secret',
      securityToken: 'tok-secret',
      expiration: new Date(Date.UTC(2030, 0, 1)),
    },
    assumedRoleUser: { arn: 'acs:ram::1111222233334444:assumed-role/r/alice', assumedRoleId: 'id' },
    requestId: 'sts-req-1',
  };
  const sts: StsClient = {
    assumeRoleWithSaml: () =>
      Promise.resolve({ ...answer, samlAssertionInfo: { subjectType: '', subject: '', recipient: '', issuer: '' } }),
    assumeRoleWithOidc: () => Promise.resolve({ ...answer, oidcTokenInfo: { issuer: '', subject: '', clientIds: [] } }),
    assumeRole: () => Promise.resolve(answer),
    getCallerIdentity: () => Promise.reject(new Error('unused')),
  };
  const { app, lines } = await bridgeOnFullDisk(sts);
  const { cli, tokens } = await loggedIn({ agent: () => request.agent(app.callback()) }, fake.op);
  const res = await cli.post('/api/credentials').set(bearer(tokens.access_token)).send({ role: 'dev-admin', durationSeconds: 900 });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ accessKeyId: 'STS.MINTED' });
  const failed = lines.filter((l) => l.event === 'audit-write-failed' && l.record);
  expect(failed).toEqual([
    expect.objectContaining({
      level: 50,
      record: expect.objectContaining({ outcome: 'issued', accessKeyId: 'STS.MINTED', stsRequestId: 'sts-req-1', roleId: 'dev-admin' }),
    }),
  ]);
  expect(JSON.stringify(lines)).not.toContain('sk-secret');
});
