/**
 * The one name a role's aliyun CLI profile has, wherever rambridge writes or suggests it: the web
 * credentials page (JSON and `aliyun configure set`), `rambridge configure-aliyun` and
 * `rambridge creds ROLE --format aliyun-profile`. One scheme, so `aliyun --profile rambridge-ROLE`
 * means the same role whichever way the profile was made (a later one replaces an earlier one).
 */
export const ALIYUN_PROFILE_PREFIX = 'rambridge-';

export function aliyunProfileName(roleId: string): string {
  return `${ALIYUN_PROFILE_PREFIX}${roleId}`;
}

/** The region a new profile gets when nothing says otherwise (the aliyun CLI refuses a profile without one). */
export const DEFAULT_ALIYUN_REGION = 'cn-hangzhou';
