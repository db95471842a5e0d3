import { parseProviderArn } from '../arn.js';
import * as errors from '../errors.js';
import { providerMetadata } from '../idp-metadata.js';
import { newRoleSession } from '../role-session.js';
import type { ActionHandler } from '../rpc-types.js';
import { parseSamlResponse, verifySamlResponse } from '../saml-verify.js';
import { assumedRoleUserBody, credentialsBody } from './bodies.js';
import * as param from './params.js';

/**
 * AssumeRoleWithSAML (anonymous; docs/alibaba-cloud-reference.md §1). The SAML Response is verified against the named
 * provider's metadata, must list the requested (RoleArn, SAMLProviderArn) pair in its Role
 * attribute, and the role's trust policy must admit the provider. The token lives
 * min(DurationSeconds, role maximum, SessionNotOnOrAfter).
 */
export const assumeRoleWithSaml: ActionHandler = async (ctx) => {
  const p = ctx.request.params;
  const assertion = param.boundedLength(p, 'SAMLAssertion', 4, 100_000);
  const providerArn = param.required(p, 'SAMLProviderArn');
  const roleArn = param.required(p, 'RoleArn');
  if (!parseProviderArn(providerArn, 'saml-provider')) throw errors.invalidParameter('SAMLProviderArn');
  const policy = param.sessionPolicy(p);
  const provider = ctx.directory.samlProvider(providerArn);
  if (!provider) throw errors.samlProviderNotFound(providerArn);
  const role = param.role(ctx.directory, roleArn, errors.samlRoleNotFound);
  const duration = param.durationSeconds(p.DurationSeconds, role.maxSessionDuration);

  const metadata = await providerMetadata(provider, ctx.documents);
  const facts = verifySamlResponse(parseSamlResponse(assertion), metadata, ctx.directory.site, ctx.now);
  if (!facts.roles.some((r) => r.roleArn === role.arn && r.providerArn === provider.arn)) {
    throw errors.samlInvalid(`the Role attribute does not pair ${role.arn} with ${provider.arn}`);
  }
  if (!role.trust.allows({ federated: provider.arn, context: { 'saml:recipient': [facts.recipient] } })) {
    throw errors.noFederatedPermission(`trust policy of ${role.arn} does not admit ${provider.arn}`);
  }
  // Whether STS refuses a replayed assertion is not documented; the stricter choice does.
  if (!ctx.state.rememberAssertion(facts.issuer, facts.id, facts.notOnOrAfter)) {
    throw errors.samlInvalid(`assertion ${facts.id} was used before`);
  }

  const session = newRoleSession({
    role,
    sessionName: facts.roleSessionName,
    origin: 'AssumeRoleWithSAML',
    now: ctx.now,
    durationSeconds: duration,
    notAfter: facts.sessionNotOnOrAfter,
    sessionPolicy: policy,
  });
  const credential = ctx.state.issueCredentials(session);
  return {
    Credentials: credentialsBody(credential),
    AssumedRoleUser: assumedRoleUserBody(session),
    SAMLAssertionInfo: {
      SubjectType: facts.subjectType,
      Subject: facts.subject,
      Recipient: facts.recipient,
      Issuer: facts.issuer,
    },
  };
};
