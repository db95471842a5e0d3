/**
 * UTC ISO 8601 to the second, `2026-01-01T01:00:00Z`: the form Alibaba Cloud's APIs and tools print
 * and parse (credentials-go reads exactly `2006-01-02T15:04:05Z`), and the SAML dateTime the issuer
 * writes. Milliseconds are dropped (rounded down); any offset becomes Z.
 */
export function isoSeconds(time: number | string | Date): string {
  // toISOString always ends `.sssZ` (six-digit years too): cut, not a regular expression (per role
  // on every `GET /api/roles`).
  return `${new Date(time).toISOString().slice(0, -5)}Z`;
}
