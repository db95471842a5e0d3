import type { RoleInfo } from './api.js';
import { expiresLocally, type Expiring } from './credential-cache.js';
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

/** Names that pick an aliyun CLI profile: cleared, so no profile decides who the command is. */
const PROFILE_NAMES = ['ALIBABA_CLOUD_PROFILE', 'ALIBABACLOUD_PROFILE', 'ALICLOUD_PROFILE'];
/**
 * Names that point a tool at another source of credentials or another role: an OIDC role (the
 * SDKs and the CLI), a credentials URI or file, an ECS instance role, Terraform's assume-role.
 * Cleared for the same reason as the stale keys above: left in the user's shell, they could have
 * the command act as a role other than the one `exec` was asked for.
 */
const OTHER_SOURCE_NAMES = [
  ...['ROLE_ARN', 'OIDC_PROVIDER_ARN', 'OIDC_TOKEN_FILE', 'ROLE_SESSION_NAME'].flatMap((n) => [`ALIBABA_CLOUD_${n}`, `ALIBABACLOUD_${n}`]),
  'ALIBABA_CLOUD_CREDENTIALS_URI',
  'ALIBABA_CLOUD_CREDENTIALS_FILE',
  'ALIBABA_CLOUD_ECS_METADATA',
  'ALICLOUD_ASSUME_ROLE_ARN',
  'ALICLOUD_ASSUME_ROLE_SESSION_NAME',
];
/** Names the region is read from; `exec` carries the profile's region over only when none is set. */
export const REGION_NAMES = ['ALIBABA_CLOUD_REGION_ID', 'ALIBABACLOUD_REGION_ID', 'ALICLOUD_REGION_ID', 'ALICLOUD_REGION'];

/**
 * The environment `rambridge exec` changes for the child process (`undefined`: removed).
 *
 * The aliyun CLI takes from the environment only what its loaded profile leaves empty: with a
 * `current` profile holding keys, or a rambridge External profile of another role, `exec ROLE --
 * aliyun …` would act as that profile while the prompt showed ROLE. Told to ignore profiles, it
 * reads the environment alone; `region` keeps the region the profile would have given.
 */
export function credentialEnvironment(
  { credentials, localExpiresAt, role }: Expiring & { role: RoleInfo },
  region?: string,
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const name of NAMES.accessKeyId) env[name] = credentials.accessKeyId;
  for (const name of NAMES.accessKeySecret) env[name] = credentials.accessKeySecret;
  for (const name of NAMES.securityToken) env[name] = credentials.securityToken;
  // For shell prompts and scripts that want to show or check what they run as; the expiration by
  // this machine's clock (`expiresLocally`), which is the one they compare it with.
  env.RAMBRIDGE_ROLE = role.id;
  env.RAMBRIDGE_ROLE_ARN = role.arn;
  env.RAMBRIDGE_CREDENTIALS_EXPIRATION = isoSeconds(expiresLocally({ credentials, localExpiresAt }));
  env.ALIBABA_CLOUD_IGNORE_PROFILE = 'TRUE';
  env.ALIBABACLOUD_IGNORE_PROFILE = 'TRUE';
  for (const name of [...PROFILE_NAMES, ...OTHER_SOURCE_NAMES]) env[name] = undefined;
  if (region !== undefined) env.ALIBABA_CLOUD_REGION_ID = region;
  return env;
}
