/**
 * The longest session `Policy` a role may carry. Newer documents allow 2,048 characters, older ones
 * (and STS's error text) 1,024 bytes: the bridge stays within both (docs/alibaba-cloud-reference.md §10).
 */
export const SESSION_POLICY_MAX_BYTES = 1024;

/** A session policy as STS receives it: a string as written, a document as compact JSON (src/issuance). */
export function policyText(policy: string | Record<string, unknown>): string {
  return typeof policy === 'string' ? policy : JSON.stringify(policy);
}

/**
 * Whether a session policy can be what STS parses: a JSON object with at least one key. Text is
 * sent as written, so an empty string (sent as `Policy=`) or text that is not such an object would
 * pass here and be refused by STS on every issuance of the role.
 */
export function isPolicyDocument(policy: string | Record<string, unknown>): boolean {
  if (typeof policy !== 'string') return Object.keys(policy).length > 0;
  try {
    const parsed: unknown = JSON.parse(policy);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.keys(parsed).length > 0;
  } catch {
    return false;
  }
}
