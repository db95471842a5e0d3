/**
 * Where to send the browser after sign-in. Only our own relative paths under a few prefixes are
 * accepted (oauth2-proxy's rules plus a prefix allow-list), so `return_to` can never become an
 * open redirect: no scheme, no `//host`, no backslash, no control characters, no dot segments.
 */
const ALLOWED_PREFIXES = ['/roles', '/device', '/sessions'];
const FALLBACK = '/roles';
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\\\s\x00-\x1f\x7f]/;

export function safeReturnTo(value: unknown): string {
  return safeLocalPath(value, ALLOWED_PREFIXES, FALLBACK);
}

/**
 * `value` when it is one of our own relative paths under one of `prefixes`, else `fallback`. The
 * same rules as `safeReturnTo`, for other allow-lists (the language switcher's pages).
 */
export function safeLocalPath(value: unknown, prefixes: readonly string[], fallback: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) return fallback;
  if (!value.startsWith('/') || value.startsWith('//')) return fallback;
  // Any backslash, whitespace or control character: browsers normalise these in surprising ways.
  if (UNSAFE_CHARS.test(value)) return fallback;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  // Encoded tricks (%2F%2F, %5C, %09) and dot segments are refused after decoding as well.
  if (decoded.startsWith('//') || UNSAFE_CHARS.test(decoded) || /(^|\/)\.\.?(\/|$)/.test(decoded)) {
    return fallback;
  }
  const path = value.split(/[?#]/, 1)[0]!;
  const allowed = prefixes.some((p) => path === p || path.startsWith(`${p}/`));
  return allowed ? value : fallback;
}
