import { parseProviderArn } from '../arn.js';
import * as errors from '../errors.js';
import { verifyOidcToken } from '../oidc-verify.js';
import { isoSeconds } from '../../iso-time.js';
import { newRoleSession } from '../role-session.js';
import type { ActionHandler } from '../rpc-types.js';
import { assumedRoleUserBody, credentialsBody } from './bodies.js';
import * as param from './params.js';

/**
 * AssumeRoleWithOIDC (anonymous; docs/alibaba-cloud-reference.md §2). The raw JWT is verified against the named
 * provider, then the role's trust policy must admit the provider with its `oidc:iss`, `oidc:aud`
 * and `oidc:sub` conditions. `oidc:iss` is compared with the full issuer URL, scheme included:
 * whether RAM also accepts it without `https://` is unconfirmed (§10), and the exact form is the
 * stricter reading.
 */
export const assumeRoleWithOidc: ActionHandler = async (ctx) => {
  const p = ctx.request.params;
  const providerArn = param.required(p, 'OIDCProviderArn');
  const roleArn = param.required(p, 'RoleArn');
  if (p.OIDCToken === undefined || p.OIDCToken === '') throw errors.oidcInvalid('The OIDCToken can not empty.');
  const token = param.boundedLength(p, 'OIDCToken', 4, 20_000);
  const sessionName = param.roleSessionName(p);
  if (!parseProviderArn(providerArn, 'oidc-provider')) throw errors.invalidParameter('OIDCProviderArn');
  const policy = param.sessionPolicy(p);
  const provider = ctx.directory.oidcProvider(providerArn);
  if (!provider) throw errors.oidcProviderNotFound(providerArn);
  const role = param.role(ctx.directory, roleArn, errors.roleNotFound);
  const duration = param.durationSeconds(p.DurationSeconds, role.maxSessionDuration);

  const facts = await verifyOidcToken(token, provider, ctx.documents, ctx.now);
  const context = { 'oidc:iss': [facts.issuer], 'oidc:aud': facts.audiences, 'oidc:sub': [facts.subject] };
  if (!role.trust.allows({ federated: provider.arn, context })) {
    throw errors.noFederatedPermission(`trust policy of ${role.arn} does not admit ${provider.arn} for this token`);
  }

  const session = newRoleSession({
    role,
    sessionName,
    origin: 'AssumeRoleWithOIDC',
    now: ctx.now,
    durationSeconds: duration,
    sessionPolicy: policy,
  });
  const credential = ctx.state.issueCredentials(session);
  return {
    Credentials: credentialsBody(credential),
    AssumedRoleUser: assumedRoleUserBody(session),
    OIDCTokenInfo: {
      Issuer: facts.issuer,
      Subject: facts.subject,
      ClientIds: facts.audiences.join(','),
      IssuanceTime: isoSeconds(facts.issuedAt),
      ExpirationTime: isoSeconds(facts.expiresAt),
      VerificationInfo: 'Success',
    },
  };
};
