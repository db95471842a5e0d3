/**
 * Alibaba Cloud wire errors. Every refusal the emulator makes is one of the errors below, answered
 * as `{RequestId, HostId, Code, Message, Recommend}` with its HTTP status (docs/alibaba-cloud-reference.md §1 "Error body
 * shape"). `reason` says what exactly failed; it goes to the emulator log only, like the real
 * service keeps its diagnosis to itself.
 */
export class AlibabaError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'AlibabaError';
  }
}

const e = (code: string, status: number, message: string) => (reason?: string) => new AlibabaError(code, status, message, reason);

// Documented in docs/alibaba-cloud-reference.md §1–§3 and §6 (code, status and message as the docs give them).
export const samlProviderNotFound = e('EntityNotExist.SAMLProvider', 404, 'Can not find SAML provider.');
export const samlRoleNotFound = e('EntityNotExist.RoleArn', 404, 'The specified Role does not exists.');
export const samlExpired = e('AuthenticationFail.SAMLAssertion.Expired', 401, 'The SAML Assertion is expired.');
export const samlInvalid = e('AuthenticationFail.SAMLAssertion.Invalid', 401, 'The SAML Assertion is invalid.');
export const noFederatedPermission = e('AuthenticationFail.NoPermission', 401, 'There is no permission');
export const oidcProviderNotFound = e('AuthenticationFail.NoPermission', 401, 'No such OIDC Provider registered.');
export const oidcAudienceNotMatch = e('AuthenticationFail.OIDCToken.AudienceNotMatch', 401, 'Invalid audience.');
export const oidcExpired = e('AuthenticationFail.OIDCToken.Expired', 401, 'This JsonWebToken is expired.');
export const oidcInvalidSignature = e(
  'AuthenticationFail.OIDCToken.InvalidSignature',
  401,
  'OIDC token validate failed: invalid signature.',
);
export const oidcIssuerNotMatch = e(
  'AuthenticationFail.OIDCToken.IssuerNotMatch',
  401,
  "The issuer in the OIDC Token doesn't match the OIDC Provider registered.",
);
export const oidcInvalid = (message: string, reason?: string) =>
  new AlibabaError('AuthenticationFail.OIDCToken.Invalid', 401, message, reason);
export const oidcIssuerConfigurationBroken = (issuer: string, reason?: string) =>
  new AlibabaError(
    'AuthenticationFail.OIDCToken.IssuerConfigurationBroken',
    401,
    `Get public keys from OIDC Provider failed, the issuer is ${issuer}.`,
    reason,
  );
export const roleNotFound = (roleArn: string, reason?: string) =>
  new AlibabaError('EntityNotExist.Role', 404, `The role not exists: ${roleArn}.`, reason);
export const noPermission = e('NoPermission', 403, 'You are not authorized to do this action. You should be authorized by RAM.');
export const invalidRoleArn = e('InvalidParameter.RoleArn', 400, 'The parameter RoleArn is wrongly formed.');
export const invalidRoleSessionName = e('InvalidParameter.RoleSessionName', 400, 'The RoleSessionName is invalid.');
export const invalidPolicyGrammar = e('InvalidParameter.PolicyGrammar', 400, 'Invalid Policy.');
export const invalidPolicySize = (limit: number) =>
  // The documented text names 1024, the limit of the old docs; it names the limit we enforce.
  new AlibabaError('InvalidParameter.PolicySize', 400, `The max size of policy string is ${limit}.`);
export const invalidDuration = (maxSeconds: number, reason?: string) =>
  // Documented as "15min/1hr" from the days when one hour was the only maximum.
  new AlibabaError(
    'InvalidParameter.DurationSeconds',
    400,
    `The Min/Max value of DurationSeconds is 15min/${maxSeconds / 3600}hr.`,
    reason,
  );
export const missingParameter = (name: string) => new AlibabaError(`MissingParameter.${name}`, 400, `Parameter ${name} is required.`);
export const invalidAction = e('InvalidAction', 400, 'The specified Action is not valid.');
export const credentialInvalid = e('InvalidCredential.AuthenticateFail', 401, 'The credential you provided is invalid.');

// Not in the reference: undocumented codes named the way the documented ones are.
export const idpMetadataInvalid = e('AuthenticationFail.IDPMetadata.Invalid', 401, 'The IdP metadata is invalid.');
export const invalidParameter = (name: string, reason?: string) =>
  new AlibabaError(`InvalidParameter.${name}`, 400, `The parameter ${name} is wrongly formed.`, reason);
export const duplicatedParameter = (name: string) =>
  new AlibabaError('InvalidParameter', 400, `The parameter ${name} is given more than once.`);
export const formatNotSupported = e('InvalidParameter.Format', 400, 'The emulator answers Format=JSON only.');
export const unreadableRequest = (status: number, reason?: string) =>
  new AlibabaError('InvalidRequest', status, 'The request body could not be read.', reason);

// Alibaba Cloud's common OpenAPI errors for signed calls (the public error centre, not the reference).
export const actionNotFound = e('InvalidAction.NotFound', 404, 'Specified api is not found, please check your url and method.');
export const invalidVersion = e('InvalidVersion', 400, 'Specified parameter Version is not valid.');
export const incompleteSignature = e('IncompleteSignature', 400, 'The request signature does not conform to Aliyun standards.');
export const signatureDoesNotMatch = e('SignatureDoesNotMatch', 400, 'Specified signature is not matched with our calculation.');
export const signatureNonceUsed = e('SignatureNonceUsed', 400, 'Specified signature nonce was used already.');
export const timestampMalformed = e('InvalidTimeStamp.Format', 400, 'Specified time stamp or date value is not well formatted.');
export const timestampExpired = e('InvalidTimeStamp.Expired', 400, 'Specified time stamp or date value is expired.');
export const accessKeyNotFound = e('InvalidAccessKeyId.NotFound', 404, 'Specified access key is not found.');
export const missingSecurityToken = e('MissingSecurityToken', 400, 'SecurityToken is required for STS credentials.');
export const securityTokenMalformed = e('InvalidSecurityToken.Malformed', 400, 'Specified SecurityToken is malformed.');
export const securityTokenMismatch = e(
  'InvalidSecurityToken.MismatchWithAccessKey',
  400,
  'Specified SecurityToken mismatch with the AccessKey.',
);
export const securityTokenExpired = e('InvalidSecurityToken.Expired', 400, 'Specified SecurityToken is expired.');
export const internalError = e('InternalError', 500, 'The request processing has failed due to some unknown error.');

/** The JSON error body every Alibaba OpenAPI answers with. */
export function errorBody(err: AlibabaError, requestId: string, hostId: string) {
  return {
    RequestId: requestId,
    HostId: hostId,
    Code: err.code,
    Message: err.message,
    // The shape real responses carry: a link to the diagnosis page for the code.
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}&product=Sts`,
  };
}
