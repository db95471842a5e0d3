import { execFileSync } from 'node:child_process';
import { formatEnv, formatJson, formatProcess, formatSummary } from '../../../src/cli/client/formats.js';
import { credentials, ROLES } from './fixtures.js';

const creds = credentials('2026-01-01T12:00:00.000Z');

test('process: exactly the Alibaba CLI External-mode JSON, expiration to the second', () => {
  expect(formatProcess({ credentials: creds })).toBe(
    '{"mode":"StsToken","access_key_id":"STS.key-id","access_key_secret":"secret/with+chars","sts_token":"token-with-\'quote\'","expiration":"2026-01-01T12:00:00Z"}\n',
  );
});

test('process: the expiration is the one by this machine’s clock, which the aliyun CLI and the SDKs judge it by', () => {
  // Arrived with the local clock 2 h slow.
  const slow = formatProcess({ credentials: creds, localExpiresAt: Date.parse('2026-01-01T10:00:00.999Z') });
  expect(JSON.parse(slow)).toMatchObject({ expiration: '2026-01-01T10:00:00Z' });
});

test('env: export lines that a POSIX shell evaluates back to the exact values', () => {
  const out = formatEnv(creds);
  expect(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('=')[0]),
  ).toEqual(['export ALIBABA_CLOUD_ACCESS_KEY_ID', 'export ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'export ALIBABA_CLOUD_SECURITY_TOKEN']);
  const printed = execFileSync(
    'sh',
    ['-c', `${out} printf '%s\\n' "$ALIBABA_CLOUD_ACCESS_KEY_ID" "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" "$ALIBABA_CLOUD_SECURITY_TOKEN"`],
    { encoding: 'utf8' },
  );
  expect(printed).toBe(`${creds.accessKeyId}\n${creds.accessKeySecret}\n${creds.securityToken}\n`);
});

test('json: every field the server returned', () => {
  expect(JSON.parse(formatJson(creds))).toEqual(creds);
});

test('summary: role, expiry and how to use them, and no secret', () => {
  const now = Date.parse('2026-01-01T11:00:30Z');
  const out = formatSummary({ role: ROLES[0]!, credentials: creds, fromCache: true, now });
  expect(out).toContain('Credentials for dev-admin (acs:ram::1111222233334444:role/rambridge-dev-admin) in Development');
  expect(out).toContain('(59 min left), from the local cache');
  expect(out).toContain('rambridge exec dev-admin -- ');
  expect(out).toContain('--format env');
  for (const secret of [creds.accessKeySecret, creds.securityToken]) expect(out).not.toContain(secret);
});
