import { createHash } from 'node:crypto';
import { providerArn, roleArn, userArn } from './arn.js';
import type { EmulatorConfig } from './config-schema.js';
import { Permissions, type PolicyDocument } from './policy.js';
import { SITES, type Site } from './site.js';
import { TrustPolicy } from './trust-policy.js';

/**
 * The RAM side of the emulator: the entities of the configuration, resolved once and looked up
 * by ARN or AccessKeyId. Read-only; everything that changes at run time lives in state.ts.
 */

export interface RoleEntry {
  accountId: string;
  name: string;
  arn: string;
  /** RAM's numeric role id, stable for a given account and name. */
  roleId: string;
  maxSessionDuration: number;
  trust: TrustPolicy;
  policies: PolicyDocument[];
}

export interface UserEntry {
  accountId: string;
  name: string;
  arn: string;
  userId: string;
  permissions: Permissions;
}

export interface SamlProviderEntry {
  accountId: string;
  arn: string;
  metadataXml?: string;
  metadataUrl?: string;
}

export interface OidcProviderEntry {
  accountId: string;
  arn: string;
  issuer: string;
  clientIds: readonly string[];
  issuanceLimitHours: number;
}

export class Directory {
  readonly site: Site;
  readonly allowInsecureLoopbackIssuers: boolean;
  private readonly roles = new Map<string, RoleEntry>();
  private readonly samlProviders = new Map<string, SamlProviderEntry>();
  private readonly oidcProviders = new Map<string, OidcProviderEntry>();
  private readonly accessKeys = new Map<string, { user: UserEntry; secret: string }>();
  private readonly aliases = new Map<string, string>();

  constructor(config: EmulatorConfig) {
    this.site = SITES[config.site];
    this.allowInsecureLoopbackIssuers = config.allowInsecureLoopbackIssuers;
    for (const account of config.accounts) {
      const accountId = account.id;
      if (account.alias) this.aliases.set(accountId, account.alias);
      for (const r of account.roles) {
        const arn = roleArn(accountId, r.name);
        this.roles.set(arn, {
          accountId,
          name: r.name,
          arn,
          roleId: numericId(arn),
          maxSessionDuration: r.maxSessionDuration,
          trust: new TrustPolicy(r.trustPolicy),
          policies: r.policies.map((p) => p.document),
        });
      }
      for (const u of account.users) {
        const arn = userArn(accountId, u.name);
        const permissions = Permissions.fromPolicies(u.policies.map((p) => p.document));
        const user = { accountId, name: u.name, arn, userId: numericId(arn), permissions };
        for (const key of u.accessKeys) this.accessKeys.set(key.id, { user, secret: key.secret });
      }
      for (const p of account.samlProviders) {
        const arn = providerArn('saml-provider', accountId, p.name);
        this.samlProviders.set(arn, { accountId, arn, metadataXml: p.metadataXml, metadataUrl: p.metadataUrl });
      }
      for (const p of account.oidcProviders) {
        const arn = providerArn('oidc-provider', accountId, p.name);
        const { issuer, clientIds, issuanceLimitHours } = p;
        this.oidcProviders.set(arn, { accountId, arn, issuer, clientIds, issuanceLimitHours });
      }
    }
  }

  role(arn: string): RoleEntry | undefined {
    return this.roles.get(arn);
  }

  samlProvider(arn: string): SamlProviderEntry | undefined {
    return this.samlProviders.get(arn);
  }

  oidcProvider(arn: string): OidcProviderEntry | undefined {
    return this.oidcProviders.get(arn);
  }

  /** The RAM user owning a (non-STS) AccessKeyId, with the key's secret. */
  accessKey(id: string): { user: UserEntry; secret: string } | undefined {
    return this.accessKeys.get(id);
  }

  accountAlias(accountId: string): string | undefined {
    return this.aliases.get(accountId);
  }
}

/** A 17-digit id derived from an ARN, shaped like RAM's user and role ids. */
function numericId(arn: string): string {
  const n = BigInt(`0x${createHash('sha256').update(arn).digest('hex').slice(0, 16)}`) % 10n ** 17n;
  return n.toString().padStart(17, '1');
}
