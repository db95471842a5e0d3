import type { Context } from 'koa';
import type { EmulatorDeps } from './deps.js';
import * as errors from './errors.js';
import { collectParams, requestIdOf, sendJson } from './http.js';
import { isoSeconds } from '../iso-time.js';
import { callerArn, issuedArn } from './role-session.js';
import { isLoopbackHost } from './url-rules.js';

/**
 * `GET /debug/session?AccessKeyId=STS.…[&Action=ecs:DescribeInstances[&Resource=…]]`: what a
 * session issued by this emulator may do, so tests can assert on effective permissions.
 *
 * Keyed by AccessKeyId alone, which is not a secret. The secret and token are refused if sent:
 * they would land in URLs and access logs. Served only when the emulator listens on loopback
 * and only to loopback clients, and the answer holds no credential.
 */
export function debugSession(deps: EmulatorDeps) {
  return async function showSession(ctx: Context): Promise<void> {
    const client = (ctx.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (!isLoopbackHost(client)) throw errors.noPermission(`debug endpoint called from ${client}`);
    const { params } = collectParams(ctx);
    if (params.AccessKeySecret !== undefined || params.SecurityToken !== undefined) {
      throw errors.invalidParameter('AccessKeyId', 'secrets do not belong in a URL; send the AccessKeyId only');
    }
    if (!params.AccessKeyId) throw errors.missingParameter('AccessKeyId');
    const credential = deps.state.credential(params.AccessKeyId);
    if (!credential) throw errors.accessKeyNotFound(params.AccessKeyId);

    const { session } = credential;
    const resource = params.Resource ?? '*';
    const check = params.Action
      ? { Action: params.Action, Resource: resource, Allowed: session.permissions.allows(params.Action, resource) }
      : undefined;
    sendJson(ctx, {
      RequestId: requestIdOf(ctx),
      AccessKeyId: credential.accessKeyId,
      AccountId: session.role.accountId,
      AccountAlias: deps.directory.accountAlias(session.role.accountId),
      RoleArn: session.role.arn,
      RoleSessionName: session.sessionName,
      Origin: session.origin,
      AssumedRoleUser: { Arn: issuedArn(session), AssumedRoleId: session.assumedRoleId },
      CallerArn: callerArn(session),
      Expiration: isoSeconds(session.expiresAt),
      Expired: session.expiresAt <= deps.clock.now(),
      RolePolicies: session.role.policies,
      SessionPolicy: session.sessionPolicy,
      EffectivePermissions: session.permissions.toDocument(),
      Check: check,
    });
  };
}
