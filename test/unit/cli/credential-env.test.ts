import { credentialEnvironment } from '../../../src/cli/client/credential-env.js';
import { credentials, ROLES } from './fixtures.js';

test('every spelling the Alibaba tools read gets the same keys, so no stale alias can win', () => {
  const env = credentialEnvironment(credentials('2026-01-01T12:00:00.000Z'), ROLES[0]!);
  for (const prefix of ['ALIBABA_CLOUD_', 'ALIBABACLOUD_', 'ALICLOUD_', '']) {
    expect(env[`${prefix}ACCESS_KEY_ID`]).toBe('STS.key-id');
    expect(env[`${prefix}ACCESS_KEY_SECRET`]).toBe('secret/with+chars');
    expect(env[`${prefix}SECURITY_TOKEN`]).toBe("token-with-'quote'");
  }
  expect(env).toMatchObject({ ALICLOUD_ACCESS_KEY: 'STS.key-id', ALICLOUD_SECRET_KEY: 'secret/with+chars' });
  expect(env).toMatchObject({ RAMBRIDGE_ROLE: 'dev-admin', RAMBRIDGE_CREDENTIALS_EXPIRATION: '2026-01-01T12:00:00Z' });
});
