/**
 * The bridge's view of Alibaba Cloud STS: four calls, typed inputs and outputs, no SDK types.
 * Every failure is a BridgeError (ERR_STS_*) whose detail keeps STS's Code, Message and
 * RequestId (see errors.ts).
 */

/** Temporary credentials as STS issues them. */
export interface StsCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiration: Date;
}

/** Who the credentials act as. `arn`'s format varies between STS actions: show it, never parse it. */
export interface AssumedRoleUser {
  arn: string;
  assumedRoleId: string;
}

export interface AssumeRoleResult {
  credentials: StsCredentials;
  assumedRoleUser: AssumedRoleUser;
  requestId: string;
}

export interface AssumeRoleWithSamlResult extends AssumeRoleResult {
  samlAssertionInfo: { subjectType: string; subject: string; recipient: string; issuer: string };
}

export interface AssumeRoleWithOidcResult extends AssumeRoleResult {
  oidcTokenInfo: { issuer: string; subject: string; clientIds: string[]; issuanceTime?: Date; expirationTime?: Date };
}

export interface AssumeRoleWithSamlInput {
  roleArn: string;
  samlProviderArn: string;
  /** Base64 of the complete SAML Response. */
  samlAssertion: string;
  durationSeconds?: number;
  /** Session policy JSON. */
  policy?: string;
}

export interface AssumeRoleWithOidcInput {
  roleArn: string;
  oidcProviderArn: string;
  /** The raw JWT. */
  oidcToken: string;
  roleSessionName: string;
  durationSeconds?: number;
  policy?: string;
}

/** Credentials that sign a call: a RAM user's AccessKey, or STS credentials with their token. */
export interface CallerCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken?: string;
}

export interface AssumeRoleInput {
  caller: CallerCredentials;
  roleArn: string;
  roleSessionName: string;
  durationSeconds?: number;
  policy?: string;
  externalId?: string;
}

export interface CallerIdentity {
  accountId: string;
  arn: string;
  /** `RAMUser`, `AssumedRoleUser`, … */
  identityType: string;
  principalId: string;
  userId?: string;
  roleId?: string;
  requestId: string;
}

export interface StsClient {
  assumeRoleWithSaml(input: AssumeRoleWithSamlInput): Promise<AssumeRoleWithSamlResult>;
  assumeRoleWithOidc(input: AssumeRoleWithOidcInput): Promise<AssumeRoleWithOidcResult>;
  assumeRole(input: AssumeRoleInput): Promise<AssumeRoleResult>;
  getCallerIdentity(caller: CallerCredentials): Promise<CallerIdentity>;
}
