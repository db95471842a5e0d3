/**
 * Alibaba Cloud Resource Names of the RAM entities the emulator knows. Parsing is strict and
 * case-sensitive: a RoleArn that is not exactly well-formed is `InvalidParameter.RoleArn`.
 */

export const ACCOUNT_ID = /^\d{16}$/;
export const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;
export const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;
export const PROVIDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,126}[A-Za-z0-9]$|^[A-Za-z0-9]$/;

export type ProviderKind = 'saml-provider' | 'oidc-provider';

export const rootArn = (accountId: string) => `acs:ram::${accountId}:root`;
export const userArn = (accountId: string, name: string) => `acs:ram::${accountId}:user/${name}`;
export const roleArn = (accountId: string, name: string) => `acs:ram::${accountId}:role/${name}`;
export const providerArn = (kind: ProviderKind, accountId: string, name: string) => `acs:ram::${accountId}:${kind}/${name}`;

/** The account and role name of `acs:ram::<account>:role/<name>`, or undefined. */
export function parseRoleArn(arn: string): { accountId: string; name: string } | undefined {
  const m = /^acs:ram::(\d{16}):role\/(.+)$/.exec(arn);
  return m && ROLE_NAME.test(m[2]!) ? { accountId: m[1]!, name: m[2]! } : undefined;
}

const PROVIDER_ARN: Record<ProviderKind, RegExp> = {
  'saml-provider': /^acs:ram::(\d{16}):saml-provider\/(.+)$/,
  'oidc-provider': /^acs:ram::(\d{16}):oidc-provider\/(.+)$/,
};

/** The account and provider name of `acs:ram::<account>:<kind>/<name>`, or undefined. */
export function parseProviderArn(arn: string, kind: ProviderKind): { accountId: string; name: string } | undefined {
  const m = PROVIDER_ARN[kind].exec(arn);
  return m && PROVIDER_NAME.test(m[2]!) ? { accountId: m[1]!, name: m[2]! } : undefined;
}
