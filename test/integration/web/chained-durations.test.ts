import type { AssumeRoleInput, StsClient } from '../../../src/sts/index.js';
import { configFromYaml } from '../../helpers/config.js';
import { FakeOp, type FakeOpUser } from '../../helpers/fake-op.js';
import { ConfigInvalid } from '../../../src/config/index.js';
import { testBridge } from '../../helpers/bridge.js';
import { AuditLog, CredentialIssuer } from '../../../src/issuance/index.js';
import { createLogger } from '../../../src/log.js';
import { loggedIn, signedIn } from '../../helpers/device-flow.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * A chained role lasts at most one hour (an STS limit). What is offered — the picker's lengths and
 * `/api/roles` — is what will be granted; a longer request is refused, never quietly shortened,
 * and the audit record holds the duration that was really asked for and granted.
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());

const OPERATOR: FakeOpUser = { sub: 'olga-sub', email: 'olga@example.com', name: 'Olga', groups: ['rambridge-ops'], amr: ['pwd'] };

/** Records every AssumeRole and answers with made-up credentials. */
function recordingSts(assumeRoles: AssumeRoleInput[]): StsClient {
  const answer = {
    credentials: { accessKeyId: 'STS.AK', accessKeySecret: 'secret', securityToken: 'token', expiration: new Date(Date.UTC(2030, 0, 1)) },
    assumedRoleUser: { arn: 'acs:ram::5555666677778888:assumed-role/rambridge-prod-auditor/olga', assumedRoleId: 'id' },
    requestId: 'req-1',
  };
  return {
    assumeRoleWithSaml: () =>
      Promise.resolve({ ...answer, samlAssertionInfo: { subjectType: '', subject: '', recipient: '', issuer: '' } }),
    assumeRoleWithOidc: () => Promise.resolve({ ...answer, oidcTokenInfo: { issuer: '', subject: '', clientIds: [] } }),
    assumeRole: (input) => (assumeRoles.push(input), Promise.resolve(answer)),
    getCallerIdentity: () => Promise.reject(new Error('unused')),
  };
}

/** A bridge whose chained role claims 12 h, as a config that slipped past validation would. */
async function bridgeWithLongChainedRole(assumeRoles: AssumeRoleInput[]) {
  return testBridge(op, {
    sts: recordingSts(assumeRoles),
    config: (c) => {
      c.roles.find((r) => r.id === 'prod-auditor')!.maxSessionDuration = 43200;
    },
  });
}

test('the picker and /api/roles offer a chained role no more than one hour', async () => {
  const bridge = await bridgeWithLongChainedRole([]);
  const { cli, tokens } = await loggedIn(bridge, op, OPERATOR);
  const roles = (await cli.get('/api/roles').set('Authorization', `Bearer ${tokens.access_token}`).expect(200)).body as {
    roles: { id: string; maxSessionDuration: number }[];
  };
  expect(roles.roles.find((r) => r.id === 'prod-auditor')?.maxSessionDuration).toBe(3600);

  const browser = await signedIn(bridge, op, OPERATOR);
  const page = (await browser.get('/roles/prod-auditor').expect(200)).text;
  expect([...page.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1])).filter((s) => s > 3600)).toEqual([]);
});

test('a longer chained session is refused before any STS call, and the audit says what was asked', async () => {
  const assumeRoles: AssumeRoleInput[] = [];
  const bridge = await bridgeWithLongChainedRole(assumeRoles);
  const { cli, tokens } = await loggedIn(bridge, op, OPERATOR);
  const ask = (durationSeconds: number) =>
    cli.post('/api/credentials').set('Authorization', `Bearer ${tokens.access_token}`).send({ role: 'prod-auditor', durationSeconds });

  expect((await ask(7200).expect(400)).body).toMatchObject({ code: 'ERR_DURATION_INVALID' });
  expect(assumeRoles).toEqual([]);

  await ask(3600).expect(200);
  expect(assumeRoles.map((a) => a.durationSeconds)).toEqual([3600]);
  const audits = bridge.logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === true);
  // The refusal is audited as a refusal; the one issuance records the duration granted.
  expect(audits.filter((a) => a.event === 'refusal').map((a) => a.code)).toEqual(['ERR_DURATION_INVALID']);
  expect(audits.filter((a) => a.event === 'issuance').map((a) => [a.outcome, a.durationSeconds])).toEqual([['issued', 3600]]);

  // The browser form is held to the same bound.
  const browser = await signedIn(bridge, op, OPERATOR);
  const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
  const res = await browser.post('/roles/credentials').type('form').send({ _csrf: csrf, role: 'prod-auditor', duration: '43200' });
  expect(res.status).toBe(400);
  expect(res.text).toContain('ERR_DURATION_INVALID');
});

test('the issuer itself refuses, never shortens, a chained session over one hour', async () => {
  const assumeRoles: AssumeRoleInput[] = [];
  const bridge = await bridgeWithLongChainedRole(assumeRoles);
  const issuer = new CredentialIssuer({
    issuer: bridge.issuer!,
    sts: recordingSts(assumeRoles),
    roles: bridge.config.roles,
    clock: bridge.clock,
    audit: new AuditLog(createLogger({ destination: { write: (line: string) => void audits.push(JSON.parse(line)) } })),
  });
  const audits: Record<string, unknown>[] = [];
  const identity = {
    idp: 'demo',
    issuer: op.issuer,
    subject: 'olga-sub',
    email: 'olga@example.com',
    groups: ['rambridge-ops'],
    amr: ['pwd'],
  };
  const role = bridge.config.roles.find((r) => r.id === 'prod-auditor')!;
  const request = { identity, choice: { role, reasons: [] }, channel: 'cli' as const, clientIp: '127.0.0.1' };

  await expect(issuer.issue({ ...request, durationSeconds: 7200 })).rejects.toMatchObject({ code: 'ERR_DURATION_INVALID' });
  expect(assumeRoles).toEqual([]);
  expect(audits.map((a) => [a.outcome, a.durationSeconds, a.errorCode])).toEqual([['refused', 7200, 'ERR_DURATION_INVALID']]);
});

test('configuration refuses a chained role longer than one hour', () => {
  const yaml = (maxSessionDuration: number) => `
accounts: [{alias: prod, id: "5555666677778888"}]
roles:
  - {id: base, account: prod, role: base}
  - {id: chained, account: prod, role: chained, via: {chainFrom: base}, maxSessionDuration: ${maxSessionDuration}}
grants: []
`;
  expect(configFromYaml(yaml(3600)).roles).toHaveLength(2);
  let problems: string[] = [];
  try {
    configFromYaml(yaml(7200));
  } catch (err) {
    if (err instanceof ConfigInvalid) problems = err.problems.map((p) => p.path);
  }
  expect(problems).toEqual(['roles[1].maxSessionDuration']);
});
