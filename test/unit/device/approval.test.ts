import { ManualClock } from '../../../src/clock.js';
import { DEFAULTS } from '../../../src/config/defaults.js';
import { DeviceApprovals } from '../../../src/device/approval.js';
import { UserCodeAttempts } from '../../../src/device/attempts.js';
import { DeviceGrants } from '../../../src/device/grants.js';
import type { Identity } from '../../../src/idp/identity.js';
import { MemoryStore } from '../../../src/store/index.js';

const ALICE: Identity = {
  idp: 'demo',
  issuer: 'https://idp',
  subject: 'alice-sub',
  email: 'alice@example.com',
  groups: ['dev'],
  amr: ['pwd'],
};
const CLIENT = { clientId: 'rambridge-cli', host: 'laptop', ip: '10.0.0.1' };

function setup() {
  const clock = new ManualClock();
  const store = new MemoryStore(clock);
  const settings = { ...DEFAULTS.device, maxFailedUserCodes: 2 };
  const grants = new DeviceGrants({ store, clock, settings });
  const attempts = new UserCodeAttempts({ store, clock, settings });
  return { grants, approvals: new DeviceApprovals({ grants, attempts, browserSessionSeconds: 3600 }) };
}

describe('device approvals (the verification page’s use case)', () => {
  test('a code alone asks for confirmation; a decision decides; the same code again is refused', async () => {
    const { grants, approvals } = setup();
    const { userCode } = await grants.start(CLIENT, undefined);
    const base = { user: ALICE, signInId: 'S' };
    await expect(approvals.submit({ ...base, userCode: userCode.toLowerCase(), decision: undefined })).resolves.toMatchObject({
      kind: 'confirm',
      userCode,
    });
    await expect(approvals.submit({ ...base, userCode, decision: 'deny' })).resolves.toMatchObject({ kind: 'decided', approved: false });
    await expect(approvals.submit({ ...base, userCode, decision: 'approve' })).resolves.toEqual({
      kind: 'refused',
      why: 'already-decided',
    });
  });

  test('only codes that name no grant use up attempts', async () => {
    const { grants, approvals } = setup();
    const { userCode } = await grants.start(CLIENT, undefined);
    const base = { user: ALICE, signInId: 'S', decision: undefined };
    for (let i = 0; i < 3; i++) await approvals.submit({ ...base, userCode });
    await expect(approvals.submit({ ...base, userCode: 'nope' })).resolves.toEqual({ kind: 'refused', why: 'unknown' });
    await expect(approvals.submit({ ...base, userCode: 'BCDF-GHJK' })).resolves.toEqual({ kind: 'refused', why: 'unknown' });
    await expect(approvals.submit({ ...base, userCode })).rejects.toMatchObject({ code: 'ERR_DEVICE_TOO_MANY_ATTEMPTS' });
  });

  test('an approval takes the sign-in’s IdP refresh token; a second approval of that sign-in hears it was taken', async () => {
    const { grants, approvals } = setup();
    const first = await grants.start(CLIENT, undefined);
    const second = await grants.start(CLIENT, undefined);
    const base = { user: ALICE, signInId: 'S', decision: 'approve' as const, connectorData: { refreshToken: 'idp-refresh' } };
    await expect(approvals.submit({ ...base, userCode: first.userCode })).resolves.toMatchObject({ kind: 'decided', approved: true });
    await expect(approvals.submit({ ...base, userCode: second.userCode })).resolves.toEqual({ kind: 'refresh-token-taken' });
  });

  test('an approval refused gives the IdP refresh token back for the next one', async () => {
    const { grants, approvals } = setup();
    const { userCode } = await grants.start(CLIENT, undefined);
    const base = { user: ALICE, signInId: 'S', decision: 'approve' as const, connectorData: { refreshToken: 'idp-refresh' } };
    await expect(approvals.submit({ ...base, userCode: 'BCDF-GHJK' })).resolves.toEqual({ kind: 'refused', why: 'unknown' });
    await expect(approvals.submit({ ...base, userCode })).resolves.toMatchObject({ kind: 'decided', approved: true });
  });
});
