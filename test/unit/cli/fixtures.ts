import type { RoleInfo, CredentialsResponse } from '../../../src/cli/client/api.js';

/** Roles shaped like the demo's `/api/roles`. */
export function role(id: string, accountName: string, overrides: Partial<RoleInfo> = {}): RoleInfo {
  const accountId = accountName === 'Production' ? '5555666677778888' : '1111222233334444';
  return {
    id,
    arn: `acs:ram::${accountId}:role/rambridge-${id}`,
    accountId,
    accountName,
    via: 'oidc',
    maxSessionDuration: 43_200,
    elevated: false,
    ...overrides,
  };
}

export const ROLES: RoleInfo[] = [
  role('dev-admin', 'Development', { description: 'Full access to the development account.', maxSessionDuration: 14_400 }),
  role('dev-readonly', 'Development', { description: 'Read-only access to ECS and OSS in development.' }),
  role('prod-ops', 'Production', { description: 'Operate ECS and OSS in production.', maxSessionDuration: 3600, elevated: true }),
  role('prod-readonly', 'Production', { description: 'Read-only access to ECS and OSS in production.' }),
];

export function credentials(expiration: string, id = 'STS.key-id'): CredentialsResponse {
  return {
    accessKeyId: id,
    accessKeySecret: 'secret/with+chars',
    securityToken: "token-with-'quote'",
    expiration,
    roleArn: 'acs:ram::1111222233334444:role/rambridge-dev-admin',
  };
}
