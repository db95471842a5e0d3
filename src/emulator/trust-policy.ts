import { z } from 'zod';
import { wildcard, type Wildcard } from './wildcard.js';

/**
 * Role trust policies: who may assume a role (docs/alibaba-cloud-reference.md §4 and §5 "Trust policy").
 *
 * A statement applies when its Action covers `sts:AssumeRole`, its Principal names the caller and
 * every Condition holds. Any applying Deny refuses; otherwise any applying Allow permits.
 */

const TRUST_CONDITION_KEYS = ['saml:recipient', 'oidc:iss', 'oidc:aud', 'oidc:sub', 'sts:ExternalId'] as const;
export type TrustConditionKey = (typeof TRUST_CONDITION_KEYS)[number];

const list = <T extends z.ZodType<string>>(item: T) =>
  z.union([item, z.array(item).min(1)]).transform((v): string[] => (Array.isArray(v) ? v : [v]));

const ramPrincipal = z
  .string()
  .regex(
    /^acs:ram::\d{16}:(root|user\/[\w.@-]+|role\/[\w.-]+)$/,
    'a RAM principal is acs:ram::<account>:root, :user/<name> or :role/<name>',
  );
const federatedPrincipal = z
  .string()
  .regex(/^acs:ram::\d{16}:(saml-provider|oidc-provider)\/[\w.-]+$/, 'a Federated principal is a provider ARN');
const servicePrincipal = z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*\.aliyuncs\.com$/, 'a Service principal is <service>.aliyuncs.com');

const conditionValues = z.partialRecord(z.enum(TRUST_CONDITION_KEYS), list(z.string().min(1)));

const statementSchema = z.strictObject({
  Effect: z.enum(['Allow', 'Deny']),
  Action: list(z.string().regex(/^(\*|sts:[A-Za-z*?]+)$/, 'a trust policy action is sts:AssumeRole')),
  Principal: z
    .strictObject({
      RAM: list(ramPrincipal).optional(),
      Federated: list(federatedPrincipal).optional(),
      Service: list(servicePrincipal).optional(),
    })
    .refine((p) => p.RAM || p.Federated || p.Service, 'name at least one of RAM, Federated, Service'),
  Condition: z.strictObject({ StringEquals: conditionValues.optional(), StringLike: conditionValues.optional() }).optional(),
});

export const trustPolicySchema = z.strictObject({
  Version: z.literal('1'),
  Statement: z.array(statementSchema).min(1),
});

export type TrustPolicyDocument = z.output<typeof trustPolicySchema>;

/** Who is asking and what the request says about them. */
export interface TrustRequest {
  /** RAM principals the caller counts as: its own ARN, its role's ARN, its account's `:root`. */
  ram?: readonly string[];
  /** The provider ARN of a SAML or OIDC federation call. */
  federated?: string;
  /** Values for the condition keys; an absent key fails every condition on it. */
  context: Partial<Record<TrustConditionKey, readonly string[]>>;
}

interface CompiledStatement {
  effect: 'Allow' | 'Deny';
  actions: Wildcard[];
  ram: readonly string[];
  federated: readonly string[];
  equals: [TrustConditionKey, readonly string[]][];
  like: [TrustConditionKey, Wildcard[]][];
}

/** A trust policy compiled once at configuration load. */
export class TrustPolicy {
  private readonly statements: CompiledStatement[];

  constructor(readonly document: TrustPolicyDocument) {
    this.statements = document.Statement.map((s) => ({
      effect: s.Effect,
      actions: s.Action.map((a) => wildcard(a, { ignoreCase: true })),
      ram: s.Principal.RAM ?? [],
      federated: s.Principal.Federated ?? [],
      // Service principals are accepted in the grammar; no emulator caller is a cloud service.
      equals: entries(s.Condition?.StringEquals),
      like: entries(s.Condition?.StringLike).map(([k, v]) => [k, v.map((p) => wildcard(p))]),
    }));
  }

  /** Whether the policy lets this caller assume the role. */
  allows(request: TrustRequest): boolean {
    const applying = this.statements.filter((s) => applies(s, request));
    return applying.some((s) => s.effect === 'Allow') && !applying.some((s) => s.effect === 'Deny');
  }
}

function entries(values: Partial<Record<TrustConditionKey, string[]>> | undefined): [TrustConditionKey, string[]][] {
  return Object.entries(values ?? {}) as [TrustConditionKey, string[]][];
}

function applies(s: CompiledStatement, r: TrustRequest): boolean {
  if (!s.actions.some((a) => a.matches('sts:AssumeRole'))) return false;
  const principal = (r.federated !== undefined && s.federated.includes(r.federated)) || (r.ram ?? []).some((arn) => s.ram.includes(arn));
  if (!principal) return false;
  const values = (key: TrustConditionKey) => r.context[key] ?? [];
  return (
    s.equals.every(([key, allowed]) => values(key).some((v) => allowed.includes(v))) &&
    s.like.every(([key, patterns]) => values(key).some((v) => patterns.some((p) => p.matches(v))))
  );
}
