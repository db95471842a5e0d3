/**
 * RAM policy wildcards: `*` matches any run of characters, `?` exactly one, everything else is
 * literal. Compiled once when a policy is loaded or parsed, never per evaluation.
 */
export interface Wildcard {
  readonly text: string;
  matches(value: string): boolean;
  /**
   * Whether this pattern matches every string `narrower` matches (this ⊇ narrower). Used to
   * intersect policies without enumerating strings; it may answer false for a pair that does
   * overlap, never true for one that does not.
   */
  covers(narrower: Wildcard): boolean;
}

export interface WildcardOptions {
  /** Action names are case-insensitive in RAM; resources and condition values are not. */
  ignoreCase?: boolean;
}

export function wildcard(text: string, options: WildcardOptions = {}): Wildcard {
  const flags = options.ignoreCase ? 'isu' : 'su';
  const source = [...text].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  const re = new RegExp(`^${source}$`, flags);
  const hasSingle = text.includes('?');
  return {
    text,
    matches: (value) => re.test(value),
    covers(narrower) {
      // Reading the narrower pattern's text literally is sound when this pattern has only `*`:
      // each wildcard character of the narrower text then falls inside a run one of our `*`
      // absorbs, and that run absorbs whatever the wildcard stands for. A `?` here could swallow
      // a `*` there, so patterns with `?` only cover themselves.
      if (hasSingle) return options.ignoreCase ? text.toLowerCase() === narrower.text.toLowerCase() : text === narrower.text;
      return re.test(narrower.text);
    },
  };
}
