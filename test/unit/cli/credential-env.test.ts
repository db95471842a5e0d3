import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileRegion } from '../../../src/cli/client/aliyun-config.js';
import { credentialEnvironment, REGION_NAMES } from '../../../src/cli/client/credential-env.js';
import { credentials, ROLES } from './fixtures.js';

test('every spelling the Alibaba tools read gets the same keys, so no stale alias can win', () => {
  const env = credentialEnvironment({ credentials: credentials('2026-01-01T12:00:00.000Z'), role: ROLES[0]! });
  for (const prefix of ['ALIBABA_CLOUD_', 'ALIBABACLOUD_', 'ALICLOUD_', '']) {
    expect(env[`${prefix}ACCESS_KEY_ID`]).toBe('STS.key-id');
    expect(env[`${prefix}ACCESS_KEY_SECRET`]).toBe('secret/with+chars');
    expect(env[`${prefix}SECURITY_TOKEN`]).toBe("token-with-'quote'");
  }
  expect(env).toMatchObject({ ALICLOUD_ACCESS_KEY: 'STS.key-id', ALICLOUD_SECRET_KEY: 'secret/with+chars' });
  expect(env).toMatchObject({ RAMBRIDGE_ROLE: 'dev-admin', RAMBRIDGE_CREDENTIALS_EXPIRATION: '2026-01-01T12:00:00Z' });
});

test('RAMBRIDGE_CREDENTIALS_EXPIRATION is when they expire by this machine’s clock', () => {
  // Arrived with the local clock 2 h slow: the command compares it with this clock.
  const slow = {
    credentials: credentials('2026-01-01T12:00:00.000Z'),
    localExpiresAt: Date.parse('2026-01-01T10:00:00Z'),
    role: ROLES[0]!,
  };
  expect(credentialEnvironment(slow).RAMBRIDGE_CREDENTIALS_EXPIRATION).toBe('2026-01-01T10:00:00Z');
});

test('the aliyun CLI is told to ignore its profiles, and no profile name reaches the command', () => {
  // Its loaded profile outranks the environment: `current` holding keys, or a rambridge External profile
  // of another role, would otherwise decide who `exec ROLE -- aliyun …` acts as.
  const env = credentialEnvironment({ credentials: credentials('2026-01-01T12:00:00.000Z'), role: ROLES[0]! });
  expect(env).toMatchObject({ ALIBABA_CLOUD_IGNORE_PROFILE: 'TRUE', ALIBABACLOUD_IGNORE_PROFILE: 'TRUE' });
  for (const name of ['ALIBABA_CLOUD_PROFILE', 'ALIBABACLOUD_PROFILE', 'ALICLOUD_PROFILE']) {
    expect(Object.keys(env)).toContain(name);
    expect(env[name]).toBeUndefined();
  }
  expect(env).not.toHaveProperty('ALIBABA_CLOUD_REGION_ID');
  expect(
    credentialEnvironment({ credentials: credentials('2026-01-01T12:00:00.000Z'), role: ROLES[0]! }, 'eu-central-1')
      .ALIBABA_CLOUD_REGION_ID,
  ).toBe('eu-central-1');
});

test('no other source of credentials or role left in the shell reaches the command', () => {
  // An OIDC role, a credentials URI or file, an instance role or Terraform's assume-role would
  // otherwise have a tool that reads them act as another role than the one asked for.
  const env = credentialEnvironment({ credentials: credentials('2026-01-01T12:00:00.000Z'), role: ROLES[0]! });
  for (const name of [
    'ALIBABA_CLOUD_ROLE_ARN',
    'ALIBABACLOUD_ROLE_ARN',
    'ALIBABA_CLOUD_OIDC_PROVIDER_ARN',
    'ALIBABA_CLOUD_OIDC_TOKEN_FILE',
    'ALIBABA_CLOUD_CREDENTIALS_URI',
    'ALIBABA_CLOUD_CREDENTIALS_FILE',
    'ALIBABA_CLOUD_ECS_METADATA',
    'ALICLOUD_ASSUME_ROLE_ARN',
  ]) {
    expect(Object.keys(env)).toContain(name);
    expect(env[name]).toBeUndefined();
  }
});

describe('the region the ignored profile would have given', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rambridge-aliyun-'));
  const path = join(dir, 'config.json');
  writeFileSync(
    path,
    JSON.stringify({
      current: 'work',
      profiles: [
        { name: 'work', mode: 'AK', region_id: 'cn-shanghai' },
        { name: 'eu', mode: 'AK', region_id: 'eu-central-1' },
      ],
    }),
  );

  test('the current profile’s, or the one ALIBABA_CLOUD_PROFILE names', async () => {
    await expect(profileRegion(path, {}, REGION_NAMES)).resolves.toBe('cn-shanghai');
    await expect(profileRegion(path, { ALICLOUD_PROFILE: 'eu' }, REGION_NAMES)).resolves.toBe('eu-central-1');
  });

  test('none when the environment sets a region itself, or there is no usable file', async () => {
    await expect(profileRegion(path, { ALICLOUD_REGION: 'ap-southeast-1' }, REGION_NAMES)).resolves.toBeUndefined();
    await expect(profileRegion(join(dir, 'missing.json'), {}, REGION_NAMES)).resolves.toBeUndefined();
    const odd = join(dir, 'odd.json');
    writeFileSync(odd, '{"current":"x","profiles":{"x":1}}');
    await expect(profileRegion(odd, {}, REGION_NAMES)).resolves.toBeUndefined();
  });
});
