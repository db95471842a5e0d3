/**
 * Group patterns: `*` matches any run of characters, `?` one character, everything else is literal
 * and case-sensitive (IdP group names are). Compiled once per configuration, not per request.
 */
export function compileGlob(pattern: string): (value: string) => boolean {
  if (!/[*?]/.test(pattern)) return (value) => value === pattern;
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`, 'su');
  return (value) => re.test(value);
}
