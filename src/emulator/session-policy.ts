import { invalidPolicyGrammar, invalidPolicySize } from './errors.js';
import { Permissions, policyDocumentSchema, type Grant, type PolicyDocument } from './policy.js';
import type { Wildcard } from './wildcard.js';

/**
 * Session policies: the optional `Policy` parameter of every AssumeRole* action. A session can
 * never do more than its role allows, so its permissions are the intersection of the role's
 * attached policies and the session policy.
 */

/**
 * Longest `Policy` accepted. The newer docs say 2,048 characters, the older ones (and the
 * documented error text) 1,024 (docs/alibaba-cloud-reference.md §10). The issue fixes 2,048; it is counted in
 * characters, as the newer docs count it.
 */
const POLICY_MAX_CHARS = 2048;

/** Parses the `Policy` parameter, refusing it with the documented codes when too long or ill-formed. */
export function parseSessionPolicy(text: string): PolicyDocument {
  if (text.length > POLICY_MAX_CHARS) throw invalidPolicySize(POLICY_MAX_CHARS);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw invalidPolicyGrammar('Policy is not JSON');
  }
  const parsed = policyDocumentSchema.safeParse(json);
  if (!parsed.success) throw invalidPolicyGrammar(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/**
 * The permissions of a role session: the role's grants intersected with the session policy's,
 * and every Deny of either.
 *
 * Two grants intersect to (actions ∩ actions) × (resources ∩ resources). Two wildcard patterns
 * intersect to the narrower one when one covers the other; when neither does (`ecs:Describe*`
 * against `ecs:*Instances`) the pair contributes nothing. The result may therefore be narrower
 * than the real service would compute, never broader.
 */
export function effectivePermissions(rolePolicies: readonly PolicyDocument[], sessionPolicy?: PolicyDocument): Permissions {
  const role = Permissions.fromPolicies(rolePolicies);
  if (!sessionPolicy) return role;
  const session = Permissions.fromPolicies([sessionPolicy]);
  const allow: Grant[] = [];
  for (const r of role.allow) {
    for (const s of session.allow) {
      const actions = intersect(r.actions, s.actions);
      const resources = intersect(r.resources, s.resources);
      if (actions.length > 0 && resources.length > 0) allow.push({ actions, resources });
    }
  }
  return new Permissions(allow, [...role.deny, ...session.deny]);
}

function intersect(a: readonly Wildcard[], b: readonly Wildcard[]): Wildcard[] {
  const out = new Map<string, Wildcard>();
  for (const x of a) {
    for (const y of b) {
      const narrower = x.covers(y) ? y : y.covers(x) ? x : undefined;
      if (narrower) out.set(narrower.text, narrower);
    }
  }
  return [...out.values()];
}
