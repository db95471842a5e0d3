import { authenticate } from '../authenticate.js';
import { callerArn } from '../role-session.js';
import type { ActionHandler } from '../rpc-types.js';

/**
 * GetCallerIdentity (signed): who the credentials belong to. Field names follow the SDK model
 * (`AccountId, Arn, IdentityType, PrincipalId, UserId, RoleId`).
 */
export const getCallerIdentity: ActionHandler = async (ctx) => {
  const caller = authenticate(ctx);
  if (caller.kind === 'user') {
    const { user } = caller;
    return { AccountId: user.accountId, Arn: user.arn, IdentityType: 'RAMUser', PrincipalId: user.userId, UserId: user.userId };
  }
  const { session } = caller.credential;
  return {
    AccountId: session.role.accountId,
    Arn: callerArn(session),
    IdentityType: 'AssumedRoleUser',
    PrincipalId: session.assumedRoleId,
    RoleId: session.role.roleId,
  };
};
