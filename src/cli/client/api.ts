import type { BridgeClient } from './bridge-client.js';

/** `GET /api/whoami` */
export interface WhoAmI {
  idp: string;
  issuer: string;
  subject: string;
  email?: string;
  name?: string;
  groups: string[];
  amr?: string[];
  sessionExpiresAt?: string;
}

/** One role of `GET /api/roles`. */
export interface RoleInfo {
  id: string;
  arn: string;
  accountId: string;
  accountName: string;
  description?: string;
  via: string;
  maxSessionDuration: number;
  elevated: boolean;
}

/** `POST /api/credentials` */
export interface StsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** ISO 8601. */
  expiration: string;
  roleArn: string;
  assumedRoleArn?: string;
  roleSessionName?: string;
  requestId?: string;
}

export interface CredentialsRequest {
  role: string;
  durationSeconds: number;
  justification?: string;
}

export const whoami = (client: BridgeClient): Promise<WhoAmI> => client.get<WhoAmI>('/api/whoami');

export const listRoles = async (client: BridgeClient): Promise<RoleInfo[]> => (await client.get<{ roles: RoleInfo[] }>('/api/roles')).roles;

export const issueCredentials = (client: BridgeClient, request: CredentialsRequest): Promise<StsCredentials> =>
  client.post<StsCredentials>('/api/credentials', request);

/** The RAM role name: the part of the ARN after `role/`. */
export function roleName(role: Pick<RoleInfo, 'arn'>): string {
  return role.arn.slice(role.arn.lastIndexOf('/') + 1);
}
