export { loadConfigFile, loadMappingFile, parseConfigText, type Env } from './load.js';
export { validateConfig, validateMapping, type MappingConfig } from './validate.js';
export { ConfigInvalid, formatProblem, type ConfigProblem } from './problems.js';
export type {
  BridgeConfig,
  Idp,
  OidcIdp,
  SamlIdp,
  Role,
  Grant,
  AlibabaSettings,
  ConsoleDestination,
  IssuerSettings,
  RedisStoreConfig,
} from './model.js';
export { CHAIN_MAX_SECONDS, DEFAULTS, SITES, DURATION_BOUNDS, JUSTIFICATION_MAX_LENGTH, SIGN_OUT_OFFER_TTL_SECONDS } from './defaults.js';
export { policyText, SESSION_POLICY_MAX_BYTES } from './session-policy.js';
export { fileValueForMessage, readPemOrFile, readPemOrFileSync } from './file-values.js';
export { repeatedSigningKeys, samlIdpKeyProblem, sameKeyProblem, signingKeyRule, type SigningAlgorithm } from './signing-keys.js';
export { sameIssuer, stsEndpointSetting } from './urls.js';
