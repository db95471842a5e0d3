import { rootArn } from '../arn.js';
import { authenticate, type Caller } from '../authenticate.js';
import * as errors from '../errors.js';
import { newRoleSession } from '../role-session.js';
import type { ActionHandler } from '../rpc-types.js';
import { assumedRoleUserBody, credentialsBody } from './bodies.js';
import * as param from './params.js';

/**
 * A chained session's lifetime cap. AWS documents one hour for role chaining; no Alibaba document
 * does (docs/alibaba-cloud-reference.md §10), so this is the stricter reading, not a confirmed rule.
 */
const CHAINED_MAX_SECONDS = 3600;

/**
 * AssumeRole (signed; docs/alibaba-cloud-reference.md §3), by a RAM user's AccessKey or by STS credentials (role
 * chaining). The caller's own permissions must allow `sts:AssumeRole` on the role and the role's
 * trust policy must name the caller; either refusal is the documented NoPermission.
 */
export const assumeRole: ActionHandler = async (ctx) => {
  const caller = authenticate(ctx);
  const p = ctx.request.params;
  const roleArn = param.required(p, 'RoleArn');
  const sessionName = param.roleSessionName(p);
  const externalId = p.ExternalId;
  if (externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(externalId)) throw errors.invalidParameter('ExternalId');
  const policy = param.sessionPolicy(p);
  const role = param.role(ctx.directory, roleArn, errors.roleNotFound);
  const chained = caller.kind === 'session';
  const duration = param.durationSeconds(
    p.DurationSeconds,
    chained ? Math.min(CHAINED_MAX_SECONDS, role.maxSessionDuration) : role.maxSessionDuration,
  );

  const own = caller.kind === 'user' ? caller.user.permissions : caller.credential.session.permissions;
  if (!own.allows('sts:AssumeRole', role.arn)) throw errors.noPermission(`caller may not sts:AssumeRole on ${role.arn}`);
  const context = externalId === undefined ? {} : { 'sts:ExternalId': [externalId] };
  if (!role.trust.allows({ ram: principalArns(caller), context })) {
    throw errors.noPermission(`trust policy of ${role.arn} does not name the caller`);
  }

  const session = newRoleSession({
    role,
    sessionName,
    origin: 'AssumeRole',
    now: ctx.now,
    durationSeconds: duration,
    sessionPolicy: policy,
  });
  const credential = ctx.state.issueCredentials(session);
  return { Credentials: credentialsBody(credential), AssumedRoleUser: assumedRoleUserBody(session) };
};

/** The RAM principals a caller counts as in a trust policy: itself (or its role) and its account. */
function principalArns(caller: Caller): string[] {
  if (caller.kind === 'user') return [caller.user.arn, rootArn(caller.user.accountId)];
  const { role } = caller.credential.session;
  return [role.arn, rootArn(role.accountId)];
}
