/**
 * Alibaba Cloud STS for the bridge: the StsClient interface, its implementation on the official
 * SDK, built from configuration or not, endpoint resolution, and the mapping of STS failures to BridgeError codes.
 */
export type {
  AssumeRoleInput,
  AssumeRoleResult,
  AssumeRoleWithOidcInput,
  AssumeRoleWithOidcResult,
  AssumeRoleWithSamlInput,
  AssumeRoleWithSamlResult,
  AssumedRoleUser,
  CallerCredentials,
  CallerIdentity,
  StsClient,
  StsCredentials,
} from './types.js';
export { createStsClient, type StsClientOptions } from './client.js';
export { stsClientFromConfig } from './from-config.js';
export { resolveStsEndpoint, type StsEndpoint, type StsEndpointOptions } from './endpoint.js';
export { stsErrorDetail, type StsErrorDetail } from './errors.js';
export { DEFAULT_RETRY, type RetryDeps, type RetryPolicy } from './retry.js';
