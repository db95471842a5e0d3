import type { RoleInfo, CredentialsResponse } from './api.js';
import { isoSeconds } from '../../iso-time.js';

/**
 * Every name the Alibaba Cloud tools read credentials from. `exec` sets all of them, not just the
 * canonical ALIBABA_CLOUD_* ones: a stale `ALICLOUD_ACCESS_KEY_ID` left in the user's shell would
 * otherwise win in a tool that prefers that spelling, and the command would act as someone else.
 */
const NAMES = {
  accessKeyId: [
    'ALIBABA_CLOUD_ACCESS_KEY_ID',
    'ALIBABACLOUD_ACCESS_KEY_ID',
    'ALICLOUD_ACCESS_KEY_ID',
    'ACCESS_KEY_ID',
    // Terraform's alicloud provider.
    'ALICLOUD_ACCESS_KEY',
  ],
  accessKeySecret: [
    'ALIBABA_CLOUD_ACCESS_KEY_SECRET',
    'ALIBABACLOUD_ACCESS_KEY_SECRET',
    'ALICLOUD_ACCESS_KEY_SECRET',
    'ACCESS_KEY_SECRET',
    'ALICLOUD_SECRET_KEY',
  ],
  securityToken: ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALIBABACLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN', 'SECURITY_TOKEN'],
} as const;

/** The environment `rambridge exec` adds for the child process. */
export function credentialEnvironment(credentials: CredentialsResponse, role: RoleInfo): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of NAMES.accessKeyId) env[name] = credentials.accessKeyId;
  for (const name of NAMES.accessKeySecret) env[name] = credentials.accessKeySecret;
  for (const name of NAMES.securityToken) env[name] = credentials.securityToken;
  // For shell prompts and scripts that want to show or check what they run as.
  env.RAMBRIDGE_ROLE = role.id;
  env.RAMBRIDGE_ROLE_ARN = role.arn;
  env.RAMBRIDGE_CREDENTIALS_EXPIRATION = isoSeconds(credentials.expiration);
  return env;
}
