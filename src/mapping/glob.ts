/**
 * Group patterns: `*` matches any run of characters, `?` one character, everything else is literal
 * and case-sensitive (IdP group names are). Compiled once per configuration, not per request.
 */
export function compileGlob(pattern: string): (value: string) => boolean {
  if (!isGlob(pattern)) return (value) => value === pattern;
  // `team-*`, by far the most common glob, needs no regular expression.
  if (/^[^*?]*\*$/.test(pattern)) {
    const prefix = pattern.slice(0, -1);
    return (value) => value.startsWith(prefix);
  }
  const source = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${source}$`, 'su');
  return (value) => re.test(value);
}

export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}
