/**
 * Field names whose values never reach a log line: credentials, tokens, codes and cookies
 * (SECURITY.md, "The secrets and what each protects"). Matched by name at any of the first
 * levels of a log record (`password`, `x.password`, `x.y.password`, `x.y.z.password`), inside
 * arrays and errors too, so a secret nested in a detail object is caught like a top-level one.
 */
export const REDACTED_KEYS: ReadonlySet<string> = new Set([
  'SAMLResponse',
  'SAMLAssertion',
  'RelayState',
  'authorization_code',
  'code_verifier',
  'state',
  'nonce',
  'id_token',
  'access_token',
  'refresh_token',
  'device_code',
  'user_code',
  'client_secret',
  'clientSecret',
  'AccessKeySecret',
  'accessKeySecret',
  'SecurityToken',
  'securityToken',
  'SigninToken',
  'OIDCToken',
  'upstreamIdToken',
  'upstreamRefreshToken',
  // Upstream tokens ride in the connector's data (src/idp/connector.ts), beside the identity.
  'connectorData',
  'idToken',
  'refreshToken',
  'password',
  'privateKey',
  // A request body the parser refused (co-body's error carries it raw): it may hold any of the above.
  'body',
]);

/** Header names redacted inside any `headers` object (requests' and responses'). */
const REDACTED_HEADERS: ReadonlySet<string> = new Set(['cookie', 'authorization', 'set-cookie']);

export const CENSOR = '[redacted]';

/** How deep records are searched: one level more than the paths pino was given before. */
const MAX_DEPTH = 4;

/**
 * A copy of `record` with every secret replaced by CENSOR; parts without secrets are shared, not
 * copied, and the record itself is never changed. One walk over the record's own fields: cheap
 * enough for the access-log line every request writes (pino's path-based redaction of the same
 * names cost a quarter of a /healthz request, bench/REPORT.md).
 */
export function redact<T>(record: T): T {
  return redactValue(record, 0, false) as T;
}

function redactValue(value: unknown, depth: number, inHeaders: boolean): unknown {
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value as unknown[];
    let copy: unknown[] | undefined;
    items.forEach((item, i) => {
      const next = redactValue(item, depth + 1, false);
      if (next !== item) (copy ??= [...items])[i] = next;
    });
    return copy ?? items;
  }
  if (Buffer.isBuffer(value) || value instanceof Date) return value;
  let copy: Record<string, unknown> | undefined;
  const keys = Object.keys(value);
  // An error's `cause` is not enumerable, yet pino's serializer prints it.
  if (value instanceof Error && Object.hasOwn(value, 'cause') && !keys.includes('cause')) keys.push('cause');
  for (const key of keys) {
    const item = (value as Record<string, unknown>)[key];
    const next =
      REDACTED_KEYS.has(key) || (inHeaders && REDACTED_HEADERS.has(key.toLowerCase()))
        ? CENSOR
        : redactValue(item, depth + 1, key === 'headers');
    if (next !== item) (copy ??= cloneKeepingPrototype(value))[key] = next;
  }
  return copy ?? value;
}

/**
 * Errors stay errors (pino's serializer then prints their type, message and stack as usual). The
 * copy's fields are writable even when `value`'s are not (the memory store hands out frozen values):
 * its secrets are replaced next.
 */
function cloneKeepingPrototype(value: object): Record<string, unknown> {
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  const fields: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(value);
  for (const key of Reflect.ownKeys(fields)) {
    const field = fields[key as string]!;
    if ('value' in field) field.writable = true;
  }
  return Object.defineProperties(copy, fields);
}
