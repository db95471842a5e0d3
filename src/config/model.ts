import type { ClaimNames } from './presets.js';
import type { NameIdFormat, SamlIdpConfig, SignatureRequirement } from './saml.js';
import type { AccountConfig, GrantConfig, IssuerConfig, OidcIdpConfig, RawConfig, RoleConfig } from './schema.js';
export type { RedisStoreConfig } from './schema.js';

/**
 * The configuration after validation, with everything derived once: ARNs, provider ARNs, claim
 * names from presets, site endpoints. The rest of the code reads only this.
 */
export interface BridgeConfig {
  server: RawConfig['server'] & { publicUrl: string };
  idps: Idp[];
  alibaba: AlibabaSettings;
  accounts: AccountConfig[];
  roles: Role[];
  grants: Grant[];
  issuer?: IssuerSettings;
  elevation: RawConfig['elevation'];
  device: RawConfig['device'];
  support: RawConfig['support'];
  store: RawConfig['store'];
  log: RawConfig['log'];
  audit: RawConfig['audit'];
  metrics: RawConfig['metrics'];
  /** Settings that weaken security, one sentence each, printed at start-up. */
  warnings: string[];
}

export interface OidcIdp extends Omit<OidcIdpConfig, 'claims' | 'scopes' | 'displayName'> {
  displayName: string;
  claims: ClaimNames;
  scopes: string[];
  /** Our redirect URI for this IdP: `${publicUrl}/oidc/${id}/callback`. */
  redirectUri: string;
}

export interface SamlIdp extends Omit<
  SamlIdpConfig,
  'attributes' | 'displayName' | 'spEntityId' | 'nameIdFormat' | 'emailVerified' | 'requireSigned'
> {
  displayName: string;
  /** The IdP's email is used (preset default or the config's `emailVerified`). */
  emailVerified: boolean;
  /** The signatures an answer must carry, after applying the preset. */
  requireSigned: SignatureRequirement;
  /** Attribute names after applying the preset and overrides. */
  attributes: { email?: string; groups: string[]; name?: string; firstName?: string; lastName?: string };
  nameIdFormat: NameIdFormat;
  spEntityId: string;
  /** Our assertion consumer service: `${publicUrl}/saml/${id}/acs`. */
  acsUrl: string;
}

export type Idp = OidcIdp | SamlIdp;

/** A console page users may land on (`alibaba.consoleDestinations`); `service`/`region` name it for `?service=`. */
export interface ConsoleDestination {
  label: string;
  url: string;
  service?: string;
  region?: string;
}

export interface AlibabaSettings {
  site: 'intl' | 'cn';
  stsEndpoint: string;
  signinUrl: string;
  consoleUrl: string;
  /** The SAML Audience the sign-in service expects for this site. */
  samlAudience: string;
  /** The site's canonical role-SSO URL: Destination and Recipient of assertions minted for RAM. */
  samlRecipient: string;
  /** Where the browser posts those assertions (`${signinUrl}/saml-role/sso`; differs from
   * `samlRecipient` only when sign-in is pointed elsewhere, e.g. at the emulator). */
  roleSsoUrl: string;
  consoleDestinations: ConsoleDestination[];
  stsConnectTimeoutMs: number;
  stsReadTimeoutMs: number;
  stsMaxAttempts: number;
}

export interface Role extends Omit<RoleConfig, 'via'> {
  /** `chain`: assume `chainFrom` first, then AssumeRole into this role. */
  via: 'saml' | 'oidc' | 'chain';
  chainFrom?: string;
  arn: string;
  roleName: string;
  accountId: string;
  accountAlias: string;
  accountName: string;
  /** The bridge's provider in this account that RAM trusts for this role (saml/oidc only). */
  providerArn?: string;
}

export interface IssuerSettings extends Omit<IssuerConfig, 'samlEntityId'> {
  samlEntityId: string;
  /** The bridge as OIDC issuer: its public URL. */
  oidcIssuer: string;
}

export interface Grant extends GrantConfig {
  /** `id` from the file, or `grants[N]` when it has none: reasons name it. */
  id: string;
}
