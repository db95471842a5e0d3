import { z } from 'zod';
import { wildcard, type Wildcard } from './wildcard.js';

/**
 * RAM permission policies (attached to roles and users, or passed as a session policy).
 *
 * The grammar is the common subset: `Version: "1"` and statements with `Effect`, `Action`,
 * `Resource` and an optional `Condition`. `NotAction`/`NotResource` are refused rather than
 * silently ignored, so a policy the emulator cannot evaluate never looks broader than it is.
 */

const stringOrList = (item: z.ZodString) => z.union([item, z.array(item).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

const action = z.string().regex(/^(\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+)$/, 'an action is `*` or `service:Name` (wildcards allowed)');
const resource = z.string().regex(/^(\*|acs:\S+)$/, 'a resource is `*` or an `acs:` ARN (wildcards allowed)');
const conditionValue = z.union([z.string(), z.number(), z.boolean()]);

const statementSchema = z.strictObject({
  Effect: z.enum(['Allow', 'Deny']),
  Action: stringOrList(action),
  Resource: stringOrList(resource),
  Condition: z.record(z.string(), z.record(z.string(), z.union([conditionValue, z.array(conditionValue)]))).optional(),
});

export const policyDocumentSchema = z.strictObject({
  Version: z.literal('1'),
  Statement: z.array(statementSchema).min(1),
});

/** A policy as written (after normalising single strings to lists). */
export type PolicyDocument = z.output<typeof policyDocumentSchema>;

/** A set of actions on a set of resources. */
export interface Grant {
  actions: Wildcard[];
  resources: Wildcard[];
}

const compileGrant = (actions: string[], resources: string[]): Grant => ({
  actions: actions.map((a) => wildcard(a, { ignoreCase: true })),
  resources: resources.map((r) => wildcard(r)),
});

/**
 * What a principal may do: any Allow grant matches and no Deny grant does.
 *
 * Conditions are not evaluated (the emulator has no request context for them). To stay on the
 * safe side a conditional Allow grants nothing and a conditional Deny denies unconditionally.
 */
export class Permissions {
  constructor(
    readonly allow: readonly Grant[],
    readonly deny: readonly Grant[],
  ) {}

  static fromPolicies(policies: readonly PolicyDocument[]): Permissions {
    const allow: Grant[] = [];
    const deny: Grant[] = [];
    for (const statement of policies.flatMap((p) => p.Statement)) {
      if (statement.Effect === 'Deny') deny.push(compileGrant(statement.Action, statement.Resource));
      else if (!statement.Condition) allow.push(compileGrant(statement.Action, statement.Resource));
    }
    return new Permissions(allow, deny);
  }

  allows(action: string, resource: string): boolean {
    const hit = (g: Grant) => g.actions.some((a) => a.matches(action)) && g.resources.some((r) => r.matches(resource));
    return this.allow.some(hit) && !this.deny.some(hit);
  }

  /** A policy document equivalent to these permissions, for the console page and debug endpoint. */
  toDocument(): { Version: '1'; Statement: { Effect: 'Allow' | 'Deny'; Action: string[]; Resource: string[] }[] } {
    const statement = (Effect: 'Allow' | 'Deny') => (g: Grant) => ({
      Effect,
      Action: g.actions.map((a) => a.text),
      Resource: g.resources.map((r) => r.text),
    });
    return { Version: '1', Statement: [...this.allow.map(statement('Allow')), ...this.deny.map(statement('Deny'))] };
  }
}
