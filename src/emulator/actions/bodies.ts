import { isoSeconds } from '../../iso-time.js';
import { issuedArn, type RoleSession } from '../role-session.js';
import type { StsCredential } from '../state.js';

/** Response fragments every AssumeRole* action returns (docs/alibaba-cloud-reference.md §1 "Response JSON"). */

export function credentialsBody(credential: StsCredential) {
  return {
    AccessKeyId: credential.accessKeyId,
    AccessKeySecret: credential.accessKeySecret,
    SecurityToken: credential.securityToken,
    Expiration: isoSeconds(credential.session.expiresAt),
  };
}

export function assumedRoleUserBody(session: RoleSession) {
  return { Arn: issuedArn(session), AssumedRoleId: session.assumedRoleId };
}
