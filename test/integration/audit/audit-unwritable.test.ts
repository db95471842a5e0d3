import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../../src/app.js';
import { ManualClock } from '../../../src/clock.js';
import { BridgeIssuer } from '../../../src/issuer/index.js';
import { AuditLog } from '../../../src/issuance/index.js';
import { createAuditLogger, createLogger } from '../../../src/log.js';
import { startBridge } from '../../../src/main.js';
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

/**
 * A full disk that gets space back: ENOSPC on the audit file's writes while `full` is set (the
 * audit file destination writes with fs.writeSync).
 */
function auditFileOnDiskThatFills(file: string) {
  const state = { full: false };
  const realWriteSync = fs.writeSync;
  fs.writeSync = function (fd: number, ...rest: unknown[]) {
    if (state.full && fs.existsSync(file) && fs.fstatSync(fd).ino === fs.statSync(file).ino) {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    return (realWriteSync as (...args: unknown[]) => number)(fd, ...rest);
  };
  const written = () =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { requestId?: string }).requestId);
  return { state, written, restore: () => void (fs.writeSync = realWriteSync) };
}

const tmpAuditFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rambridge-audit-')), 'audit.log');
const refusal = (requestId: string) =>
  ({ code: 'ERR_TOKEN_INVALID', status: 401, method: 'GET', route: '/api/whoami', clientIp: '203.0.113.1', requestId }) as const;

test('past the 4 MiB backlog, records are dropped and counted apart; once the disk has space, the backlog and new records are written', async () => {
  const file = tmpAuditFile();
  const lines: Record<string, unknown>[] = [];
  const main = createLogger({
    destination: new Writable({ write: (c: Buffer, _e, done) => done(void lines.push(JSON.parse(c.toString()))) }),
  });
  const metrics = new Metrics();
  const audit = new AuditLog(createAuditLogger(main, file), {
    onWriteFailure: (dropped) => metrics.observeAuditWriteFailure(dropped),
    mainLog: main,
  });
  const disk = auditFileOnDiskThatFills(file);
  try {
    audit.refusal(refusal('first'));
    disk.state.full = true;
    // About 270 bytes a record: 20000 pass the 4 MiB kept in memory.
    for (let i = 0; i < 20000; i++) audit.refusal(refusal(`full-${i}`));
    disk.state.full = false;
    audit.refusal(refusal('space-back'));
    const written = disk.written();
    expect(written[0]).toBe('first');
    expect(written.at(-1)).toBe('space-back');
    const metric = async (name: string) => Number((await metrics.registry.getSingleMetricAsString(name)).split(' ').pop());
    const delayed = await metric('rambridge_audit_write_failures_total');
    const dropped = await metric('rambridge_audit_records_dropped_total');
    expect(dropped).toBeGreaterThan(0);
    expect(delayed + dropped).toBe(20000);
    // Every delayed record was written, in order; only the dropped ones are missing.
    expect(written).toHaveLength(1 + delayed + 1);
    expect(written.slice(1, -1)).toEqual(Array.from({ length: delayed }, (_, i) => `full-${i}`));
    expect(lines.filter((l) => l.event === 'audit-write-recovered')).toEqual([expect.objectContaining({ failures: 20000, dropped })]);
  } finally {
    disk.restore();
  }
});

test('a graceful stop writes the records kept while the disk was full', async () => {
  const file = tmpAuditFile();
  const config = await demoConfig();
  const disk = auditFileOnDiskThatFills(file);
  const bridge = await startBridge({
    config: { ...config, audit: { ...config.audit, destination: file } },
    port: 0,
    logger: createLogger({ level: 'silent' }),
  });
  try {
    disk.state.full = true;
    for (let i = 0; i < 3; i++) await request(bridge.url).get('/api/whoami').set('Authorization', 'Bearer nope').expect(401);
    disk.state.full = false;
  } finally {
    await bridge.close();
    disk.restore();
  }
  expect(disk.written()).toHaveLength(3);
});
